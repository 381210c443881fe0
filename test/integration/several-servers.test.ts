import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { DATABASE_KINDS, freshDatabaseUrl, skipReason, tempDir } from '../helpers/databases.js';
import { bearerAuth, HttpClient, tokenAuth } from '../helpers/http-client.js';
import { gradientPng } from '../helpers/png.js';
import { freePort, startServerProcess, type ServerProcess } from '../helpers/server-process.js';

const SECRET_KEY = 'shared-secret-of-several-servers-0123456789ab';
/** What the issue allows another server: a revocation made on one is refused by the others within a second. */
const PROPAGATION_MS = 1_000;

/**
 * Polls `status()` until it answers `expected`; fails unless that happened within PROPAGATION_MS of the change. The
 * caches of the server polled were warmed just before the change, so a stale cache would show here.
 */
async function refusedWithin(what: string, changedAt: number, status: () => Promise<number>, expected: number): Promise<void> {
  let last = await status();
  while (last !== expected && performance.now() - changedAt < PROPAGATION_MS + 500) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    last = await status();
  }
  const elapsed = performance.now() - changedAt;
  assert.equal(last, expected, `${what}: still ${last} after ${Math.round(elapsed)} ms`);
  assert.ok(elapsed < PROPAGATION_MS, `${what}: took ${Math.round(elapsed)} ms to reach the other server`);
}

