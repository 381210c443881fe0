import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { DATABASE_KINDS, freshDatabaseUrl, skipReason, tempDir } from '../helpers/databases.js';
import { bearerAuth, HttpClient, tokenAuth } from '../helpers/http-client.js';
import { freePort, startServerProcess } from '../helpers/server-process.js';

const SECRET_KEY = 'shared-secret-of-two-servers-0123456789abcdef';

for (const kind of DATABASE_KINDS) {
  describe(`deactivation reaches every server process on one database [${kind}]`, { skip: skipReason(kind) }, () => {
    test('a member deactivated through one server is refused by the other on the next request: session, legacy token, PAT, access token', async () => {
      const dataDir = tempDir();
      const databaseUrl = await freshDatabaseUrl(kind, dataDir);
      const env: Record<string, string> = { SECRET_KEY, DATABASE_URL: databaseUrl, LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN: 'true' };
      const start = async () =>
        startServerProcess(['--data-dir', tempDir(), '-p', String(await freePort()), '--internal-host', '127.0.0.1'], env);
      const init = runCli(['init', '--data-dir', dataDir, '--username', 'owner@example.com', '--password', 'owner-password-1', '-q'], env);
      assert.equal(init.status, 0, init.stderr);
      const ownerKey = (JSON.parse(runCli(['user', '--data-dir', dataDir, '--username', 'owner@example.com', '--json'], env).stdout) as { token: string }).token;
      const [a, b] = [await start(), await start()];
      try {
        const onA = new HttpClient(a.url.replace('localhost', '127.0.0.1'));
        const onB = new HttpClient(b.url.replace('localhost', '127.0.0.1'));
        const owner = tokenAuth(ownerKey);
        const me = (await onA.get('/api/current-user/whoami', { headers: owner })).body as { active_organization: number };
        const orgId = me.active_organization;
        const created = await onA.post('/api/users/', { headers: owner, json: { email: 'member@example.com', username: 'member', password: 'member-password-1' } });
        assert.equal(created.status, 201, created.text);
        const memberId = (created.body as { id: number }).id;

        // The member's ways in, all obtained through server B.
        const session = onB.fresh();
        assert.equal((await session.login('member@example.com', 'member-password-1')).status, 302);
        const key = ((await session.get('/api/current-user/token')).body as { token: string }).token;
        const pat = ((await onB.post('/api/token/', { headers: tokenAuth(key), raw: '' })).body as { token: string }).token;
        const access = ((await onB.post('/api/token/refresh/', { json: { refresh: pat } })).body as { access: string }).access;
        const allowed = async () => [
          (await session.get('/api/current-user/whoami')).status,
          (await onB.get('/api/current-user/whoami', { headers: tokenAuth(key) })).status,
          (await onB.get('/api/current-user/whoami', { headers: bearerAuth(access) })).status,
          (await onB.post('/api/token/refresh/', { json: { refresh: pat } })).status,
        ];
        assert.deepEqual(await allowed(), [200, 200, 200, 200]);

        // Deactivated through server A; server B refuses every one of them at once (no waiting, no cache).
        const off = await onA.patch(`/api/organizations/${orgId}/memberships`, { headers: owner, json: { user_id: memberId, role: 'DI' } });
        assert.equal(off.status, 200, off.text);
        assert.deepEqual(await allowed(), [403, 403, 403, 401]);
        const page = await session.get('/projects/');
        assert.equal(page.status, 403);
        assert.match(page.text, /Access suspended/);

        // Reactivated through server B: the same session and tokens work again on server A.
        assert.equal((await onB.patch(`/api/organizations/${orgId}/memberships`, { headers: owner, json: { user_id: memberId, role: 'AN' } })).status, 200);
        const sessionOnA = new HttpClient(onA.baseUrl);
        for (const [name, value] of session.cookies) sessionOnA.cookies.set(name, value);
        assert.equal((await sessionOnA.get('/api/current-user/whoami')).status, 200);
        assert.equal((await onA.get('/api/current-user/whoami', { headers: tokenAuth(key) })).status, 200);
        assert.equal((await onA.post('/api/token/refresh/', { json: { refresh: pat } })).status, 200);
      } finally {
        await Promise.all([a.stop(), b.stop()]);
      }
    });
  });
}
