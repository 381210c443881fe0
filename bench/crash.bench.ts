/**
 * Crash bench: the crash rounds of test/crash many times over (20 per database, CRASH_ROUNDS overrides;
 * CRASH_SEED repeats a run) on SQLite and on a throwaway PostgreSQL cluster. Each round keeps 12 writes in flight,
 * SIGKILLs the server, restarts it and checks the data. Prints a report per database and exits non-zero when an
 * acknowledged write was lost or the data is broken.
 */
import { crashSettingsFromEnv, describeRound, runCrashRounds, type CrashRunReport } from '../test/helpers/crash-rounds.js';
import type { DatabaseKind } from '../test/helpers/databases.js';
import { findPostgresBinDir, startPostgresCluster, type PostgresCluster } from '../test/helpers/postgres-cluster.js';

const { rounds, seed } = crashSettingsFromEnv(20);
const inCi = /^(1|true|yes)$/i.test(process.env.CI ?? '');

/** A PostgreSQL server for the run: TEST_DATABASE_URL, else a cluster started here, else none. */
function preparePostgres(): PostgresCluster | 'given' | undefined {
  if (process.env.TEST_DATABASE_URL) return 'given';
  const binDir = findPostgresBinDir();
  if (!binDir) return undefined;
  const cluster = startPostgresCluster(binDir);
  // The database helpers read the admin URL from here.
  process.env.TEST_DATABASE_URL = cluster.url;
  return cluster;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function printReport(report: CrashRunReport): void {
  const a = report.acknowledged;
  const lines = [
    `${report.kind}: ${report.rounds.length} rounds in ${(report.durationMs / 1000).toFixed(1)} s (seed ${report.seed})`,
    `  writes acknowledged     ${a.total} of ${report.attempted} sent`,
    `    by kind               projects ${a.projects}, task imports ${a.imports}, users ${a.users}, owner renames ${a.renames}`,
    `  in flight at the kill   ${report.rounds.reduce((sum, r) => sum + r.inFlightAtKill, 0)} requests over all rounds`,
    `  restart after SIGKILL   median ${median(report.rounds.map((r) => r.restartMs)).toFixed(0)} ms`,
    `  lost writes             ${report.lost.length}${report.lost.length === 0 ? '' : '   <-- acknowledged writes missing'}`,
    `  integrity               ${report.broken.length === 0 ? 'ok' : `${report.broken.length} problems`}`,
    ...[...report.lost, ...report.broken].slice(0, 30).map((line) => `    ${line}`),
    ...(report.lost.length + report.broken.length > 0 ? [`  data kept in ${report.dataDir}`] : []),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

const postgres = preparePostgres();
const kinds: DatabaseKind[] = postgres ? ['sqlite', 'postgres'] : ['sqlite'];
process.stdout.write(`Crash bench: ${rounds} SIGKILL rounds per database, 12 writes in flight (Node ${process.versions.node})\n`);
if (!postgres) process.stdout.write(`PostgreSQL binaries not found: the PostgreSQL run is ${inCi ? 'MISSING (CI=true)' : 'SKIPPED'}\n`);

const reports: CrashRunReport[] = [];
try {
  for (const kind of kinds) {
    process.stdout.write(`\n[${kind}]\n`);
    const report = await runCrashRounds({ kind, rounds, seed, onRound: (r) => process.stdout.write(`  ${describeRound(r)}\n`) });
    reports.push(report);
  }
} finally {
  if (postgres && postgres !== 'given') postgres.stop();
}

process.stdout.write('\nReport\n');
for (const report of reports) printReport(report);
const failed = reports.some((r) => r.lost.length > 0 || r.broken.length > 0) || (!postgres && inCi);
process.exitCode = failed ? 1 : 0;
