import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { generate } from 'otplib';
import { AUDIT_ACTIONS } from '#src/domain/audit.js';
import type { MailMessage } from '#src/ports/mailer.port.js';
import { runCli } from '../helpers/cli.js';
import { LS_SECRET_KEY } from '../helpers/label-studio-fixture.js';
import { fixtureSource } from '../helpers/label-studio-import.js';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';
import { actingAs, buildMember, buildOwner, inviteTokenOf } from '../helpers/factories.js';
import { bearerAuth, tokenAuth, type HttpClient } from '../helpers/http-client.js';
import { solidPng } from '../helpers/png.js';
import { useTestServer } from '../helpers/test-server.js';

type Entry = {
  id: number;
  user_id: number | null;
  email: string;
  request_method: string;
  request_url: string;
  response_code: string;
  extra_data: { action: string; auth_method: string; target_type: string | null; target_id: number | null; details: Record<string, unknown> };
};

for (const kind of DATABASE_KINDS) {
  describe(`the activity log records every state-changing action [${kind}]`, { skip: skipReason(kind) }, () => {
    // Mail is recorded rather than sent (the SMTP path has its own tests): invitations and reset links need a transport.
    // Three failures lock an account at once (no waits), so the story's lockout needs no clock.
    const delivered: MailMessage[] = [];
    const fixture = useTestServer(
      kind,
      { login: { accountFailures: 3, delayAfter: 0, addressFailures: 0, lockoutSeconds: 900 } },
      { mailTransport: { deliver: async (message) => void delivered.push(message) } },
    );

    test('each audited action has its entry — who, how, from where — with secrets redacted; a refused change leaves none', async () => {
      const { ctx } = fixture;
      const secrets: string[] = [];
      const owner = await buildOwner(ctx, { password: 'owner-password-1' });
      const orgId = owner.user.active_organization_id ?? 0;
      const admin = await buildMember(ctx, orgId, { role: 'AD', password: 'admin-password-1' });
      secrets.push(owner.token, admin.token, 'owner-password-1', 'admin-password-1');
      const api = fixture.client();
      const as = (token: string) => ({ headers: tokenAuth(token) });
      const call = async (method: string, path: string, token: string, json?: unknown, expected = 200) => {
        const res = await api.request(method, path, { ...as(token), ...(json === undefined ? { raw: '' } : { json }) });
        assert.equal(res.status, expected, `${method} ${path}: ${res.text}`);
        return (res.text ? res.body : {}) as Record<string, unknown>;
      };
      const org = `/api/organizations/${orgId}`;

      // The web: sign-up by invite link, a refused login, a login, a logout.
      const invite = await inviteTokenOf(ctx, orgId);
      secrets.push(invite);
      const web = fixture.client();
      assert.equal((await web.signup('newcomer@example.com', 'newcomer-password-1', invite)).status, 302);
      await web.get('/logout');
      const wrong = await fixture.client().login('newcomer@example.com', 'not-the-password');
      assert.equal(wrong.status, 200);
      assert.equal((await web.login('newcomer@example.com', 'newcomer-password-1')).status, 302);
      await web.get('/logout');
      secrets.push('newcomer-password-1', 'not-the-password');

      // Users and profiles (legacy token), avatar (multipart), hotkeys.
      const created = await call('POST', '/api/users/', owner.token, { email: 'made@example.com', username: 'made', password: 'made-password-1' }, 201);
      secrets.push('made-password-1');
      const madeId = created.id as number;
      await call('PATCH', `/api/users/${madeId}/`, admin.token, { first_name: 'Made' });
      const avatar = new FormData();
      avatar.append('avatar', new Blob([solidPng(8, 8)], { type: 'image/png' }), 'a.png');
      assert.equal((await api.post(`/api/users/${madeId}/avatar/`, { ...as(owner.token), multipart: avatar })).status, 200);
      await call('PATCH', '/api/current-user/hotkeys/', admin.token, { custom_hotkeys: { 'editor:save': { key: 'ctrl+s', active: true } } });

      // Roles: pending → approved, deactivated → reactivated, role change, removal, leaving, deletion, ownership.
      const pending = await buildMember(ctx, orgId, { role: 'NO' });
      await call('PATCH', `${org}/memberships`, admin.token, { user_id: pending.user.id, role: 'AN' });
      await call('PATCH', `${org}/memberships`, admin.token, { user_id: pending.user.id, role: 'DI' });
      await call('PATCH', `${org}/memberships`, admin.token, { user_id: pending.user.id, role: 'AN' });
      await call('PATCH', `${org}/memberships`, admin.token, { user_id: pending.user.id, role: 'RE' });
      const leaving = await buildMember(ctx, orgId);
      await call('POST', `${org}/leave`, leaving.token, undefined, 204);
      const removed = await buildMember(ctx, orgId);
      await call('DELETE', `${org}/memberships/${removed.user.id}/`, owner.token, undefined, 204);
      await call('DELETE', `/api/users/${madeId}/`, admin.token, undefined, 204);

      // Organization settings, permissions, invite link, token settings.
      await call('PATCH', org, owner.token, { title: 'Renamed organization' });
      await call('PATCH', `${org}/set-default-role`, owner.token, { default_role: 'NO' });
      await call('POST', `${org}/permissions`, owner.token, { permission: 'users.token.any', roles: ['OW', 'AD'] });
      await call('POST', `${org}/permissions/reset`, owner.token, undefined, 204);
      secrets.push(((await call('POST', '/api/invite/reset-token', owner.token, undefined, 201)).token as string) ?? '');
      await call('POST', '/api/jwt/settings', owner.token, { api_tokens_enabled: false, legacy_api_tokens_enabled: true, api_token_ttl_days: 73000 });
      await call('POST', '/api/jwt/settings', owner.token, { api_tokens_enabled: true, legacy_api_tokens_enabled: true, api_token_ttl_days: 73000 });

      // Tokens: a PAT created, used through Bearer, rotated, revoked; the legacy key reset.
      const pat = (await call('POST', '/api/token/', admin.token, undefined, 201)).token as string;
      const access = ((await api.post('/api/token/refresh/', { json: { refresh: pat } })).body as { access: string }).access;
      const rotated = ((await api.post('/api/token/rotate/', { headers: bearerAuth(access), json: { refresh: pat } })).body as { refresh: string }).refresh;
      assert.equal((await api.post('/api/token/blacklist/', { json: { refresh: rotated } })).status, 204);
      const newKey = (await call('POST', '/api/current-user/reset-token/', admin.token, undefined, 201)).token as string;
      secrets.push(pat, access, rotated, newKey);

      // Two-factor sign-in: enrolled, a wrong code and a recovery code at login, new recovery codes, required and not,
      // reset by the owner, enrolled again and turned off.
      const totp = async (secret: string) => generate({ secret, epoch: Math.floor(Date.now() / 1000) });
      const enrol = async (client: HttpClient) => {
        const { secret } = (await client.post('/api/current-user/two-factor/enrolment', { raw: '' })).body as { secret: string };
        const confirmed = await client.post('/api/current-user/two-factor/enrolment/confirm', { json: { code: await totp(secret) } });
        assert.equal(confirmed.status, 201, confirmed.text);
        secrets.push(secret, ...(confirmed.body as { recovery_codes: string[] }).recovery_codes);
        return (confirmed.body as { recovery_codes: string[] }).recovery_codes;
      };
      const adminWeb = fixture.client();
      assert.equal((await adminWeb.login(admin.email, 'admin-password-1')).status, 302);
      const [recovery] = await enrol(adminWeb);
      const second = fixture.client();
      assert.equal((await second.login(admin.email, 'admin-password-1')).status, 302);
      const codeForm = (code: string) => ({ form: { code, csrfmiddlewaretoken: second.cookies.get('csrftoken') ?? '' } });
      assert.equal((await second.post('/user/login/two-factor/', codeForm('not-a-code'))).status, 200);
      assert.equal((await second.post('/user/login/two-factor/', codeForm(recovery ?? ''))).status, 302);
      await call('PATCH', `${org}/two-factor`, newKey, { require_two_factor: true });
      await call('PATCH', `${org}/two-factor`, newKey, { require_two_factor: false });
      const renewed = await second.post('/api/current-user/two-factor/recovery-codes', { json: { password: 'admin-password-1' } });
      assert.equal(renewed.status, 201, renewed.text);
      secrets.push(...(renewed.body as { recovery_codes: string[] }).recovery_codes);
      await call('DELETE', `${org}/memberships/${admin.user.id}/two-factor`, owner.token, undefined, 204);
      await enrol(second);
      assert.equal((await second.post('/api/current-user/two-factor/disable', { json: { password: 'admin-password-1' } })).status, 204);

      // E-mail: invitations sent, resent, revoked and accepted; a password reset asked for.
      const tokenMailedTo = async (email: string) => {
        await ctx.mailer.flush();
        const token = /token=([\w-]+)/.exec(delivered.filter((m) => m.to === email).at(-1)?.text ?? '')?.[1];
        assert.ok(token, `a link mailed to ${email}`);
        secrets.push(token);
        return token;
      };
      await call('POST', '/api/invite/send-email', owner.token, { emails: ['invited@example.com', 'withdrawn@example.com'], role: 'AN' });
      await call('POST', '/api/invite/revoke', owner.token, { email: 'withdrawn@example.com' });
      await call('POST', '/api/invite/resend', owner.token, { email: 'invited@example.com' });
      const invited = fixture.client();
      const acceptLink = `/user/invite/accept/?token=${await tokenMailedTo('invited@example.com')}`;
      assert.equal((await invited.get(acceptLink)).status, 200);
      const accepted = await invited.post(acceptLink, { form: { password: 'invited-password-4', csrfmiddlewaretoken: invited.cookies.get('csrftoken') ?? '' } });
      assert.equal(accepted.status, 303, accepted.text);
      const forgetful = fixture.client();
      await forgetful.get('/user/password-reset/');
      const asked = await forgetful.post('/user/password-reset/', { form: { email: admin.email, csrfmiddlewaretoken: forgetful.cookies.get('csrftoken') ?? '' } });
      assert.equal(asked.status, 200, asked.text);
      await tokenMailedTo(admin.email);
      secrets.push('invited-password-4');

      // Projects: created, tasks imported, an annotation.
      const project = await call('POST', '/api/projects/', newKey, { title: 'Logged project' }, 201);
      const imported = await call('POST', `/api/projects/${project.id as number}/import?return_task_ids=true`, newKey, [{ text: 'x' }], 201);
      await call('POST', `/api/tasks/${(imported.task_ids as number[])[0] ?? 0}/annotations/`, newKey, { result: [] }, 201);

      // Ownership handed over last: the owner is an administrator afterwards.
      await call('POST', `${org}/transfer-ownership`, owner.token, { user_id: admin.user.id });

      // An organization of one's own; then a password reset from the CLI, and a password change at the service.
      await call('POST', '/api/organizations/', pending.token, { title: 'Elsewhere' }, 201);
      const dbEnv: Record<string, string> = kind === 'postgres' ? { DATABASE_URL: ctx.config.database.url } : {};
      const dbArgs = kind === 'sqlite' ? ['--database', ctx.config.database.url.slice('sqlite:'.length)] : [];
      const reset = runCli(['reset_password', '--data-dir', ctx.dataDir, ...dbArgs, '--username', owner.email, '--password', 'a-reset-password-2'], dbEnv);
      assert.equal(reset.status, 0, reset.stdout + reset.stderr);
      // A Label Studio database moved in: one entry for the whole import.
      const { source } = await fixtureSource('sqlite');
      const moved = runCli(['import-label-studio', '--data-dir', ctx.dataDir, ...dbArgs, '--from', source.from], dbEnv);
      assert.equal(moved.status, 0, moved.stdout + moved.stderr);
      secrets.push(LS_SECRET_KEY);
      // Retention: an entry from two months ago purged from the CLI, which leaves an entry of its own.
      const aged = { ...(await ctx.database.db.selectFrom('activity_log').selectAll().where('organization_id', '=', orgId).orderBy('id').executeTakeFirstOrThrow()) };
      const { id: _agedId, ...agedRow } = aged;
      await ctx.database.db.insertInto('activity_log').values({ ...agedRow, created_at: new Date(Date.now() - 60 * 86_400_000).toISOString() }).execute();
      const purged = runCli(['audit', 'purge', '--data-dir', ctx.dataDir, ...dbArgs, '--days', '30'], dbEnv);
      assert.equal(purged.status, 0, purged.stdout + purged.stderr);
      secrets.push('a-reset-password-2', readFileSync(join(ctx.dataDir, 'secret_key'), 'utf8').trim());
      const acting = await actingAs(ctx, await ctx.services.accounts.getById(owner.user.id));
      await ctx.services.accounts.setPassword(acting, owner.user.id, 'a-changed-password-3', { checkRules: true });
      secrets.push('a-changed-password-3');

      // Sign-in safety: a lockout an administrator lifts, a session revoked, the session policy, a password changed.
      const newcomer = (await ctx.services.accounts.findByEmail('newcomer@example.com'))?.id ?? 0;
      for (let i = 0; i < 3; i += 1) assert.equal((await fixture.client().login('newcomer@example.com', 'wrong-password-5')).status, 200);
      assert.equal((await fixture.client().login('newcomer@example.com', 'newcomer-password-1')).status, 429);
      await call('POST', `/api/users/${newcomer}/unlock/`, owner.token);
      const [laptop, phone] = [fixture.client(), fixture.client()];
      for (const browser of [laptop, phone]) assert.equal((await browser.login('newcomer@example.com', 'newcomer-password-1')).status, 302);
      const sessions = (await laptop.get('/api/current-user/sessions/')).body as Array<{ id: string; current: boolean }>;
      assert.equal((await laptop.post('/api/current-user/sessions/revoke/', { json: { id: sessions.find((x) => !x.current)?.id } })).status, 200);
      await call('PATCH', '/api/session-policy/', newKey, { max_session_age: 600 });
      const changed = await laptop.post('/api/current-user/password/', { json: { current_password: 'newcomer-password-1', new_password: 'newcomer-changed-pass-6' } });
      assert.equal(changed.status, 200, changed.text);
      secrets.push('wrong-password-5', 'newcomer-changed-pass-6', laptop.cookies.get('sessionid') ?? '', phone.cookies.get('sessionid') ?? '');

      // Refused changes leave no entry.
      const before = await ctx.database.db.selectFrom('activity_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal((await api.patch(`/api/users/${admin.user.id}/`, { ...as(owner.token), json: { username: '' } })).status, 400);
      assert.equal((await api.post('/api/users/', { ...as(owner.token), json: { email: 'newcomer@example.com', username: 'dup' } })).status, 400);
      assert.equal((await api.patch(`${org}/memberships`, { ...as(owner.token), json: { user_id: owner.user.id, role: 'AN' } })).status, 403);
      assert.equal((await api.post(`${org}/permissions`, { ...as(owner.token), json: { permission: 'no.such', roles: [] } })).status, 403);
      const after = await ctx.database.db.selectFrom('activity_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(after.n), Number(before.n), 'a refused change writes nothing');

      // Every action: found, with who and how; no secret anywhere in the log.
      const rows = await ctx.database.db.selectFrom('activity_log').selectAll().orderBy('id').execute();
      const actions = new Set(rows.map((row) => row.action));
      // The e-mail flows have their entries asserted where they are driven end to end (password-reset-http,
      // invitations-http: they need the mail outbox and a link from the message).
      const elsewhere = new Set(['user.password_reset_requested', 'invite.sent', 'invite.resent', 'invite.revoked', 'invite.accepted']);
      for (const action of AUDIT_ACTIONS) if (!elsewhere.has(action)) assert.ok(actions.has(action), `no entry for ${action}`);
      const everything = JSON.stringify(rows);
      for (const secret of secrets.filter((s) => s.length >= 8)) assert.ok(!everything.includes(secret), `a secret is in the log: ${secret.slice(0, 6)}…`);

      const byAction = (action: string) => rows.filter((row) => row.action === action);
      const failed = byAction('auth.login_failed')[0];
      assert.deepEqual([failed?.response_code, failed?.auth_method, JSON.parse(failed?.details ?? '{}').email], ['400', 'anonymous', 'newcomer@example.com']);
      assert.equal(byAction('auth.logged_in')[0]?.auth_method, 'anonymous', 'a login is made by someone not signed in yet');
      assert.equal(byAction('auth.logged_out')[0]?.auth_method, 'session');
      assert.equal(byAction('user.created')[1]?.auth_method, 'legacy-token');
      assert.equal(byAction('token.rotated')[0]?.auth_method, 'jwt');
      const cli = byAction('user.password_reset')[0];
      assert.deepEqual([cli?.auth_method, cli?.request_method, cli?.actor_id], ['cli', 'CLI', null]);
      const deactivated = byAction('member.deactivated')[0];
      assert.deepEqual(JSON.parse(deactivated?.details ?? '{}'), { role: { before: 'AN', after: 'DI' } });
      assert.deepEqual([deactivated?.actor_id, deactivated?.target_id, deactivated?.organization_id], [admin.user.id, pending.user.id, orgId]);
      const profile = JSON.parse(byAction('user.profile_changed')[0]?.details ?? '{}') as { changes: Record<string, unknown> };
      assert.deepEqual(profile.changes.first_name, { before: '', after: 'Made' });
      assert.ok(byAction('auth.signed_up')[0]?.request_url.includes('token=[redacted]'), 'the invite token in the URL is redacted');

      // What an administrator reads through the API: their organization's entries, newest first.
      const listed = (await api.get('/api/activity-logs/?page_size=-1', as(newKey))).body as Array<{ data: Entry[] }>;
      assert.equal((await api.get('/api/activity-logs/', as(newKey))).status, 200);
      const data = listed[0]?.data ?? [];
      assert.ok(data.length > 20);
      assert.ok(data.every((entry, i) => i === 0 || (data[i - 1]?.id ?? 0) > entry.id), 'newest first');
      assert.ok(data.every((entry) => typeof entry.response_code === 'string'));
    });
  });
}
