import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { resolveConfig } from '#src/config.js';
import { createContext } from '#src/context.js';
import { systemContext } from '#src/policies/action-context.js';
import { runCli, runCliInTerminal } from '../helpers/cli.js';
import { DATABASE_KINDS, freshDatabaseUrl, skipReason, tempDir } from '../helpers/databases.js';

/** Parses the last line of `label-studio user` the way a Python script would (ast.literal_eval-like). */
function lastLine(stdout: string): string {
  return stdout.trimEnd().split('\n').at(-1) ?? '';
}

async function checkPassword(dataDir: string, databaseUrl: string, email: string, password: string): Promise<boolean> {
  const config = resolveConfig({ dataDir }, {});
  const ctx = await createContext({ ...config, database: { ...config.database, url: databaseUrl } });
  try {
    return (await ctx.services.accounts.verifyCredentials(systemContext('test'), email, password)) !== undefined;
  } finally {
    await ctx.close();
  }
}

for (const kind of DATABASE_KINDS) {
  describe(`label-studio CLI [${kind}]`, { skip: skipReason(kind) }, () => {
    const setup = async () => {
      const dataDir = tempDir();
      const databaseUrl = await freshDatabaseUrl(kind, dataDir);
      // SQLite uses the data dir's default file; PostgreSQL comes from DATABASE_URL as a user would set it.
      const env: Record<string, string> = kind === 'postgres' ? { DATABASE_URL: databaseUrl } : {};
      const url = kind === 'postgres' ? databaseUrl : `sqlite:${dataDir}/label_studio_accounts.sqlite3`;
      return { dataDir, env, url };
    };

    test('init then user prints the documented block, found whatever the e-mail case', async () => {
      const { dataDir, env } = await setup();
      const init = runCli(['init', '--data-dir', dataDir, '--username', 'admin@example.com', '--password', 'admin-pass-1'], env);
      assert.equal(init.status, 0, init.stderr);
      assert.match(init.stdout, /Label Studio has been successfully initialized\./);

      const shown = runCli(['user', '--username', 'Admin@Example.com', '--data-dir', dataDir], env);
      assert.equal(shown.status, 0, shown.stderr);
      assert.match(shown.stdout, /^=> User info:\n/);
      const line = lastLine(shown.stdout);
      assert.match(line, /^\{'id': 1, 'first_name': '', 'last_name': '', 'username': '', 'email': 'admin@example\.com', /);
      assert.match(line, /'last_activity': None, 'custom_hotkeys': \{\}, 'avatar': None, 'initials': 'ad', /);
      assert.match(line, /'active_organization_meta': \{'title': 'Label Studio', 'email': 'admin@example\.com'\}/);
      assert.match(line, /'token': '[0-9a-f]{40}', 'status': 'ok'\}$/);

      const json = runCli(['--data-dir', dataDir, 'user', '--username', 'ADMIN@example.com', '--json'], env);
      assert.equal(json.status, 0);
      const parsed = JSON.parse(json.stdout) as { token: string; status: string; email: string };
      assert.equal(parsed.status, 'ok');
      assert.equal(parsed.email, 'admin@example.com');
      assert.equal(`'token': '${parsed.token}'`, line.match(/'token': '[0-9a-f]{40}'/)?.[0]);
    });

    test('an unknown user prints the error dict and exits non-zero', async () => {
      const { dataDir, env } = await setup();
      const result = runCli(['user', '--data-dir', dataDir, '--username', 'ghost@example.com'], env);
      assert.equal(result.status, 1);
      assert.equal(lastLine(result.stdout), `{'status': 'error', 'message': "user ghost@example.com doesn't exist"}`);
    });

    test('reset_password with flags: old password stops working, new one works', async () => {
      const { dataDir, env, url } = await setup();
      runCli(['init', '--data-dir', dataDir, '--username', 'admin@example.com', '--password', 'first-pass-1'], env);
      const result = runCli(['reset_password', '--data-dir', dataDir, '--username', 'ADMIN@example.com', '--password', 'second-pass-2'], env);
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /^Password successfully changed$/m);
      assert.equal(await checkPassword(dataDir, url, 'admin@example.com', 'first-pass-1'), false);
      assert.equal(await checkPassword(dataDir, url, 'admin@example.com', 'second-pass-2'), true);

      const same = runCli(['reset_password', '--data-dir', dataDir, '--username', 'admin@example.com', '--password', 'second-pass-2'], env);
      assert.equal(same.status, 1);
      assert.match(same.stdout, /Entered password is the same as current/);
    });

    test('reset_password fails clearly for an unknown user, an empty password and a weak one', async () => {
      const { dataDir, env, url } = await setup();
      runCli(['init', '--data-dir', dataDir, '--username', 'admin@example.com', '--password', 'first-pass-1'], env);
      const unknown = runCli(['reset_password', '--data-dir', dataDir, '--username', 'nobody@example.com', '--password', 'x-pass-123'], env);
      assert.equal(unknown.status, 1);
      assert.match(unknown.stdout, /User with username nobody@example\.com not found/);
      const empty = runCli(['reset_password', '--data-dir', dataDir, '--username', 'admin@example.com', '--password', ''], env);
      assert.equal(empty.status, 1);
      assert.match(empty.stdout, /Can not set empty password/);
      const weak = runCli(['reset_password', '--data-dir', dataDir, '--username', 'admin@example.com', '--password', '12345678'], env);
      assert.equal(weak.status, 1);
      assert.equal(weak.stdout, 'This password is too common.\nThis password is entirely numeric.\n');
      assert.equal(await checkPassword(dataDir, url, 'admin@example.com', 'first-pass-1'), true, 'the password did not change');
    });

    test('reset_password prompts in a terminal and never echoes the password', async () => {
      const { dataDir, env, url } = await setup();
      runCli(['init', '--data-dir', dataDir, '--username', 'admin@example.com', '--password', 'first-pass-1'], env);
      const secret = 'Typed-In-Secret-42';
      const result = await runCliInTerminal(['reset_password', '--data-dir', dataDir], env, [
        { prompt: 'Username: ', reply: 'admin@example.com' },
        { prompt: 'New password:', reply: secret },
      ]);
      assert.equal(result.status, 0, result.stdout);
      assert.match(result.stdout, /Username: admin@example\.com/);
      assert.match(result.stdout, /Password successfully changed/);
      assert.ok(!result.stdout.includes(secret), `the terminal showed the password: ${JSON.stringify(result.stdout)}`);
      assert.equal(await checkPassword(dataDir, url, 'admin@example.com', secret), true);
    });

    test('start-up user: --password for an existing --username updates it and says so', async () => {
      const { dataDir, env, url } = await setup();
      runCli(['init', '--data-dir', dataDir, '--username', 'admin@example.com', '--password', 'first-pass-1'], env);
      const again = runCli(['init', '--data-dir', dataDir, '--username', 'admin@example.com', '--password', 'changed-pass-2'], env);
      assert.equal(again.status, 0);
      assert.match(again.stdout, /User admin@example\.com already exists\nUser admin@example\.com password changed/);
      assert.equal(await checkPassword(dataDir, url, 'admin@example.com', 'changed-pass-2'), true);
    });

    test('--user-token and LABEL_STUDIO_* variables set up the start-up user', async () => {
      const { dataDir, env } = await setup();
      const result = runCli(['init', '--data-dir', dataDir], {
        ...env,
        LABEL_STUDIO_USERNAME: 'env-admin@example.com',
        LABEL_STUDIO_PASSWORD: 'env-pass-123',
        LABEL_STUDIO_USER_TOKEN: 'fixed-token-for-ci',
      });
      assert.equal(result.status, 0, result.stderr);
      const shown = runCli(['user', '--data-dir', dataDir, '--username', 'env-admin@example.com'], env);
      assert.match(lastLine(shown.stdout), /'token': 'fixed-token-for-ci', 'status': 'ok'\}$/);
    });
  });
}

