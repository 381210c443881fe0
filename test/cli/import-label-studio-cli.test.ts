import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runCli, runCliInTerminal } from '../helpers/cli.js';
import { fixtureSource, importTarget, INSTANCE_SECRET } from '../helpers/label-studio-import.js';

describe('label-studio import-label-studio, the command', () => {
  test('listed in --help with its flags', () => {
    const help = runCli(['import-label-studio', '--help']);
    assert.equal(help.status, 0);
    for (const flag of ['--from', '--from-env', '--media-dir', '--secret-key', '--secret-key-file', '--dry-run', '--json', '--on-conflict', '--default-role']) {
      assert.ok(help.stdout.includes(flag), `${flag} in help`);
    }
    assert.match(runCli(['--help']).stdout, /import-label-studio/);
  });

  test('on a terminal: a progress bar per table, then the summary', async () => {
    const { source } = await fixtureSource('sqlite');
    const target = await importTarget('sqlite');
    const shown = await runCliInTerminal(['import-label-studio', ...target.common, '--from', source.from], { SECRET_KEY: INSTANCE_SECRET }, []);
    assert.equal(shown.status, 0, shown.stdout);
    for (const table of ['users', 'memberships', 'annotations']) assert.match(shown.stdout, new RegExp(`${table}\\s+\\S+ 100% \\| \\d+/\\d+`));
    assert.match(shown.stdout, /users\s+7 imported, 0 merged, 0 skipped/);
    assert.match(shown.stdout, /personal access tokens\s+3 kept \(they keep refreshing\), 1 blacklisted/);
  });

  test('piped: plain progress lines on stderr, the summary on stdout', async () => {
    const { source } = await fixtureSource('sqlite');
    const target = await importTarget('sqlite');
    const run = runCli(['import-label-studio', ...target.common, '--from', source.from], target.env);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /^annotations: 11 to read$/m);
    assert.match(run.stderr, /^annotations: 11 read in \d+\.\d s$/m);
    assert.match(run.stdout, /^Imported from sqlite:.*label_studio\.sqlite3\.$/m);
  });

  test('refuses bad flags, a missing source, and the target itself as the source', async () => {
    const target = await importTarget('sqlite');
    const policy = runCli(['import-label-studio', ...target.common, '--on-conflict', 'overwrite'], target.env);
    assert.notEqual(policy.status, 0);
    assert.match(policy.stderr, /overwrite/);
    const role = runCli(['import-label-studio', ...target.common, '--default-role', 'OW'], target.env);
    assert.equal(role.status, 2);
    assert.match(role.stderr, /--default-role must be one of AD, MA, RE, AN, NO/);
    const missing = runCli(['import-label-studio', ...target.common, '--from', join(target.dataDir, 'nothing.sqlite3')], target.env);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /No Label Studio database at/);
    runCli(['migrate', ...target.common], target.env);
    const itself = runCli(['import-label-studio', ...target.common, '--from', target.url.slice('sqlite:'.length)], target.env);
    assert.equal(itself.status, 2);
    assert.match(itself.stderr, /the same database/);
  });
});