for (const kind of DATABASE_KINDS) {
  describe(`two server processes on one database and one media directory [${kind}]`, { skip: skipReason(kind) }, () => {
    test('sessions, keys and PATs made on one work on the other; revocations, deactivation and a new password reach the other within a second; avatars are shared', async () => {
      const dataDir = tempDir();
      const databaseUrl = await freshDatabaseUrl(kind, dataDir);
      const env: Record<string, string> = { SECRET_KEY, DATABASE_URL: databaseUrl, LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN: 'true' };
      const cli = (args: string[]) => {
        const result = runCli([...args, '--data-dir', dataDir], env);
        assert.equal(result.status, 0, result.stderr);
        return result.stdout;
      };
      cli(['init', '--username', 'owner@example.com', '--password', 'owner-password-1', '-q']);
      const ownerKey = (JSON.parse(cli(['user', '--username', 'owner@example.com', '--json'])) as { token: string }).token;
      // Both share the data directory (its media folder) as they would share a volume behind a load balancer.
      const start = async (): Promise<ServerProcess> => startServerProcess(['--data-dir', dataDir, '-p', String(await freePort()), '--internal-host', '127.0.0.1'], env);
      const [a, b] = await Promise.all([start(), start()]);
      try {
        const onA = new HttpClient(a.url.replace('localhost', '127.0.0.1'));
        const onB = new HttpClient(b.url.replace('localhost', '127.0.0.1'));
        const owner = tokenAuth(ownerKey);
        const orgId = ((await onA.get('/api/current-user/whoami', { headers: owner })).body as { active_organization: number }).active_organization;
        const created = await onA.post('/api/users/', { headers: owner, json: { email: 'member@example.com', username: 'member', password: 'member-password-1' } });
        assert.equal(created.status, 201, created.text);
        const memberId = (created.body as { id: number }).id;

        // Made on A, used on B.
        const session = onA.fresh();
        assert.equal((await session.login('member@example.com', 'member-password-1')).status, 302);
        const sessionOnB = onB.fresh();
        for (const [name, value] of session.cookies) sessionOnB.cookies.set(name, value);
        const key = ((await session.get('/api/current-user/token')).body as { token: string }).token;
        const pat = ((await onA.post('/api/token/', { headers: tokenAuth(key), raw: '' })).body as { token: string }).token;
        const access = ((await onA.post('/api/token/refresh/', { json: { refresh: pat } })).body as { access: string }).access;
        const whoamiOnB = {
          session: async () => (await sessionOnB.get('/api/current-user/whoami')).status,
          key: async (k: string) => (await onB.get('/api/current-user/whoami', { headers: tokenAuth(k) })).status,
          access: async () => (await onB.get('/api/current-user/whoami', { headers: bearerAuth(access) })).status,
          refresh: async () => (await onB.post('/api/token/refresh/', { json: { refresh: pat } })).status,
        };
        assert.deepEqual([await whoamiOnB.session(), await whoamiOnB.key(key), await whoamiOnB.access(), await whoamiOnB.refresh()], [200, 200, 200, 200]);

        // A member deactivated by a third process (the CLI): refused by both servers within a second, every way in.
        for (let i = 0; i < 3; i += 1) await whoamiOnB.key(key);
        cli(['users', 'set-role', '--username', 'member@example.com', '--role', 'DI']);
        let changedAt = performance.now();
        await refusedWithin('deactivated, legacy key on B', changedAt, () => whoamiOnB.key(key), 403);
        await refusedWithin('deactivated, session on B', changedAt, whoamiOnB.session, 403);
        await refusedWithin('deactivated, access token on B', changedAt, whoamiOnB.access, 403);
        await refusedWithin('deactivated, legacy key on A', changedAt, async () => (await onA.get('/api/current-user/whoami', { headers: tokenAuth(key) })).status, 403);

        // Reactivated (a role change) on A: B lets them in again within a second.
        const on = await onA.patch(`/api/organizations/${orgId}/memberships`, { headers: owner, json: { user_id: memberId, role: 'AN' } });
        assert.equal(on.status, 200, on.text);
        changedAt = performance.now();
        await refusedWithin('reactivated, legacy key on B', changedAt, () => whoamiOnB.key(key), 200);

        // The legacy key reset on A: the old one is refused on B (whose cache knew it), the new one works there.
        assert.equal(await whoamiOnB.key(key), 200);
        const reset = await onA.post('/api/current-user/reset-token/', { headers: tokenAuth(key), raw: '' });
        assert.equal(reset.status, 201, reset.text);
        changedAt = performance.now();
        await refusedWithin('reset legacy key on B', changedAt, () => whoamiOnB.key(key), 401);
        const newKey = (reset.body as { token: string }).token;
        assert.equal(await whoamiOnB.key(newKey), 200);

        // The PAT revoked on A: B refuses to refresh it.
        const revoked = await onA.post('/api/token/blacklist/', { json: { refresh: pat } });
        assert.equal(revoked.status, 204, revoked.text);
        changedAt = performance.now();
        await refusedWithin('revoked PAT on B', changedAt, whoamiOnB.refresh, 401);

        // Logged out on A: the session cookie is refused on B.
        assert.equal(await whoamiOnB.session(), 200);
        await session.post('/logout', { raw: '' });
        changedAt = performance.now();
        await refusedWithin('logged-out session on B', changedAt, whoamiOnB.session, 401);

        // "Sign out everywhere else", then a password change, asked on A: the other sessions are refused on B.
        const kept = onA.fresh();
        assert.equal((await kept.login('member@example.com', 'member-password-1')).status, 302);
        const elsewhere = async (): Promise<HttpClient> => {
          const other = onB.fresh();
          assert.equal((await other.login('member@example.com', 'member-password-1')).status, 302);
          assert.equal((await other.get('/api/current-user/whoami')).status, 200);
          return other;
        };
        let other = await elsewhere();
        assert.equal((await kept.post('/api/current-user/sessions/revoke-others/', { raw: '' })).status, 200);
        changedAt = performance.now();
        await refusedWithin('session signed out from A, on B', changedAt, async () => (await other.get('/api/current-user/whoami')).status, 401);
        other = await elsewhere();
        const changedPassword = await kept.post('/api/current-user/password/', { json: { current_password: 'member-password-1', new_password: 'member-password-3' } });
        assert.equal(changedPassword.status, 200, changedPassword.text);
        changedAt = performance.now();
        await refusedWithin('other session after a password change on A, on B', changedAt, async () => (await other.get('/api/current-user/whoami')).status, 401);
        assert.equal((await kept.get('/api/current-user/whoami')).status, 200, 'the session that changed it stays');

        // A session policy changed on A: a login on B (whose cache knew the old one) keeps its cookie that long.
        const maxAgeOnB = async (): Promise<string | undefined> => {
          const c = onB.fresh();
          await c.get('/user/login/');
          const login = await c.post('/user/login/', { form: { email: 'member@example.com', password: 'member-password-3', persist_session: 'on', csrfmiddlewaretoken: c.cookies.get('csrftoken') ?? '' } });
          return /Max-Age=(\d+)/.exec(login.headers.getSetCookie().find((l) => l.startsWith('sessionid=')) ?? '')?.[1];
        };
        assert.equal(await maxAgeOnB(), String(14 * 24 * 3600));
        assert.equal((await onA.patch('/api/session-policy/', { headers: owner, json: { max_session_age: 90 } })).status, 200);
        changedAt = performance.now();
        let maxAge = await maxAgeOnB();
        while (maxAge !== '5400' && performance.now() - changedAt < PROPAGATION_MS + 500) {
          await new Promise((resolve) => setTimeout(resolve, 25));
          maxAge = await maxAgeOnB();
        }
        assert.equal(maxAge, '5400', 'the new policy reached B');
        assert.ok(performance.now() - changedAt < PROPAGATION_MS, 'the new policy took too long to reach B');

        // A new password set by the CLI ends the sessions everywhere.
        const again = onB.fresh();
        assert.equal((await again.login('member@example.com', 'member-password-3')).status, 302);
        const againOnA = onA.fresh();
        for (const [name, value] of again.cookies) againOnA.cookies.set(name, value);
        assert.equal((await againOnA.get('/api/current-user/whoami')).status, 200);
        cli(['reset_password', '--username', 'member@example.com', '--password', 'member-password-2']);
        changedAt = performance.now();
        await refusedWithin('session after a new password, on A', changedAt, async () => (await againOnA.get('/api/current-user/whoami')).status, 401);
        await refusedWithin('session after a new password, on B', changedAt, async () => (await again.get('/api/current-user/whoami')).status, 401);

        // A member renamed on A turns up in a search B remembered, within a second.
        const searchOnB = async () => ((await onB.get(`/api/organizations/${orgId}/memberships?search=zebrafinch`, { headers: owner })).body as { count: number }).count;
        assert.equal(await searchOnB(), 0);
        const renamed = await onA.patch(`/api/users/${memberId}/`, { headers: owner, json: { first_name: 'Zebrafinch' } });
        assert.equal(renamed.status, 200, renamed.text);
        await refusedWithin('a rename, in a search on B', performance.now(), searchOnB, 1);

        // An avatar uploaded through A is served by B.
        const png = gradientPng(16, 16);
        const form = new FormData();
        form.append('avatar', new Blob([png], { type: 'image/png' }), 'face.png');
        const saved = await onA.post(`/api/users/${memberId}/avatar/`, { headers: owner, multipart: form });
        assert.equal(saved.status, 200, saved.text);
        const avatar = ((await onB.get(`/api/users/${memberId}/`, { headers: owner })).body as { avatar: string }).avatar;
        assert.match(avatar, /^\/data\/avatars\//);
        const served = await fetch(new URL(avatar, onB.baseUrl));
        assert.equal(served.status, 200);
        assert.deepEqual(Buffer.from(await served.arrayBuffer()), png);
      } finally {
        await Promise.all([a.stop(), b.stop()]);
      }
    });
  });
}
