/**
 * Import bench: a Label Studio SQLite database of 100,000 users and 1,000,000 annotations (IMPORT_BENCH_USERS and
 * IMPORT_BENCH_ANNOTATIONS change the size) imported by the built CLI into an empty SQLite target and into a
 * throwaway PostgreSQL cluster. Reports the wall time, rows per second and the import process's peak RSS (sampled
 * from /proc every 50 ms); fails over 10 minutes or 1 GiB per import.
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ImportReport } from '../src/services/label-studio-import.service.js';
import { CLI_PATH, cleanEnv } from '../test/helpers/cli.js';
import { tempDir, type DatabaseKind } from '../test/helpers/databases.js';
import { buildBulkSource, type BulkShape } from '../test/helpers/label-studio-bulk.js';
import { importTarget } from '../test/helpers/label-studio-import.js';
import { findPostgresBinDir, startPostgresCluster, type PostgresCluster } from '../test/helpers/postgres-cluster.js';

const USERS = Number(process.env.IMPORT_BENCH_USERS ?? 100_000);
const ANNOTATIONS = Number(process.env.IMPORT_BENCH_ANNOTATIONS ?? 1_000_000);
const SHAPE: BulkShape = { users: USERS, projects: 200, tasks: Math.max(1, Math.floor(ANNOTATIONS / 5)), annotations: ANNOTATIONS };
const MAX_SECONDS = 600;
const MAX_RSS_MIB = 1024;

/** The largest resident set of `pid` seen so far (VmHWM is the kernel's own high-water mark). */
function rssMiB(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? /VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return kib / 1024;
  } catch {
    return 0;
  }
}

interface Outcome {
  kind: DatabaseKind;
  seconds: number;
  peakMiB: number;
  report: ImportReport;
}

async function importInto(kind: DatabaseKind, file: string): Promise<Outcome> {
  const target = await importTarget(kind);
  const started = performance.now();
  const child = spawn(process.execPath, [CLI_PATH, 'import-label-studio', ...target.common, '--from', file, '--json'], { env: { ...cleanEnv(), ...target.env } });
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(child.pid ?? 0))), 50);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`import into ${kind} failed (${code}):\n${stderr.slice(-2000)}`);
  if (kind === 'sqlite') rmSync(target.dataDir, { recursive: true, force: true });
  return { kind, seconds, peakMiB: peak, report: JSON.parse(stdout) as ImportReport };
}

let cluster: PostgresCluster | undefined;
if (!process.env.TEST_DATABASE_URL) {
  const binDir = findPostgresBinDir();
  if (binDir) {
    cluster = startPostgresCluster(binDir);
    process.env.TEST_DATABASE_URL = cluster.url;
  }
}
try {
  const file = join(tempDir('lsa-import-bench-'), 'label_studio.sqlite3');
  const built = performance.now();
  await buildBulkSource(file, SHAPE);
  const sourceMiB = statSync(file).size / 1024 / 1024;
  process.stdout.write(
    `Source: ${SHAPE.users} users, ${SHAPE.projects} projects, ${SHAPE.tasks} tasks, ${SHAPE.annotations} annotations ` +
      `(${sourceMiB.toFixed(0)} MiB SQLite, built in ${((performance.now() - built) / 1000).toFixed(1)} s)\n`,
  );
  const kinds: DatabaseKind[] = process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
  if (!process.env.TEST_DATABASE_URL) process.stdout.write('PostgreSQL binaries not found: the PostgreSQL target is skipped.\n');
  let ok = true;
  for (const kind of kinds) {
    const { seconds, peakMiB, report } = await importInto(kind, file);
    const rows = report.counts.users.imported + report.counts.memberships.imported + report.counts.legacyTokens.imported + report.counts.tasks.imported + report.counts.annotations.imported;
    const within = seconds <= MAX_SECONDS && peakMiB <= MAX_RSS_MIB;
    ok &&= within && report.counts.users.imported === SHAPE.users && report.counts.annotations.imported === SHAPE.annotations;
    process.stdout.write(
      `${kind.padEnd(9)} ${seconds.toFixed(1)} s, ${Math.round(rows / seconds)} rows/s, peak RSS ${peakMiB.toFixed(0)} MiB ` +
        `(users ${report.counts.users.imported}, annotations ${report.counts.annotations.imported}; target <= ${MAX_SECONDS} s, <= ${MAX_RSS_MIB} MiB)${within ? '' : '  <-- over target'}\n`,
    );
  }
  rmSync(join(file, '..'), { recursive: true, force: true });
  process.exitCode = ok ? 0 : 1;
} finally {
  cluster?.stop();
}
