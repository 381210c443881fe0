import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { openReader, sqliteIntegrityProblems } from '../helpers/crash-checks.js';
import { CLI_PATH, cleanEnv, runCli } from '../helpers/cli.js';
import { diffSnapshots, takeSnapshot, type DataSnapshot } from '../helpers/data-snapshot.js';
import { DATABASE_KINDS, skipReason, tempDir } from '../helpers/databases.js';
import { buildBulkSource, type BulkShape } from '../helpers/label-studio-bulk.js';
import { importTarget, runImport, type ImportTarget } from '../helpers/label-studio-import.js';

const ROUNDS = Number(process.env.IMPORT_CRASH_ROUNDS ?? process.env.CRASH_ROUNDS ?? 3);
const SHAPE: BulkShape = { users: 3000, projects: 20, tasks: 20_000, annotations: 60_000 };
/** Tables the import reads, in order: a round kills it once one of them has started. */
const PHASES = ['users', 'memberships', 'tasks', 'annotations'];

async function snapshot(target: ImportTarget): Promise<DataSnapshot> {
  const reader = openReader(target.url);
  try {
    return await takeSnapshot(reader.db, target.kind);
  } finally {
    await reader.close();
  }
}

/** Starts the import and SIGKILLs it shortly after `phase` starts; resolves how it ended. */
function killDuring(target: ImportTarget, file: string, phase: string): Promise<{ signal: NodeJS.Signals | null; code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [CLI_PATH, 'import-label-studio', ...target.common, '--from', file], { env: { ...cleanEnv(), ...target.env } });
  let stderr = '';
  let armed = false;
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
    if (!armed && stderr.includes(`\n${phase}: `)) {
      armed = true;
      setTimeout(() => child.kill('SIGKILL'), randomInt(0, 20));
    }
  });
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })));
}

for (const kind of DATABASE_KINDS) {
  describe(`crash safety: an import killed midway [${kind}]`, { skip: skipReason(kind) }, () => {
    test(`${ROUNDS} SIGKILLs during an import leave the target unchanged; a re-run then completes`, { timeout: 60_000 + ROUNDS * 20_000 }, async (t) => {
      const file = join(tempDir('lsa-bulk-'), 'label_studio.sqlite3');
      await buildBulkSource(file, SHAPE);
      const target = await importTarget(kind);
      // A target in use already: the kill must not take away, nor leave behind, anything.
      const init = runCli(['init', ...target.common, '--username', 'operator@company.test', '--password', 'operator-pass-1'], target.env);
      assert.equal(init.status, 0, init.stderr);
      const before = await snapshot(target);
      for (let round = 1; round <= ROUNDS; round += 1) {
        const phase = PHASES[randomInt(PHASES.length)] ?? 'users';
        const ended = await killDuring(target, file, phase);
        assert.equal(ended.signal, 'SIGKILL', `round ${round} ended before the kill (code ${ended.code}): make the source larger\n${ended.stderr}`);
        t.diagnostic(`round ${round}: killed during ${phase} (${ended.stderr.trim().split('\n').pop() ?? ''})`);
        assert.deepEqual(diffSnapshots(before, await snapshot(target)), [], `round ${round}: the target changed`);
        if (kind === 'sqlite') assert.deepEqual(sqliteIntegrityProblems(target.url.slice('sqlite:'.length)), []);
      }
      const completed = runImport(target, ['--from', file]);
      assert.equal(completed.status, 0, completed.stderr);
      const counts = completed.report?.counts;
      assert.deepEqual([counts?.users.imported, counts?.memberships.imported, counts?.tasks.imported, counts?.annotations.imported], [SHAPE.users, SHAPE.users, SHAPE.tasks, SHAPE.annotations]);
      const again = runImport(target, ['--from', file]);
      assert.deepEqual([again.report?.counts.users.imported, again.report?.counts.annotations.imported], [0, 0], 'a further run adds nothing');
    });
  });
}
