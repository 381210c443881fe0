/**
 * `npm run bench`: wall time of `label-studio user` next to `node -e 0` on this machine, on SQLite (the scale bench
 * measures it at 100,000 members on both databases). Target (performance issue): at most 2x. Prints a table and
 * exits non-zero when over the target.
 */
import { runCli } from '../test/helpers/cli.js';
import { tempDir } from '../test/helpers/databases.js';
import { cliStartup } from './scale/measure.js';
import { OWNER } from './scale/setup.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const TARGET_RATIO = 2;

const dataDir = tempDir('lsa-bench-');
const init = runCli(['init', '--data-dir', dataDir, '--username', OWNER.email, '--password', OWNER.password]);
if (init.status !== 0) throw new Error(`label-studio init failed:\n${init.stderr}`);
const { nodeMs, userMs } = cliStartup({ dataDir, env: {} }, RUNS);
const ratio = userMs / nodeMs;
process.stdout.write(`CLI start-up, median of ${RUNS} runs (Node ${process.versions.node})\n`);
process.stdout.write(`  node -e 0              ${nodeMs.toFixed(1)} ms\n`);
process.stdout.write(`  label-studio user      ${userMs.toFixed(1)} ms\n`);
process.stdout.write(`  ratio                  ${ratio.toFixed(2)}x (target <= ${TARGET_RATIO}x)\n`);
process.exitCode = ratio <= TARGET_RATIO ? 0 : 1;
