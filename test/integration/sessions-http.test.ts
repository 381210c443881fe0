import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';
import { assertError } from '../helpers/envelope.js';
import { buildMember, buildOrganization, buildOwner, type TestUser } from '../helpers/factories.js';
import { HttpClient, tokenAuth } from '../helpers/http-client.js';
import { ManualClock } from '../helpers/manual-clock.js';
import type { TestContext } from '../helpers/test-context.js';
import { useTestServer } from '../helpers/test-server.js';

const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0';
const SAFARI = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

interface ListedSession {
  id: string;
  device: string;
  user_agent: string | null;
  ip: string | null;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  current: boolean;
}

/** A browser of its own (cookie jar, user agent), logged in through the form. */
async function browserOf(base: HttpClient, user: TestUser, userAgent = FIREFOX): Promise<HttpClient> {
  const c = base.fresh();
  const headers = { 'user-agent': userAgent };
  await c.get('/user/login/', { headers });
  const login = await c.post('/user/login/', { headers, form: { email: user.email, password: user.password, csrfmiddlewaretoken: c.cookies.get('csrftoken') ?? '' } });
  assert.equal(login.status, 302, login.text);
  return c;
}

const whoamiStatus = async (c: HttpClient): Promise<number> => (await c.get('/api/current-user/whoami')).status;
const listOf = async (c: HttpClient): Promise<ListedSession[]> => {
  const res = await c.get('/api/current-user/sessions/');
  assert.equal(res.status, 200, res.text);
  return res.body as ListedSession[];
};

async function logged(ctx: TestContext, action: string): Promise<Array<{ actor_id: number | null; details: Record<string, unknown> }>> {
  const rows = await ctx.database.db.selectFrom('activity_log').select(['actor_id', 'details']).where('action', '=', action).orderBy('id').execute();
  return rows.map((row) => ({ actor_id: row.actor_id, details: JSON.parse(row.details) as Record<string, unknown> }));
}