describe('label-studio CLI (no database)', () => {
  test('--help lists every command; --version prints the version', () => {
    const help = runCli(['--help']);
    assert.equal(help.status, 0);
    for (const command of ['start', 'init', 'user', 'reset_password', 'migrate', 'version']) {
      assert.match(help.stdout, new RegExp(`^  ${command}\\b`, 'm'), `${command} missing from --help`);
    }
    const version = runCli(['--version']);
    assert.equal(version.status, 0);
    assert.match(version.stdout, /Label Studio version: \d+\.\d+\.\d+/);
    assert.ok(JSON.parse(version.stdout.split('\n').slice(3).join('\n')));
  });

  test('migrate reports what it applied, then that nothing is left', () => {
    const dataDir = tempDir();
    const first = runCli(['migrate', '--data-dir', dataDir, '--json']);
    assert.equal(first.status, 0, first.stderr);
    assert.deepEqual(JSON.parse(first.stdout), { applied: ['0001-accounts-core', '0002-tokens-projects', '0003-ports-and-sealed-invites', '0004-roles-and-activity-log', '0005-label-studio-import', '0006-account-recovery-mail', '0007-sign-in-safety', '0008-two-factor', '0009-member-directory-indexes', '0010-role-before-deactivation', '0011-annotation-project-index'] });
    const second = runCli(['migrate', '--data-dir', dataDir]);
    assert.match(second.stdout, /up to date/);
  });

  test('bad configuration is a clear error, exit code 2', () => {
    const result = runCli(['user', '--data-dir', tempDir(), '--username', 'x@y.z'], { LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN: 'maybe' });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN must be true\/false/);
  });

  test('-db names the SQLite file for every command', () => {
    const dir = tempDir();
    const file = `${dir}/custom.sqlite3`;
    assert.equal(runCli(['init', '-db', file, '--data-dir', dir, '--username', 'db@example.com', '--password', 'db-pass-123']).status, 0);
    assert.equal(runCli(['user', '--username', 'db@example.com', '--data-dir', dir, '-db', file]).status, 0);
    assert.equal(runCli(['user', '--username', 'db@example.com', '--data-dir', dir]).status, 1);
  });
});
