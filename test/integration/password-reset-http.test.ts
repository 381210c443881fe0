import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { cliContext } from '#src/policies/action-context.js';
import { RESET_LIMITS } from '#src/services/password-reset.service.js';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';
import { buildMember, buildOwner, type TestUser } from '../helpers/factories.js';
import { HttpClient, tokenAuth } from '../helpers/http-client.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { linkIn, startSmtpTestServer, type SmtpTestServer } from '../helpers/smtp-test-server.js';
import { useTestServer } from '../helpers/test-server.js';

const PUBLIC_URL = 'https://labels.example.com';
const CONFIRM = `${PUBLIC_URL}/user/password-reset/confirm/?token=`;

/** Asks for a reset link through the form, as a browser does. */
async function requestReset(client: HttpClient, email: string) {
  await client.get('/user/password-reset/');
  return client.post('/user/password-reset/', { form: { email, csrfmiddlewaretoken: client.cookies.get('csrftoken') ?? '' } });
}

/** Follows a link from a message: the path and query on this test server. */
const local = (link: string): string => link.slice(PUBLIC_URL.length);

async function choosePassword(client: HttpClient, link: string, password: string, confirm = password) {
  await client.get(local(link));
  return client.post(local(link), { form: { password, password_confirm: confirm, csrfmiddlewaretoken: client.cookies.get('csrftoken') ?? '' } });
}

/** One relay for the file: each server below sends through it. */
const smtp: SmtpTestServer = await startSmtpTestServer({});
after(() => smtp.close());

