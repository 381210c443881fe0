/**
 * `npm run bench`: wall time of `label-studio user` next to `node -e 0` on this machine.
 * Target (performance issue): at most 2x. Prints a table and exits non-zero when over the target.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../bin/label-studio.cjs', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const TARGET_RATIO = 2;

function timeRun(args: string[]): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: 'pipe' });
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr.toString()}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

const dataDir = mkdtempSync(join(tmpdir(), 'lsa-bench-'));
timeRun([CLI, 'init', '--data-dir', dataDir, '--username', 'bench@example.com', '--password', 'bench-pass-1']);
const userArgs = [CLI, 'user', '--data-dir', dataDir, '--username', 'bench@example.com'];
timeRun(userArgs); // warm the file cache once

const baseline: number[] = [];
const user: number[] = [];
for (let i = 0; i < RUNS; i += 1) {
  baseline.push(timeRun(['-e', '0']));
  user.push(timeRun(userArgs));
}
const ratio = median(user) / median(baseline);
process.stdout.write(`CLI start-up, median of ${RUNS} runs (Node ${process.versions.node})\n`);
process.stdout.write(`  node -e 0              ${median(baseline).toFixed(1)} ms\n`);
process.stdout.write(`  label-studio user      ${median(user).toFixed(1)} ms\n`);
process.stdout.write(`  ratio                  ${ratio.toFixed(2)}x (target <= ${TARGET_RATIO}x)\n`);
process.exitCode = ratio <= TARGET_RATIO ? 0 : 1;