for (const kind of DATABASE_KINDS) {
  describe(`your sessions: list, revoke one, revoke the others, password change [${kind}]`, { skip: skipReason(kind) }, () => {
    const fixture = useTestServer(kind);
    let owner: TestUser;
    before(async () => {
      owner = await buildOwner(fixture.ctx);
    });

    test('the list shows each browser (device, address, times), marks this one, and never reveals a usable cookie', async () => {
      const user = await buildMember(fixture.ctx, owner.user.active_organization_id ?? 0);
      const laptop = await browserOf(fixture.client(), user, FIREFOX);
      const phone = await browserOf(fixture.client(), user, SAFARI);
      const seen = await listOf(laptop);
      assert.equal(seen.length, 2);
      assert.deepEqual(seen.map((s) => [s.device, s.ip, s.current]).sort(), [['Firefox on Windows', '127.0.0.1', true], ['Safari on iPhone', '127.0.0.1', false]]);
      assert.equal(seen.find((s) => s.current)?.user_agent, FIREFOX);
      for (const s of seen) assert.ok(new Date(s.expires_at) > new Date(s.last_seen_at) && new Date(s.last_seen_at) >= new Date(s.created_at));
      assert.deepEqual((await listOf(phone)).map((s) => s.current).sort(), [false, true], 'each browser sees itself as this one');

      // Stored hashed: the database holds neither cookie, and neither what it holds nor the listed id logs anyone in.
      const cookie = laptop.cookies.get('sessionid') ?? '';
      const rows = await fixture.ctx.database.db.selectFrom('sessions').selectAll().where('user_id', '=', user.user.id).execute();
      assert.equal(rows.length, 2);
      const row = rows.find((r) => r.id_hash === createHash('sha256').update(cookie).digest('hex'));
      assert.ok(row, 'the row is found by the hash of the cookie');
      assert.ok(!JSON.stringify(rows).includes(cookie), 'the cookie itself is nowhere in the rows');
      for (const forged of [row.id_hash, row.public_id]) {
        const thief = fixture.client();
        thief.cookies.set('sessionid', forged);
        assert.equal(await whoamiStatus(thief), 401, 'a value read from the database is no cookie');
      }
    });

    test('revoking one session ends it from its next request (API 401, pages back to login); ids not yours end nothing', async () => {
      const user = await buildMember(fixture.ctx, owner.user.active_organization_id ?? 0);
      const laptop = await browserOf(fixture.client(), user, FIREFOX);
      const phone = await browserOf(fixture.client(), user, SAFARI);
      const stranger = await browserOf(fixture.client(), owner);
      const phoneId = (await listOf(laptop)).find((s) => !s.current)?.id ?? '';
      const strangerId = (await listOf(stranger)).find((s) => s.current)?.id ?? '';

      const notMine = await laptop.post('/api/current-user/sessions/revoke/', { json: { id: strangerId } });
      assert.deepEqual(notMine.body, { revoked: 0 });
      assert.equal(await whoamiStatus(stranger), 200, "another person's session is never reached");

      const revoked = await laptop.post('/api/current-user/sessions/revoke/', { json: { id: phoneId } });
      assert.equal(revoked.status, 200, revoked.text);
      assert.deepEqual(revoked.body, { revoked: 1 });
      assert.equal(await whoamiStatus(phone), 401);
      const page = await phone.get('/projects/');
      assert.equal(page.status, 302);
      assert.equal(page.headers.get('location'), '/user/login/?next=%2Fprojects%2F');
      assert.equal(await whoamiStatus(laptop), 200, 'the session that asked goes on');
      assert.deepEqual((await listOf(laptop)).map((s) => s.device), ['Firefox on Windows']);
      assert.deepEqual((await laptop.post('/api/current-user/sessions/revoke/', { json: { id: phoneId } })).body, { revoked: 0 }, 'gone already: nothing to end');

      const entries = (await logged(fixture.ctx, 'auth.session_revoked')).filter((e) => e.actor_id === user.user.id);
      assert.deepEqual(entries.map((e) => e.details), [{ ended: 1, device: 'Safari on iPhone', ip: '127.0.0.1' }]);
    });

    test('"revoke all others" ends every other session of yours, no one else\'s', async () => {
      const user = await buildMember(fixture.ctx, owner.user.active_organization_id ?? 0);
      const [keep, second, third] = [await browserOf(fixture.client(), user), await browserOf(fixture.client(), user, SAFARI), await browserOf(fixture.client(), user)];
      const stranger = await browserOf(fixture.client(), owner);
      const res = await keep.post('/api/current-user/sessions/revoke-others/', { raw: '' });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body, { revoked: 2 });
      assert.deepEqual([await whoamiStatus(keep), await whoamiStatus(second), await whoamiStatus(third), await whoamiStatus(stranger)], [200, 401, 401, 200]);
      assert.equal((await listOf(keep)).length, 1);
      // Called with a token there is no "this" session: all of them end.
      const viaToken = await fixture.client().post('/api/current-user/sessions/revoke-others/', { headers: tokenAuth(user.token), raw: '' });
      assert.deepEqual(viaToken.body, { revoked: 1 });
      assert.equal(await whoamiStatus(keep), 401);
    });

    test('changing your password ends your other sessions and keeps this one; the old password no longer logs in', async () => {
      const user = await buildMember(fixture.ctx, owner.user.active_organization_id ?? 0);
      const here = await browserOf(fixture.client(), user);
      const elsewhere = await browserOf(fixture.client(), user, SAFARI);
      const change = (body: Record<string, string>, headers: Record<string, string> = {}) => here.post('/api/current-user/password/', { json: body, headers });

      const rules = assertError(await change({ current_password: user.password, new_password: '12345678' }), 400);
      assert.deepEqual(rules.validation_errors, { new_password: ['This password is too common.', 'This password is entirely numeric.'] });
      assert.deepEqual(assertError(await change({ current_password: user.password, new_password: user.password }), 400).validation_errors, {
        new_password: ['The new password is the same as the current one.'],
      });
      const byToken = await fixture.client().post('/api/current-user/password/', { headers: tokenAuth(user.token), json: { current_password: user.password, new_password: 'fresh-horse-battery-9' } });
      assert.equal(assertError(byToken, 403, 'Change your password from the web app: API tokens cannot change it.').code, 'permission.denied');
      assert.deepEqual([await whoamiStatus(here), await whoamiStatus(elsewhere)], [200, 200], 'refusals changed nothing');

      const changed = await change({ current_password: user.password, new_password: 'fresh-horse-battery-9' });
      assert.equal(changed.status, 200, changed.text);
      assert.deepEqual(changed.body, { detail: 'Your password was changed.', signed_out_elsewhere: 1 });
      assert.deepEqual([await whoamiStatus(here), await whoamiStatus(elsewhere)], [200, 401]);
      const old = await fixture.client().login(user.email, user.password);
      assert.equal(old.status, 200, 'the old password is refused');
      assert.equal((await fixture.client().login(user.email, 'fresh-horse-battery-9')).status, 302);
      const [entry] = (await logged(fixture.ctx, 'user.password_changed')).filter((e) => e.actor_id === user.user.id);
      assert.deepEqual(entry?.details, { signed_out_elsewhere: 1 });
    });
  });

  describe(`session policy: Enterprise's API, enforced on every session request [${kind}]`, { skip: skipReason(kind) }, () => {
    const clock = new ManualClock();
    const fixture = useTestServer(kind, {}, { clock });
    let owner: TestUser;
    let admin: TestUser;
    let annotator: TestUser;
    before(async () => {
      owner = await buildOwner(fixture.ctx);
      admin = await buildMember(fixture.ctx, owner.user.active_organization_id ?? 0, { role: 'AD' });
      annotator = await buildMember(fixture.ctx, owner.user.active_organization_id ?? 0);
    });
    /** The SDK's own headers (sdk-requests.md §1), for the calls `client.session_policy` makes. */
    const sdk = (user: TestUser) => ({ headers: { ...tokenAuth(user.token), accept: '*/*', 'user-agent': 'label_studio_sdk/2.1.3', 'x-fern-sdk-name': 'label-studio-sdk' } });

    test('session_policy.get() and .update() as the SDK sends them; minutes 1 … 2147483647; owners and administrators only', async () => {
      const c = fixture.client();
      const defaults = await c.get('/api/session-policy/', sdk(annotator));
      assert.equal(defaults.status, 200, defaults.text);
      assert.deepEqual(defaults.body, { max_session_age: 20160, max_time_between_activity: 7200, created_at: null, updated_at: null }, "the server's MAX_SESSION_AGE and MAX_TIME_BETWEEN_ACTIVITY, in minutes");

      assert.equal(assertError(await c.patch('/api/session-policy/', { ...sdk(annotator), json: { max_session_age: 600 } }), 403).code, 'permission.denied');
      for (const bad of [0, -5, 2147483648, 1.5, 'ten']) {
        const refused = assertError(await c.patch('/api/session-policy/', { ...sdk(admin), json: { max_session_age: bad } }), 400);
        assert.ok(refused.validation_errors?.max_session_age, `${String(bad)} is refused at its field`);
      }
      const updated = await c.patch('/api/session-policy/', { ...sdk(admin), json: { max_session_age: 600, max_time_between_activity: 60 } });
      assert.equal(updated.status, 200, updated.text);
      const body = updated.body as Record<string, unknown>;
      assert.deepEqual({ ...body, created_at: undefined, updated_at: undefined }, { max_session_age: 600, max_time_between_activity: 60, created_at: undefined, updated_at: undefined });
      assert.match(String(body.created_at), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      assert.deepEqual((await c.get('/api/session-policy/', sdk(owner))).body, body);
      const edge = await c.patch('/api/session-policy/', { ...sdk(owner), json: { max_time_between_activity: 2147483647 } });
      assert.equal((edge.body as { max_time_between_activity: number }).max_time_between_activity, 2147483647);
      assert.equal((edge.body as { max_session_age: number }).max_session_age, 600, 'an absent field stays as it was');

      const changes = (await logged(fixture.ctx, 'organization.session_policy_changed')).map((e) => e.details);
      assert.deepEqual(changes, [
        { changes: { max_session_age: { before: 20160, after: 600 }, max_time_between_activity: { before: 7200, after: 60 } } },
        { changes: { max_time_between_activity: { before: 60, after: 2147483647 } } },
      ]);
      // Another organization keeps the server's defaults.
      const other = await buildOrganization(fixture.ctx);
      assert.equal(((await c.get('/api/session-policy/', sdk(other.owner))).body as { max_session_age: number }).max_session_age, 20160);
    });

    test('idle and absolute timeouts end sessions (API 401, pages to login); a shorter policy holds from the next request', async () => {
      const c = fixture.client();
      const set = async (minutes: { max_session_age?: number; max_time_between_activity?: number }) =>
        assert.equal((await c.patch('/api/session-policy/', { headers: tokenAuth(owner.token), json: minutes })).status, 200);
      await set({ max_session_age: 30, max_time_between_activity: 5 });

      // Idle: used every 4 minutes it lives; 6 minutes unused, it ends.
      const idle = await browserOf(fixture.client(), annotator);
      for (let i = 0; i < 3; i += 1) {
        clock.advance(4 * 60_000);
        assert.equal(await whoamiStatus(idle), 200, `still active after ${(i + 1) * 4} minutes`);
      }
      clock.advance(6 * 60_000);
      const page = await idle.get('/user/account/');
      assert.equal(page.status, 302, 'the page sends an idle session to the login');
      assert.match(page.headers.get('location') ?? '', /^\/user\/login\/\?next=/);
      assert.equal(await whoamiStatus(idle), 401);

      // Absolute: used every 4 minutes, it still ends 30 minutes after login.
      const busy = await browserOf(fixture.client(), annotator);
      for (let minutes = 4; minutes <= 28; minutes += 4) {
        clock.advance(4 * 60_000);
        assert.equal(await whoamiStatus(busy), 200, `${minutes} minutes after login`);
      }
      clock.advance(3 * 60_000);
      assert.equal(await whoamiStatus(busy), 401, '31 minutes after login, however active');

      // A policy made shorter applies to sessions already open, on their next request.
      const open = await browserOf(fixture.client(), annotator);
      clock.advance(3 * 60_000);
      assert.equal(await whoamiStatus(open), 200);
      clock.advance(2 * 60_000);
      await set({ max_time_between_activity: 1 });
      assert.equal(await whoamiStatus(open), 401, 'two minutes idle is past the new one-minute limit');
      await set({ max_session_age: 20160, max_time_between_activity: 7200 });
    });

    test('"Keep me logged in" keeps the cookie as long as the organization lets a session live', async () => {
      await fixture.client().patch('/api/session-policy/', { headers: tokenAuth(owner.token), json: { max_session_age: 90 } });
      const c = fixture.client();
      await c.get('/user/login/');
      const login = await c.post('/user/login/', { form: { email: annotator.email, password: annotator.password, persist_session: 'on', csrfmiddlewaretoken: c.cookies.get('csrftoken') ?? '' } });
      const line = login.headers.getSetCookie().find((l) => l.startsWith('sessionid='));
      assert.match(line ?? '', /Max-Age=5400/);
    });
  });
}