for (const kind of DATABASE_KINDS) {
  describe(`forgotten password by e-mail [${kind}]`, { skip: skipReason(kind) }, () => {
    const clock = new ManualClock();
    const fixture = useTestServer(kind, { server: { host: PUBLIC_URL }, mail: { smtp: smtp.config() } }, { clock });
    let owner: TestUser;
    let member: TestUser;
    /** Waits for the mail of everything committed so far, then answers the messages received since `from`. */
    const mailSince = async (from: number) => {
      await fixture.ctx.mailer.flush();
      return smtp.received.slice(from);
    };

    before(async () => {
      owner = await buildOwner(fixture.ctx);
      member = await buildMember(fixture.ctx, owner.user.active_organization_id ?? 0, { email: `grace-${kind}@example.com`, password: 'first-password-9' });
    });

    test('the login page links to the request page, which asks for the e-mail address', async () => {
      const client = fixture.client();
      const login = await client.get('/user/login/');
      assert.match(login.text, /<a href="\/user\/password-reset\/">Forgot password\?<\/a>/);
      const page = await client.get('/user/password-reset/');
      assert.equal(page.status, 200);
      assert.match(page.text, /<h1>Forgot your password\?<\/h1>/);
      assert.match(page.text, /name="email"/);
      assert.equal(page.headers.get('x-robots-tag'), 'noindex, nofollow');
    });

    test('a known and an unknown address get the same answer; only the known one gets mail, with a link to the public URL', async () => {
      const before = smtp.received.length;
      const known = await requestReset(fixture.client(), member.email.toUpperCase());
      const unknown = await requestReset(fixture.client(), `nobody-${kind}@example.com`);
      assert.equal(known.status, 200);
      assert.deepEqual([unknown.status, unknown.text], [known.status, known.text]);
      assert.match(known.text, /If an account exists for that e-mail address/);
      const mails = await mailSince(before);
      assert.equal(mails.length, 1);
      const [mail] = mails;
      assert.deepEqual(mail?.to, [member.email]);
      assert.equal(mail?.subject, 'Reset your Label Studio password');
      assert.match(mail?.text ?? '', /It works once, for 1 hour\./);
      const link = linkIn(mail!, CONFIRM);
      assert.ok(mail?.html.includes(`href="${link}"`), 'the HTML part carries the same link');
      // Nothing usable is stored: only a keyed hash of the link's secret.
      const token = new URL(link).searchParams.get('token') ?? '';
      const rows = await fixture.ctx.database.db.selectFrom('password_reset_tokens').selectAll().execute();
      assert.ok(rows.length >= 1 && rows.every((row) => !row.token_hash.includes(token) && !JSON.stringify(row).includes(token)));
    });

    test('the link: the password rule applies, a mismatch is refused, then the new password works and every session ends', async () => {
      const before = smtp.received.length;
      const signedIn = fixture.client();
      assert.equal((await signedIn.login(member.email, 'first-password-9')).status, 302);
      await requestReset(fixture.client(), member.email);
      const link = linkIn((await mailSince(before))[0]!, CONFIRM);

      const client = fixture.client();
      const form = await client.get(local(link));
      assert.equal(form.status, 200);
      assert.equal(form.headers.get('cache-control'), 'no-store');
      assert.equal(form.headers.get('referrer-policy'), 'no-referrer');
      assert.ok(form.text.includes(member.email));
      const weak = await choosePassword(client, link, '12345678');
      assert.equal(weak.status, 400);
      assert.match(weak.text, /This password is entirely numeric\.|too common/);
      const mismatch = await choosePassword(client, link, 'brand-new-pass-4', 'brand-new-pass-5');
      assert.match(mismatch.text, /The two passwords do not match\./);

      const done = await choosePassword(client, link, 'brand-new-pass-4');
      assert.equal(done.status, 303);
      assert.equal(done.headers.get('location'), '/user/password-reset/done/');
      assert.match((await client.get('/user/password-reset/done/')).text, /Your password has been changed/);
      assert.equal((await signedIn.get('/api/current-user/whoami')).status, 401, 'the session from before the reset ended');
      // The legacy API token is for scripts and stays (the Account page revokes it).
      assert.equal((await fixture.client().get('/api/current-user/whoami', { headers: tokenAuth(member.token) })).status, 200);
      assert.equal((await fixture.client().login(member.email, 'first-password-9')).status, 200, 'the old password is refused');
      assert.equal((await fixture.client().login(member.email, 'brand-new-pass-4')).status, 302);

      const again = await client.get(local(link));
      assert.equal(again.status, 400);
      assert.match(again.text, /This password reset link is invalid/);
      assert.equal((await choosePassword(client, link, 'another-pass-77')).status, 400, 'the link works once');
    });

    test('a link expires after PASSWORD_RESET_TIMEOUT, and any other password change voids it', async () => {
      let from = smtp.received.length;
      await requestReset(fixture.client(), member.email);
      const expiring = linkIn((await mailSince(from))[0]!, CONFIRM);
      const late = fixture.client();
      assert.equal((await late.get(local(expiring))).status, 200, 'the form opened in time');
      clock.advance(fixture.ctx.config.mail.passwordResetSeconds * 1000 + 1000);
      const expired = await late.post(local(expiring), { form: { password: 'too-late-pass-11', password_confirm: 'too-late-pass-11', csrfmiddlewaretoken: late.cookies.get('csrftoken') ?? '' } });
      assert.equal(expired.status, 400);
      assert.match(expired.text, /invalid: it has expired or was already used/);

      from = smtp.received.length;
      await requestReset(fixture.client(), member.email);
      const voided = linkIn((await mailSince(from))[0]!, CONFIRM);
      await fixture.ctx.services.accounts.setPassword(cliContext('reset_password'), member.user.id, 'set-by-operator-3', { checkRules: true });
      assert.equal((await fixture.client().get(local(voided))).status, 400);
    });

    test('limits: past the per-account limit nothing more is sent (same answer); past the per-client limit the form says to wait', async () => {
      clock.advance(RESET_LIMITS.windowSeconds * 1000 + 1000);
      const from = smtp.received.length;
      const answers = new Set<string>();
      for (let i = 0; i < RESET_LIMITS.perAccount + 2; i += 1) answers.add((await requestReset(fixture.client(), owner.email)).text);
      assert.equal(answers.size, 1, 'the answer never changes');
      assert.equal((await mailSince(from)).length, RESET_LIMITS.perAccount);
      let last = await requestReset(fixture.client(), `someone-${kind}@example.com`);
      for (let i = RESET_LIMITS.perAccount + 3; i < RESET_LIMITS.perClient; i += 1) last = await requestReset(fixture.client(), `someone-${kind}@example.com`);
      assert.equal(last.status, 200);
      const refused = await requestReset(fixture.client(), `someone-${kind}@example.com`);
      assert.equal(refused.status, 429);
      assert.match(refused.text, /Too many password reset requests from your network/);
      clock.advance(RESET_LIMITS.windowSeconds * 1000 + 1000);
    });

    test('the activity log has each request (unknown addresses in no organization) and each reset', async () => {
      const rows = await fixture.ctx.database.db.selectFrom('activity_log').selectAll().where('action', 'in', ['user.password_reset_requested', 'user.password_reset']).orderBy('id').execute();
      const mine = rows.filter((row) => row.target_id === member.user.id);
      assert.ok(mine.some((row) => row.action === 'user.password_reset' && JSON.parse(row.details).via === 'email_link' && row.organization_id === owner.user.active_organization_id));
      assert.ok(mine.some((row) => row.action === 'user.password_reset_requested' && JSON.parse(row.details).sent === true));
      const unknown = rows.find((row) => JSON.parse(row.details).email === `nobody-${kind}@example.com`);
      assert.equal(unknown?.organization_id, null);
      assert.equal(JSON.parse(unknown?.details ?? '{}').sent, false);
      assert.ok(rows.every((row) => !row.request_url.includes('token=') || row.request_url.includes('token=[redacted]')));
    });
  });

  describe(`a completed reset lifts the account's login lockout [${kind}]`, { skip: skipReason(kind) }, () => {
    // Three failures lock an account at once (no waits); the address allows more, so its count is seen to stay.
    const fixture = useTestServer(kind, { server: { host: PUBLIC_URL }, mail: { smtp: smtp.config() }, login: { accountFailures: 3, delayAfter: 0, addressFailures: 20, lockoutSeconds: 900 } });
    const mailSince = async (from: number) => {
      await fixture.ctx.mailer.flush();
      return smtp.received.slice(from);
    };
    const unlocks = async (userId: number) =>
      (await fixture.ctx.database.db.selectFrom('activity_log').selectAll().where('action', '=', 'auth.unlocked').where('target_id', '=', userId).orderBy('id').execute()).map(
        (row) => ({ actor: row.actor_id, organization: row.organization_id, details: JSON.parse(row.details) as Record<string, unknown> }),
      );

    test('locked by failed logins, the person resets through the e-mail link and logs in with the new password at once', async () => {
      const owner = await buildOwner(fixture.ctx);
      const member = await buildMember(fixture.ctx, owner.user.active_organization_id ?? 0, { email: `locked-${kind}@example.com`, password: 'first-password-9' });
      for (let i = 0; i < 3; i += 1) assert.equal((await fixture.client().login(member.email, 'wrong-password-0')).status, 200);
      const locked = await fixture.client().login(member.email, 'first-password-9');
      assert.equal(locked.status, 429, 'the right password is refused while locked');
      assert.match(locked.text, /Too many failed logins for this account/);

      const before = smtp.received.length;
      await requestReset(fixture.client(), member.email);
      const link = linkIn((await mailSince(before))[0]!, CONFIRM);
      const client = fixture.client();
      assert.equal((await choosePassword(client, link, '12345678')).status, 400, 'a refused password changes nothing');
      assert.equal((await fixture.client().login(member.email, 'first-password-9')).status, 429, 'still locked after a refused reset');
      assert.equal((await choosePassword(client, link, 'unlocked-pass-42')).status, 303);

      assert.equal((await fixture.client().login(member.email, 'unlocked-pass-42')).status, 302, 'the new password logs in at once');
      const [lifted] = await unlocks(member.user.id);
      assert.deepEqual(lifted, {
        actor: member.user.id,
        organization: owner.user.active_organization_id,
        details: { scope: 'account', email: member.email, was_locked: true, failures: 3, via: 'password_reset' },
      });
      // The client address keeps its own count: a reset proves nothing about a network.
      const addresses = await fixture.ctx.database.db.selectFrom('auth_attempts').selectAll().where('scope', 'like', 'login:address:%').execute();
      assert.ok(addresses.some((row) => Number(row.failures) >= 3), JSON.stringify(addresses));
    });

    test('a reset of an account with no failures records no unlock', async () => {
      const owner = await buildOwner(fixture.ctx);
      const member = await buildMember(fixture.ctx, owner.user.active_organization_id ?? 0, { email: `calm-${kind}@example.com`, password: 'first-password-9' });
      const before = smtp.received.length;
      await requestReset(fixture.client(), member.email);
      assert.equal((await choosePassword(fixture.client(), linkIn((await mailSince(before))[0]!, CONFIRM), 'calm-new-pass-8')).status, 303);
      assert.equal((await fixture.client().login(member.email, 'calm-new-pass-8')).status, 302);
      assert.deepEqual(await unlocks(member.user.id), []);
    });
  });

  describe(`forgotten password without SMTP [${kind}]`, { skip: skipReason(kind) }, () => {
    const fixture = useTestServer(kind);

    test('the page says to ask an administrator (label-studio reset_password) and shows no form', async () => {
      const client = fixture.client();
      const page = await client.get('/user/password-reset/');
      assert.match(page.text, /This server cannot send e-mail/);
      assert.match(page.text, /label-studio reset_password/);
      assert.doesNotMatch(page.text, /<form/);
      const posted = await client.post('/user/password-reset/', { form: { email: 'a@example.com', csrfmiddlewaretoken: client.cookies.get('csrftoken') ?? '' } });
      assert.equal(posted.status, 400);
      assert.match(posted.text, /Ask an administrator/);
    });
  });
}
