/**
 * `npm run bench`: every bench/*.bench.ts, compiled, each in its own process one after the other (they measure
 * time and must not share the machine). Prints each report as it comes, a summary, and exits non-zero when any
 * failed. Arguments keep only the benches whose name contains one of them: `npm run bench -- crash`; options (from
 * the first one starting with `--`) go to every bench run: `npm run bench -- scale --scale 1m`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const compiledDir = fileURLToPath(new URL('.', import.meta.url));
// The sources decide what runs, so a bench deleted from bench/ but still compiled in dist/ does not.
const sourceDir = fileURLToPath(new URL('../../bench/', import.meta.url));
const args = process.argv.slice(2);
const firstOption = args.findIndex((arg) => arg.startsWith('--'));
const filters = firstOption < 0 ? args : args.slice(0, firstOption);
const options = firstOption < 0 ? [] : args.slice(firstOption);

const names = readdirSync(sourceDir)
  .filter((name) => name.endsWith('.bench.ts'))
  .map((name) => name.slice(0, -'.ts'.length))
  .filter((name) => filters.length === 0 || filters.some((f) => name.includes(f)))
  .sort();

if (names.length === 0) {
  process.stderr.write(`No bench in ${sourceDir} matches ${filters.join(', ') || '*.bench.ts'}\n`);
  process.exit(1);
}

const results: Array<{ name: string; ok: boolean; outcome: string; seconds: number }> = [];
for (const [index, name] of names.entries()) {
  process.stdout.write(`\n=== ${name} (${index + 1}/${names.length}) ===\n`);
  const file = join(compiledDir, `${name}.js`);
  const started = performance.now();
  if (!existsSync(file)) {
    results.push({ name, ok: false, outcome: `not built (${file} missing: run npm run build)`, seconds: 0 });
    continue;
  }
  const run = spawnSync(process.execPath, [file, ...options], { stdio: 'inherit' });
  const seconds = (performance.now() - started) / 1000;
  let outcome = run.status === 0 ? 'ok' : `FAILED (exit ${run.status})`;
  if (run.signal) outcome = `FAILED (killed by ${run.signal})`;
  if (run.error) outcome = `FAILED (${String(run.error)})`;
  results.push({ name, ok: run.status === 0, outcome, seconds });
}

process.stdout.write('\n=== summary ===\n');
for (const r of results) process.stdout.write(`  ${r.name.padEnd(24)} ${r.outcome} (${r.seconds.toFixed(1)} s)\n`);
process.exitCode = results.every((r) => r.ok) ? 0 : 1;
