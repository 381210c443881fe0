/**
 * The test command: starts a throwaway PostgreSQL cluster (unless TEST_DATABASE_URL is given), runs every
 * test file with node's test runner, stops the cluster. Without PostgreSQL the PostgreSQL runs are skipped
 * with a message, except in CI (CI=true), where that is a failure.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPostgresBinDir, startPostgresCluster, type PostgresCluster } from './helpers/postgres-cluster.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const inCi = /^(1|true|yes)$/i.test(process.env.CI ?? '');

function testFiles(dir: string, filter: string[]): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...testFiles(full, filter));
    else if (name.endsWith('.test.js') && (filter.length === 0 || filter.some((f) => full.includes(f)))) out.push(full);
  }
  return out;
}

let cluster: PostgresCluster | undefined;
const env = { ...process.env };
if (!env.TEST_DATABASE_URL) {
  const binDir = findPostgresBinDir();
  if (binDir) {
    cluster = startPostgresCluster(binDir);
    env.TEST_DATABASE_URL = cluster.url;
    process.stdout.write(`PostgreSQL test cluster from ${binDir}\n`);
  } else if (inCi) {
    process.stderr.write('PostgreSQL binaries not found and CI=true: the PostgreSQL runs cannot be skipped in CI.\n');
    process.exit(1);
  } else {
    process.stdout.write('PostgreSQL binaries not found: PostgreSQL runs are SKIPPED (install postgresql or set TEST_DATABASE_URL).\n');
  }
}

const files = testFiles(here, process.argv.slice(2));
let status = 1;
try {
  const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], { stdio: 'inherit', env });
  status = result.status ?? 1;
} finally {
  cluster?.stop();
}
process.exit(status);
