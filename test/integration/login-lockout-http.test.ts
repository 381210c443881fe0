import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { cliContext } from '#src/policies/action-context.js';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';
import { assertError } from '../helpers/envelope.js';
import { buildMember, buildOwner, buildOrganization, type TestUser } from '../helpers/factories.js';
import { tokenAuth, type HttpClient, type HttpResponse } from '../helpers/http-client.js';
import { ManualClock } from '../helpers/manual-clock.js';
import type { TestContext } from '../helpers/test-context.js';
import { useTestServer } from '../helpers/test-server.js';

const WRONG = 'not-the-password-9';
const LOCKED = /Too many failed logins for this account\. Try again in 15 minutes, or ask an administrator to unlock it\./;

/** One login form post as a browser makes it (the CSRF cookie first), optionally through a proxy's headers. */
async function attempt(c: HttpClient, email: string, password: string, headers: Record<string, string> = {}): Promise<HttpResponse> {
  if (!c.cookies.get('csrftoken')) await c.get('/user/login/', { headers });
  return c.post('/user/login/', { headers, form: { email, password, csrfmiddlewaretoken: c.cookies.get('csrftoken') ?? '' } });
}

const loggedIn = (res: HttpResponse): boolean => res.status === 302 && /^\/projects\/$/.test(res.headers.get('location') ?? '');
const wrongPassword = (res: HttpResponse): boolean => res.status === 200 && /The email and password you entered don(&#39;|')t match/.test(res.text);

/** Activity-log entries of an action, newest last. */
async function logged(ctx: TestContext, action: string): Promise<Array<{ organization_id: number | null; actor_id: number | null; details: Record<string, unknown>; auth_method: string }>> {
  const rows = await ctx.database.db.selectFrom('activity_log').selectAll().where('action', '=', action).orderBy('id').execute();
  return rows.map((row) => ({ organization_id: row.organization_id, actor_id: row.actor_id, auth_method: row.auth_method, details: JSON.parse(row.details) as Record<string, unknown> }));
}

for (const kind of DATABASE_KINDS) {
  describe(`login throttling and lockout with the documented defaults [${kind}]`, { skip: skipReason(kind) }, () => {
    const clock = new ManualClock();
    const fixture = useTestServer(kind, {}, { clock });
    let owner: TestUser;
    let member: TestUser;
    before(async () => {
      owner = await buildOwner(fixture.ctx);
      member = await buildMember(fixture.ctx, owner.user.active_organization_id ?? 0);
    });

    test('after 3 failures each next attempt must wait (1 s, then 2 s …); the 10th failure locks the account for 15 minutes', async () => {
      const c = fixture.client();
      for (let i = 1; i <= 3; i += 1) assert.ok(wrongPassword(await attempt(c, member.email, WRONG)), `failure ${i} is answered as a wrong password`);
      // Too soon: refused before any password is checked, even the right one.
      const early = await attempt(c, member.email, member.password);
      assert.equal(early.status, 429);
      assert.equal(early.headers.get('retry-after'), '1');
      assert.match(early.text, /Too many failed logins\. Wait 1 second before trying again\./);
      assert.match(early.text, /<form method="post"/, 'the page still offers the form');
      clock.advance(1_000);
      for (let failures = 4; failures <= 9; failures += 1) {
        assert.ok(wrongPassword(await attempt(c, member.email, WRONG)), `failure ${failures}`);
        const wait = Math.min(60, 2 ** (failures - 3));
        const refused = await attempt(c, member.email, WRONG);
        assert.equal(refused.status, 429, `the attempt right after failure ${failures} waits`);
        assert.equal(refused.headers.get('retry-after'), String(wait));
        clock.advance(wait * 1_000);
      }
      assert.ok(wrongPassword(await attempt(c, member.email, WRONG)), 'the 10th failure is still checked');
      const locked = await attempt(c, member.email, member.password);
      assert.equal(locked.status, 429, 'the right password is refused while locked');
      assert.match(locked.text, LOCKED);
      assert.equal(locked.headers.get('retry-after'), '900');
      assert.equal(c.cookies.get('sessionid'), undefined);
      clock.advance(14 * 60_000);
      const later = await attempt(fixture.client(), member.email, member.password);
      assert.equal(later.status, 429, 'still locked after 14 minutes, from any browser');
      assert.equal(later.headers.get('retry-after'), '60');
      assert.match(later.text, /Try again in 1 minute,/);
      clock.advance(60_000);
      assert.ok(loggedIn(await attempt(fixture.client(), member.email, member.password)), 'the lockout ends after 15 minutes');

      const lockouts = await logged(fixture.ctx, 'auth.locked_out');
      assert.equal(lockouts.length, 1, 'the lockout is recorded once');
      assert.equal(lockouts[0]?.organization_id, owner.user.active_organization_id, "in the member's organization");
      assert.equal(lockouts[0]?.actor_id, member.user.id);
      assert.deepEqual({ ...lockouts[0]?.details, until: undefined }, { scope: 'account', email: member.email, failures: 10, until: undefined });
    });

    test('a right password ends the run of failures: the count starts again', async () => {
      const c = fixture.client();
      const other = await buildMember(fixture.ctx, owner.user.active_organization_id ?? 0);
      for (let i = 0; i < 2; i += 1) assert.ok(wrongPassword(await attempt(c, other.email, WRONG)));
      assert.ok(loggedIn(await attempt(fixture.client(), other.email, other.password)));
      for (let i = 0; i < 2; i += 1) assert.ok(wrongPassword(await attempt(c, other.email, WRONG)));
      // Two failures since the success: no wait yet (it comes after three).
      assert.ok(loggedIn(await attempt(fixture.client(), other.email, other.password)));
    });

    test('a lockout tells nothing about who has an account: an unknown e-mail locks and answers alike', async () => {
      const known = await buildMember(fixture.ctx, owner.user.active_organization_id ?? 0);
      const unknown = `nobody-${kind}@example.com`;
      const answers = new Map<string, HttpResponse[]>();
      for (const email of [known.email, unknown]) {
        const c = fixture.client();
        const seen: HttpResponse[] = [];
        for (let i = 1; i <= 10; i += 1) {
          seen.push(await attempt(c, email, WRONG));
          // Past any wait (at most a minute), never past the lockout.
          if (i < 10) clock.advance(60_000);
        }
        seen.push(await attempt(c, email, WRONG));
        answers.set(email, seen);
      }
      const shape = (res: HttpResponse) => `${res.status} ${res.headers.get('retry-after')} ${res.text.replace(/value="[^"]*"/g, '')}`;
      const [a, b] = [answers.get(known.email) ?? [], answers.get(unknown) ?? []];
      assert.equal(a.length, 11);
      for (let i = 0; i < a.length; i += 1) assert.equal(shape(a[i] as HttpResponse), shape(b[i] as HttpResponse), `answer ${i + 1} is the same for both`);
      assert.match(a[10]?.text ?? '', LOCKED);
      const recorded = (await logged(fixture.ctx, 'auth.locked_out')).filter((entry) => entry.details.email === unknown);
      assert.equal(recorded.length, 1);
      assert.equal(recorded[0]?.organization_id, null, "an unknown e-mail's lockout is in no organization's log");
      clock.advance(15 * 60_000);
    });

    test('parallel guesses cannot slip under the limit: at most 10 passwords are checked, the rest refused, the right one too', async () => {
      const target = await buildMember(fixture.ctx, owner.user.active_organization_id ?? 0);
      const c = fixture.client();
      await c.get('/user/login/');
      const before = (await logged(fixture.ctx, 'auth.login_failed')).length;
      const burst = await Promise.all([
        ...Array.from({ length: 30 }, () => attempt(c, target.email, WRONG)),
        attempt(c, target.email, target.password),
      ]);
      const checked = (await logged(fixture.ctx, 'auth.login_failed')).length - before;
      const refused = burst.filter((res) => res.status === 429).length;
      assert.ok(checked <= 10, `${checked} passwords were checked`);
      assert.equal(refused + checked + burst.filter(loggedIn).length, 31, 'every attempt was checked or refused');
      // Delays start after 3 failures: parallel attempts beyond them are refused too, until the lock.
      assert.ok(refused >= 20, `${refused} refused`);
      clock.advance(15 * 60_000);
    });
  });

  describe(`lockout per client address, behind a trusted proxy [${kind}]`, { skip: skipReason(kind) }, () => {
    const clock = new ManualClock();
    const fixture = useTestServer(
      kind,
      { server: { trustedProxies: ['127.0.0.1'] }, login: { accountFailures: 0, delayAfter: 0, addressFailures: 5, lockoutSeconds: 900 } },
      { clock },
    );
    let owner: TestUser;
    before(async () => {
      owner = await buildOwner(fixture.ctx);
    });

    test('failures over many e-mails from one address lock that address only; the operator may lift it', async () => {
      const attacker = { 'x-forwarded-for': '203.0.113.7' };
      const c = fixture.client();
      for (let i = 0; i < 5; i += 1) assert.ok(wrongPassword(await attempt(c, `guess-${i}@example.com`, WRONG, attacker)));
      const refused = await attempt(c, owner.email, owner.password, attacker);
      assert.equal(refused.status, 429);
      assert.match(refused.text, /Too many failed logins from your network address\. Try again in 15 minutes\./);
      assert.equal(refused.headers.get('retry-after'), '900');
      assert.ok(loggedIn(await attempt(fixture.client(), owner.email, owner.password, { 'x-forwarded-for': '198.51.100.4' })), 'another address logs in');

      const lifted = await fixture.ctx.services.loginThrottle.unlockAddress(cliContext('users unlock'), '203.0.113.7');
      assert.deepEqual(lifted, { wasLocked: true, failures: 5 });
      assert.ok(loggedIn(await attempt(fixture.client(), owner.email, owner.password, attacker)));
      const entries = (await logged(fixture.ctx, 'auth.locked_out')).concat(await logged(fixture.ctx, 'auth.unlocked'));
      assert.deepEqual(
        entries.map((entry) => [entry.details.scope, entry.details.address, entry.organization_id]),
        [
          ['address', '203.0.113.7', null],
          ['address', '203.0.113.7', null],
        ],
      );
    });

    test('right passwords from a busy address (an office behind one NAT) never add up to a lockout', async () => {
      const office = { 'x-forwarded-for': '192.0.2.50' };
      for (let i = 0; i < 12; i += 1) assert.ok(loggedIn(await attempt(fixture.client(), owner.email, owner.password, office)), `login ${i + 1}`);
      for (let i = 0; i < 4; i += 1) assert.ok(wrongPassword(await attempt(fixture.client(), owner.email, WRONG, office)));
      assert.ok(loggedIn(await attempt(fixture.client(), owner.email, owner.password, office)));
    });
  });

  describe(`administrators lift a member's lockout over the API; the password change API speaks the envelope [${kind}]`, { skip: skipReason(kind) }, () => {
    const clock = new ManualClock();
    const fixture = useTestServer(kind, { login: { accountFailures: 3, delayAfter: 0, addressFailures: 0, lockoutSeconds: 900 } }, { clock });
    let owner: TestUser;
    let admin: TestUser;
    let annotator: TestUser;
    let orgId: number;
    before(async () => {
      owner = await buildOwner(fixture.ctx);
      orgId = owner.user.active_organization_id ?? 0;
      admin = await buildMember(fixture.ctx, orgId, { role: 'AD' });
      annotator = await buildMember(fixture.ctx, orgId);
    });

    const lockOut = async (user: TestUser) => {
      const c = fixture.client();
      for (let i = 0; i < 3; i += 1) assert.ok(wrongPassword(await attempt(c, user.email, WRONG)));
      assert.equal((await attempt(c, user.email, user.password)).status, 429);
    };

    test('GET …/lockout/ shows it, POST …/unlock/ lifts it (recorded); annotators may not; other organizations are 404', async () => {
      await lockOut(annotator);
      const c = fixture.client();
      const status = await c.get(`/api/users/${annotator.user.id}/lockout/`, { headers: tokenAuth(admin.token) });
      assert.equal(status.status, 200, status.text);
      const body = status.body as { locked: boolean; locked_until: string; failed_logins: number };
      assert.equal(body.locked, true);
      assert.equal(body.failed_logins, 3);
      assert.equal(new Date(body.locked_until).getTime(), clock.now().getTime() + 900_000);

      assert.equal(assertError(await c.post(`/api/users/${annotator.user.id}/unlock/`, { headers: tokenAuth(annotator.token), raw: '' }), 403).code, 'permission.denied');
      const outsider = await buildOrganization(fixture.ctx);
      assertError(await c.post(`/api/users/${outsider.owner.user.id}/unlock/`, { headers: tokenAuth(admin.token), raw: '' }), 404);

      const lifted = await c.post(`/api/users/${annotator.user.id}/unlock/`, { headers: tokenAuth(admin.token), raw: '' });
      assert.equal(lifted.status, 200, lifted.text);
      assert.deepEqual(lifted.body, { locked: false, locked_until: null, failed_logins: 0 });
      assert.ok(loggedIn(await attempt(fixture.client(), annotator.email, annotator.password)), 'the member logs in at once');
      const [entry] = await logged(fixture.ctx, 'auth.unlocked');
      assert.equal(entry?.organization_id, orgId);
      assert.equal(entry?.actor_id, admin.user.id);
      assert.deepEqual(entry?.details, { scope: 'account', email: annotator.email, was_locked: true, failures: 3 });
    });

    test('changing the password checks the current one under the same lockout: 400, then 429 auth.locked_out with Retry-After', async () => {
      const user = await buildMember(fixture.ctx, orgId);
      const c = fixture.client();
      assert.ok(loggedIn(await attempt(c, user.email, user.password)));
      const change = (current: string) => c.post('/api/current-user/password/', { json: { current_password: current, new_password: 'a-brand-new-pass-7' } });
      for (let i = 0; i < 3; i += 1) {
        const wrong = assertError(await change(WRONG), 400);
        assert.equal(wrong.code, 'auth.invalid_credentials');
        assert.deepEqual(wrong.validation_errors, { current_password: ['Your current password is not right.'] });
      }
      const locked = await change(user.password);
      const envelope = assertError(locked, 429, LOCKED);
      assert.equal(envelope.code, 'auth.locked_out');
      assert.equal(locked.headers.get('retry-after'), '900');
      assert.equal((await c.get('/api/current-user/whoami')).status, 200, 'the session itself goes on');
      clock.advance(900_000);
    });
  });
}
