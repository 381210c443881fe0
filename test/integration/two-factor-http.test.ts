/**
 * Two-factor sign-in over real HTTP, on each database: enrolment with codes computed by otplib from the secret the
 * server showed, the login's second page (wrong, replayed, out-of-window and right codes; recovery codes once each;
 * a few wrong codes end the pending login; expiry; `next` kept), the secret unusable from the database alone, API
 * tokens untouched, turning it off and new recovery codes behind the password or a code.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { generate } from 'otplib';
import { SecretBox } from '#src/auth/secret-box.js';
import { cliContext } from '#src/policies/action-context.js';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';
import { assertError } from '../helpers/envelope.js';
import { buildOwner, type TestUser } from '../helpers/factories.js';
import { bearerAuth, tokenAuth, type HttpClient } from '../helpers/http-client.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { useTestServer } from '../helpers/test-server.js';

const SECOND_PAGE = '/user/login/two-factor/';

/** What an authenticator app shows for this secret at the clock's time, `steps` steps away. */
const codeAt = (secret: string, clock: ManualClock, steps = 0) =>
  generate({ secret, epoch: Math.floor(clock.now().getTime() / 1000) + steps * 30 });

for (const kind of DATABASE_KINDS) {
  describe(`two-factor sign-in over HTTP [${kind}]`, { skip: skipReason(kind) }, () => {
    const clock = new ManualClock();
    const fixture = useTestServer(kind, {}, { clock });
    let owner: TestUser;
    let secret = '';
    let recoveryCodes: string[] = [];

    /** A password login; answers the response (a redirect to the second page when a code is due). */
    const passwordStep = async (client: HttpClient, next?: string) => client.login(owner.email, owner.password, next);
    const codeStep = (client: HttpClient, code: string, next?: string) =>
      client.post(next ? `${SECOND_PAGE}?next=${encodeURIComponent(next)}` : SECOND_PAGE, {
        form: { code, csrfmiddlewaretoken: client.cookies.get('csrftoken') ?? '' },
      });
    const actions = async (action: string) =>
      fixture.ctx.database.db.selectFrom('activity_log').selectAll().where('action', '=', action).orderBy('id').execute();

    before(async () => {
      owner = await buildOwner(fixture.ctx);
    });

    test('enrolment: a web session starts it, gets the secret and a QR code, and confirms it with a code', async () => {
      const web = fixture.client();
      assert.equal((await web.login(owner.email, owner.password)).status, 302);
      const status = await web.get('/api/current-user/two-factor');
      assert.deepEqual(status.body, { enabled: false, enabled_at: null, enrolling: false, recovery_codes_left: 0, required: false });

      // An API token is not the password login two-factor sign-in guards: it cannot turn it on.
      assertError(await web.fresh().post('/api/current-user/two-factor/enrolment', { headers: tokenAuth(owner.token), raw: '' }), 403);

      const started = await web.post('/api/current-user/two-factor/enrolment', { raw: '' });
      assert.equal(started.status, 201, started.text);
      assert.equal(started.headers.get('cache-control'), 'no-store');
      const enrolment = started.body as { secret: string; otpauth_uri: string; qr_code: string };
      secret = enrolment.secret;
      assert.match(secret, /^[A-Z2-7]{32}$/, 'a 160-bit base32 secret');
      const uri = new URL(enrolment.otpauth_uri);
      assert.equal(uri.protocol, 'otpauth:');
      assert.equal(uri.searchParams.get('secret'), secret);
      assert.equal(uri.searchParams.get('issuer'), 'Label Studio');
      assert.ok(decodeURIComponent(uri.pathname).includes(owner.email));
      assert.match(enrolment.qr_code, /^data:image\/svg\+xml;base64,/);
      assert.match(Buffer.from(enrolment.qr_code.split(',')[1] ?? '', 'base64').toString('utf8'), /<svg[^>]*>.*<path/s);
      assert.equal(((await web.get('/api/current-user/two-factor')).body as { enrolling: boolean }).enrolling, true);

      const wrong = await web.post('/api/current-user/two-factor/enrolment/confirm', { json: { code: (Number(await codeAt(secret, clock)) + 1) % 1_000_000 + '' } });
      assertError(wrong, 400);
      assert.equal((wrong.body as { code: string }).code, 'two_factor.invalid_code');
      const confirmed = await web.post('/api/current-user/two-factor/enrolment/confirm', { json: { code: await codeAt(secret, clock) } });
      assert.equal(confirmed.status, 201, confirmed.text);
      recoveryCodes = (confirmed.body as { recovery_codes: string[] }).recovery_codes;
      assert.equal(recoveryCodes.length, 10);
      assert.equal(new Set(recoveryCodes).size, 10);
      for (const code of recoveryCodes) assert.match(code, /^[a-z2-9]{5}-[a-z2-9]{5}$/);
      const on = (await web.get('/api/current-user/two-factor')).body as { enabled: boolean; recovery_codes_left: number };
      assert.deepEqual([on.enabled, on.recovery_codes_left], [true, 10]);
      assert.equal((await actions('user.two_factor_enabled')).length, 1);
      // Turning it on again, or confirming twice, is refused: another authenticator needs it turned off first.
      assert.equal((await web.post('/api/current-user/two-factor/enrolment', { raw: '' })).status, 409);
    });

    test('the database alone yields neither the secret nor a recovery code', async () => {
      const { db } = fixture.ctx.database;
      const stored = await db.selectFrom('user_two_factor').selectAll().where('user_id', '=', owner.user.id).executeTakeFirstOrThrow();
      const codes = await db.selectFrom('two_factor_recovery_codes').selectAll().where('user_id', '=', owner.user.id).execute();
      const everything = JSON.stringify({ stored, codes });
      assert.ok(!everything.includes(secret), 'the TOTP secret is not stored as it is');
      for (const code of recoveryCodes) assert.ok(!everything.includes(code) && !everything.includes(code.replace('-', '')));
      assert.throws(() => new SecretBox('another-instance-secret-of-enough-length', 'two-factor').decrypt(stored.secret_ciphertext));
      assert.equal(fixture.ctx.deps.secrets.twoFactor.decrypt(stored.secret_ciphertext), secret);
    });

    test('login: the right password leads to the second page, with no session until a right code', async () => {
      const web = fixture.client();
      const first = await passwordStep(web, '/organization/');
      assert.equal(first.status, 302);
      assert.equal(first.headers.get('location'), `${SECOND_PAGE}?next=%2Forganization%2F`);
      assert.equal(web.cookies.get('sessionid'), undefined, 'no session after the password alone');
      assert.ok(web.cookies.get('ls_two_factor'));
      assert.equal((await web.get('/api/current-user/whoami')).status, 401);

      const page = await web.get(`${SECOND_PAGE}?next=%2Forganization%2F`);
      assert.equal(page.status, 200);
      assert.match(page.text, /autocomplete="one-time-code"/);
      assert.doesNotMatch(page.text, /<script/i);

      const wrong = await codeStep(web, '000000' === (await codeAt(secret, clock)) ? '111111' : '000000', '/organization/');
      assert.equal(wrong.status, 200);
      assert.match(wrong.text, /That code is not right/);
      assert.equal(web.cookies.get('sessionid'), undefined);

      // The code that confirmed the enrolment: its step is used, so it is refused as a replay.
      const replayed = await codeStep(web, await codeAt(secret, clock), '/organization/');
      assert.match(replayed.text, /That code was already used/);

      // Two steps ahead is outside the window of one step either side.
      assert.match((await codeStep(web, await codeAt(secret, clock, 2), '/organization/')).text, /That code is not right/);

      clock.advance(30_000);
      const right = await codeStep(web, await codeAt(secret, clock), '/organization/');
      assert.equal(right.status, 302, right.text);
      assert.equal(right.headers.get('location'), '/organization/', 'next survives the second page');
      assert.ok(web.cookies.get('sessionid'));
      assert.equal(web.cookies.get('ls_two_factor'), undefined, 'the pending login is over');
      assert.equal((await web.get('/api/current-user/whoami')).status, 200);

      const failures = await actions('auth.two_factor_failed');
      assert.deepEqual(failures.map((row) => JSON.parse(row.details).reason), ['wrong', 'replayed', 'wrong']);
      assert.ok(failures.every((row) => row.actor_id === owner.user.id && row.response_code === '400'));
      const login = (await actions('auth.logged_in')).at(-1);
      assert.deepEqual(JSON.parse(login?.details ?? '{}'), { second_factor: 'totp' });
    });

    test('a code is accepted once: the same code in another login is refused, the previous step too', async () => {
      const used = await codeAt(secret, clock);
      const web = fixture.client();
      await passwordStep(web);
      assert.match((await codeStep(web, used)).text, /That code was already used/);
      assert.match((await codeStep(web, await codeAt(secret, clock, -1))).text, /That code was already used/);
      // One step ahead (a phone whose clock runs fast) is inside the window.
      const ahead = await codeStep(web, await codeAt(secret, clock, 1));
      assert.equal(ahead.status, 302);
      assert.equal(ahead.headers.get('location'), '/projects/');
      clock.advance(60_000);
    });

    test('a recovery code logs in once; used again it is refused', async () => {
      const [code] = recoveryCodes;
      assert.ok(code);
      const web = fixture.client();
      await passwordStep(web);
      // Typed without its dash and in capitals, as people copy from paper.
      const first = await codeStep(web, code.replace('-', ' ').toUpperCase());
      assert.equal(first.status, 302, first.text);
      assert.equal((await web.get('/api/current-user/two-factor')).status, 200);
      assert.equal(((await web.get('/api/current-user/two-factor')).body as { recovery_codes_left: number }).recovery_codes_left, 9);
      const used = await actions('auth.recovery_code_used');
      assert.equal(used.length, 1);
      assert.deepEqual(JSON.parse(used[0]?.details ?? '{}'), { recovery_codes_left: 9 });

      const again = fixture.client();
      await passwordStep(again);
      const refused = await codeStep(again, code);
      assert.equal(refused.status, 200);
      assert.match(refused.text, /That code is not right/);
      assert.equal(again.cookies.get('sessionid'), undefined);
    });

    test("a login through the second page lives as long as the organization's session policy says, and its cookie too", async () => {
      const policy = (json: Record<string, number>) => fixture.client().patch('/api/session-policy/', { headers: tokenAuth(owner.token), json });
      assert.equal((await policy({ max_session_age: 90 })).status, 200);
      try {
        const web = fixture.client();
        assert.equal((await passwordStep(web)).status, 302);
        clock.advance(30_000);
        const right = await codeStep(web, await codeAt(secret, clock));
        assert.equal(right.status, 302, right.text);
        assert.match(right.headers.getSetCookie().find((line) => line.startsWith('sessionid=')) ?? '', /Max-Age=5400(;|$)/);
        clock.advance(89 * 60_000);
        assert.equal((await web.get('/api/current-user/whoami')).status, 200);
        clock.advance(2 * 60_000);
        assert.equal((await web.get('/api/current-user/whoami')).status, 401, 'past the 90 minutes the session has ended');
      } finally {
        assert.equal((await policy({ max_session_age: 20160 })).status, 200);
      }
    });

    test('five wrong codes end the pending login; so does its expiry', async () => {
      const web = fixture.client();
      await passwordStep(web, '/people/');
      for (let i = 1; i < 5; i += 1) assert.match((await codeStep(web, `12345${i}`, '/people/')).text, /That code is not right/);
      const fifth = await codeStep(web, '123450', '/people/');
      assert.equal(fifth.status, 400);
      assert.match(fifth.text, /Too many wrong codes\. Log in again\./);
      assert.match(fifth.text, /action="\/user\/login\/\?next=%2Fpeople%2F"/, 'back to the password form, next kept');
      // Even the right code is too late now.
      assert.match((await codeStep(web, await codeAt(secret, clock), '/people/')).text, /Your sign-in has expired/);
      assert.equal(web.cookies.get('sessionid'), undefined);
      const redirected = await web.get(SECOND_PAGE);
      assert.equal(redirected.status, 302);
      assert.equal(redirected.headers.get('location'), '/user/login/');

      const slow = fixture.client();
      await passwordStep(slow);
      clock.advance(301_000);
      assert.match((await codeStep(slow, await codeAt(secret, clock))).text, /Your sign-in has expired/);
      assert.equal(slow.cookies.get('sessionid'), undefined);
      // The account's own count of wrong codes must not block the owner from here on.
      await fixture.ctx.repos.authAttempts.delete(`two-factor:user:${owner.user.id}`);
    });

    test('a password change ends a login waiting for its code: the right code comes too late', async () => {
      const web = fixture.client();
      await passwordStep(web);
      const newPassword = 'another-password-77';
      await fixture.ctx.services.accounts.setPassword(cliContext('reset_password'), owner.user.id, newPassword, { checkRules: true });
      owner = { ...owner, password: newPassword };
      assert.match((await codeStep(web, await codeAt(secret, clock))).text, /Your sign-in has expired/);
      assert.equal(web.cookies.get('sessionid'), undefined);
      // The new password leads to the second page as before, and its code logs in.
      const again = fixture.client();
      assert.equal((await passwordStep(again)).headers.get('location'), SECOND_PAGE);
      clock.advance(30_000);
      assert.equal((await codeStep(again, await codeAt(secret, clock))).status, 302);
      assert.ok(again.cookies.get('sessionid'));
      clock.advance(30_000);
    });

    test('ten wrong codes within 15 minutes refuse codes for the account, whatever the login', async () => {
      for (let round = 0; round < 2; round += 1) {
        const web = fixture.client();
        await passwordStep(web);
        for (let i = 0; i < 5; i += 1) await codeStep(web, `00000${i}`);
      }
      const web = fixture.client();
      await passwordStep(web);
      const blocked = await codeStep(web, await codeAt(secret, clock));
      assert.equal(blocked.status, 429);
      assert.match(blocked.text, /Too many wrong codes for this account/);
      clock.advance(901_000);
      const later = fixture.client();
      await passwordStep(later);
      assert.equal((await codeStep(later, await codeAt(secret, clock))).status, 302);
    });

    test('API tokens are unaffected: legacy token and Bearer access tokens authenticate without a code', async () => {
      const api = fixture.client();
      assert.equal((await api.get('/api/current-user/whoami', { headers: tokenAuth(owner.token) })).status, 200);
      const pat = await api.post('/api/token/', { headers: tokenAuth(owner.token), raw: '' });
      assert.equal(pat.status, 201, pat.text);
      const refreshed = await api.post('/api/token/refresh/', { json: { refresh: (pat.body as { token: string }).token } });
      const access = (refreshed.body as { access: string }).access;
      assert.equal((await api.get('/api/current-user/whoami', { headers: bearerAuth(access) })).status, 200);
    });

    test('new recovery codes and turning it off take the password or a code; then the password alone logs in', async () => {
      clock.advance(30_000);
      const web = fixture.client();
      await passwordStep(web);
      assert.equal((await codeStep(web, await codeAt(secret, clock))).status, 302);

      assertError(await web.post('/api/current-user/two-factor/recovery-codes', { json: {} }), 400);
      assertError(await web.post('/api/current-user/two-factor/recovery-codes', { json: { password: 'not-the-password' } }), 400);
      const fresh = await web.post('/api/current-user/two-factor/recovery-codes', { json: { password: owner.password } });
      assert.equal(fresh.status, 201, fresh.text);
      const codes = (fresh.body as { recovery_codes: string[] }).recovery_codes;
      assert.equal(codes.length, 10);
      assert.equal((await actions('user.recovery_codes_regenerated')).length, 1);
      // The old codes stopped working.
      const old = fixture.client();
      await passwordStep(old);
      assert.match((await codeStep(old, recoveryCodes[1] ?? '')).text, /That code is not right/);

      // The code just used to log in is spent: turning it off with it is refused; the next one works.
      const spent = await web.post('/api/current-user/two-factor/disable', { json: { code: await codeAt(secret, clock) } });
      assertError(spent, 400, 'Validation error');
      assert.equal((await web.post('/api/current-user/two-factor/disable', { headers: tokenAuth(owner.token), json: { password: owner.password } })).status, 403);
      clock.advance(30_000);
      const off = await web.post('/api/current-user/two-factor/disable', { json: { code: await codeAt(secret, clock) } });
      assert.equal(off.status, 204, off.text);
      const disabled = (await actions('user.two_factor_disabled')).at(-1);
      assert.deepEqual(JSON.parse(disabled?.details ?? '{}'), { confirmed_with: 'totp' });

      const plain = fixture.client();
      const login = await passwordStep(plain);
      assert.equal(login.headers.get('location'), '/projects/');
      assert.ok(plain.cookies.get('sessionid'));
      const rows = await fixture.ctx.database.db.selectFrom('two_factor_recovery_codes').selectAll().where('user_id', '=', owner.user.id).execute();
      assert.equal(rows.length, 0, 'the recovery codes went with it');
    });
  });
}
