import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { DATABASE_KINDS, freshDatabaseUrl, skipReason, tempDir } from '../helpers/databases.js';
import { HttpClient, tokenAuth, type HttpResponse } from '../helpers/http-client.js';
import { freePort, startServerProcess } from '../helpers/server-process.js';

const SECRET_KEY = 'shared-secret-of-two-servers-0123456789abcdef';
const MEMBER = { email: 'locked@example.com', password: 'member-password-1' };

/** One login form post (the CSRF cookie first). */
async function attempt(c: HttpClient, password: string): Promise<HttpResponse> {
  if (!c.cookies.get('csrftoken')) await c.get('/user/login/');
  return c.post('/user/login/', { form: { email: MEMBER.email, password, csrfmiddlewaretoken: c.cookies.get('csrftoken') ?? '' } });
}

for (const kind of DATABASE_KINDS) {
  describe(`a lockout reaches every server process on one database, and the CLI lifts it [${kind}]`, { skip: skipReason(kind) }, () => {
    test('failures on server A lock the account on server B; `label-studio users unlock` frees it on both; both are in the activity log', async () => {
      const dataDir = tempDir();
      // Small limits keep the test short; the defaults are covered in login-lockout-http.test.ts.
      const env: Record<string, string> = {
        SECRET_KEY,
        DATABASE_URL: await freshDatabaseUrl(kind, dataDir),
        LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN: 'true',
        LABEL_STUDIO_LOGIN_LOCKOUT_FAILURES: '4',
        LABEL_STUDIO_LOGIN_DELAY_AFTER: '0',
      };
      const init = runCli(['init', '--data-dir', dataDir, '--username', 'owner@example.com', '--password', 'owner-password-1', '-q'], env);
      assert.equal(init.status, 0, init.stderr);
      const created = runCli(['users', 'create', '--data-dir', dataDir, '--username', MEMBER.email, '--password', MEMBER.password], env);
      assert.equal(created.status, 0, created.stderr);
      const ownerKey = (JSON.parse(runCli(['user', '--data-dir', dataDir, '--username', 'owner@example.com', '--json'], env).stdout) as { token: string }).token;
      const start = async () => startServerProcess(['--data-dir', tempDir(), '-p', String(await freePort()), '--internal-host', '127.0.0.1'], env);
      const [a, b] = [await start(), await start()];
      try {
        const onA = new HttpClient(a.url.replace('localhost', '127.0.0.1'));
        const onB = new HttpClient(b.url.replace('localhost', '127.0.0.1'));
        for (let i = 1; i <= 4; i += 1) {
          const failed = await attempt(i % 2 === 0 ? onA.fresh() : onA, 'wrong-password-1');
          assert.equal(failed.status, 200, `failure ${i} on A`);
          assert.match(failed.text, /The email and password you entered don(&#39;|')t match/);
        }
        const refused = await attempt(onB.fresh(), MEMBER.password);
        assert.equal(refused.status, 429, 'server B refuses the right password at once');
        assert.match(refused.text, /Too many failed logins for this account\. Try again in 15 minutes, or ask an administrator to unlock it\./);
        assert.equal(refused.headers.get('retry-after'), '900');

        const unlocked = runCli(['users', 'unlock', MEMBER.email, '--data-dir', dataDir], env);
        assert.equal(unlocked.status, 0, unlocked.stderr);
        assert.equal(unlocked.stdout, `Unlocked ${MEMBER.email}: password logins are accepted again (4 failed logins forgotten).\n`);
        const again = runCli(['users', 'unlock', '--username', MEMBER.email, '--json', '--data-dir', dataDir], env);
        assert.deepEqual(JSON.parse(again.stdout), { email: MEMBER.email, account: true, was_locked: false, failed_logins_forgotten: 0 });

        const onBAgain = onB.fresh();
        assert.equal((await attempt(onBAgain, MEMBER.password)).status, 302, 'B lets the member in');
        assert.equal((await onBAgain.get('/api/current-user/whoami')).status, 200);
        assert.equal((await attempt(onA.fresh(), MEMBER.password)).status, 302, 'and so does A');

        const log = await onA.get('/api/activity-logs/?page_size=100', { headers: tokenAuth(ownerKey) });
        assert.equal(log.status, 200, log.text);
        type Entry = { email: string; request_method: string; extra_data: { action: string; details: Record<string, unknown> } };
        const entries = (log.body as Array<{ data: Entry[] }>)[0]?.data ?? [];
        const lockout = entries.find((entry) => entry.extra_data.action === 'auth.locked_out');
        assert.ok(lockout, `the lockout is in the log: ${entries.map((entry) => entry.extra_data.action).join(', ')}`);
        assert.equal(lockout.email, MEMBER.email);
        assert.equal(lockout.extra_data.details.failures, 4);
        const unlock = entries.find((entry) => entry.extra_data.action === 'auth.unlocked');
        assert.ok(unlock, 'the unlock is in the log');
        assert.equal(unlock.request_method, 'CLI');
      } finally {
        await Promise.all([a.stop(), b.stop()]);
      }
    });
  });
}

test('`label-studio users unlock` needs an e-mail or an address, and says when it has nothing to unlock', () => {
  const dataDir = tempDir();
  const missing = runCli(['users', 'unlock', '--data-dir', dataDir]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /<email> \(or --address <ip>\) is required/);
  const badAddress = runCli(['users', 'unlock', '--address', 'not-an-ip', '--data-dir', dataDir]);
  assert.equal(badAddress.status, 1);
  assert.match(badAddress.stderr, /"not-an-ip" is not an IP address/);
  const nobody = runCli(['users', 'unlock', 'nobody@example.com', '--data-dir', dataDir]);
  assert.equal(nobody.status, 0, nobody.stderr);
  assert.equal(nobody.stdout, 'nobody@example.com was not locked out.\nNo account has the e-mail nobody@example.com; its login counters are cleared all the same.\n');
  const address = runCli(['users', 'unlock', '--address', '203.0.113.9', '--data-dir', dataDir]);
  assert.equal(address.stdout, 'address 203.0.113.9 was not locked out.\n');
});
