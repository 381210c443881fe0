/**
 * Import stall bench: does the largest allowed task import (just under 10 MiB, 20,000 tasks) stall the server?
 * Starts `label-studio start` on SQLite (the single-connection case, where a long synchronous stretch would block
 * everything), imports that body IMPORT_STALL_ROUNDS times (5 by default) while polling `/health` every 5 ms, and
 * after each import polls as long again with nothing running. Reports the /health latency p50/p99/max with and
 * without an import (median over the rounds), the import time, and the server's peak RSS (VmHWM).
 * Fails when /health took longer than 500 ms during any import, or when an import was refused (nothing measured).
 */
import { readFileSync, rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { runCli } from '../test/helpers/cli.js';
import { tempDir } from '../test/helpers/databases.js';
import { freePort, startServerProcess, type ServerProcess } from '../test/helpers/server-process.js';

const ROUNDS = Number(process.env.IMPORT_STALL_ROUNDS ?? 5);
const POLL_INTERVAL_MS = 5;
const MAX_HEALTH_MS = 500;
const IMPORT_MAX_BYTES = 10 * 1024 * 1024;
const IMPORT_MAX_TASKS = 20_000;
const OWNER = 'import-bench@example.com';
const PASSWORD = 'import-bench-pass-1';

/** The largest allowed import: 20,000 tasks padded so the body ends just under 10 MiB. */
function largestImport(): Buffer {
  const room = IMPORT_MAX_BYTES - 1024;
  const perTask = Math.floor((room - 2) / IMPORT_MAX_TASKS) - 1;
  const filler = 'lorem ipsum '.repeat(Math.ceil(perTask / 12));
  const task = (i: number): string => {
    const head = `{"data":{"id":${i},"text":"`;
    return `${head}${filler.slice(0, perTask - head.length - 3)}"}}`;
  };
  return Buffer.from(`[${Array.from({ length: IMPORT_MAX_TASKS }, (_, i) => task(i)).join(',')}]`);
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

const median = (values: readonly number[]): number => percentile(values, 50);

interface LatencySummary {
  p50: number;
  p99: number;
  max: number;
  samples: number;
}

const summarize = (latencies: readonly number[]): LatencySummary => ({
  p50: percentile(latencies, 50),
  p99: percentile(latencies, 99),
  max: Math.max(0, ...latencies),
  samples: latencies.length,
});

/** Polls /health every 5 ms (start to start) until `stop()` says so; returns each answer's latency in ms. */
async function pollHealth(baseUrl: string, stop: () => boolean): Promise<number[]> {
  const latencies: number[] = [];
  while (!stop()) {
    const started = performance.now();
    const res = await fetch(`${baseUrl}/health`);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`/health answered ${res.status}`);
    latencies.push(performance.now() - started);
    const wait = POLL_INTERVAL_MS - (performance.now() - started);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  return latencies;
}

/** Peak and current resident memory of a process, MiB (Linux /proc). */
function memoryOf(pid: number): { peak: number; now: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { peak: kib('VmHWM') / 1024, now: kib('VmRSS') / 1024 };
}

async function api(baseUrl: string, token: string, path: string, body: Buffer | string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Token ${token}`, 'content-type': 'application/json' },
    body,
  });
  return { status: res.status, text: await res.text() };
}

const dataDir = tempDir('lsa-import-bench-');
const body = largestImport();
let server: ServerProcess | undefined;
let failed = false;
try {
  const port = await freePort();
  server = await startServerProcess(
    ['--data-dir', dataDir, '-p', String(port), '--internal-host', '127.0.0.1', '--username', OWNER, '--password', PASSWORD, '--enable-legacy-api-token'],
    {},
  );
  const baseUrl = `http://127.0.0.1:${new URL(server.url).port}`;
  const pid = server.child.pid ?? 0;
  const info = runCli(['user', '--data-dir', dataDir, '--username', OWNER, '--json']);
  const token = (JSON.parse(info.stdout) as { token: string }).token;
  const project = await api(baseUrl, token, '/api/projects/', JSON.stringify({ title: 'Import stall' }));
  if (project.status !== 201) throw new Error(`project not created: ${project.status} ${project.text}`);
  const projectId = (JSON.parse(project.text) as { id: number }).id;
  const memoryBefore = memoryOf(pid);

  process.stdout.write(
    `Import stall bench: ${ROUNDS} rounds on SQLite, ${IMPORT_MAX_TASKS} tasks in ${(body.length / 1024 / 1024).toFixed(2)} MiB per import, ` +
      `/health every ${POLL_INTERVAL_MS} ms (Node ${process.versions.node})\n`,
  );
  const importing: LatencySummary[] = [];
  const idle: LatencySummary[] = [];
  const pooled = { importing: [] as number[], idle: [] as number[] };
  const durations: number[] = [];
  for (let round = 1; round <= ROUNDS; round += 1) {
    let done = false;
    const started = performance.now();
    const imported = api(baseUrl, token, `/api/projects/${projectId}/import`, body).finally(() => {
      done = true;
    });
    const during = await pollHealth(baseUrl, () => done);
    const result = await imported;
    const duration = performance.now() - started;
    if (result.status !== 201) throw new Error(`import ${round} refused: ${result.status} ${result.text.slice(0, 300)}`);
    // The same length of time with nothing running, right after: the machine as it is now, without the import.
    const quietUntil = performance.now() + duration;
    const quiet = await pollHealth(baseUrl, () => performance.now() >= quietUntil);
    importing.push(summarize(during));
    idle.push(summarize(quiet));
    pooled.importing.push(...during);
    pooled.idle.push(...quiet);
    durations.push(duration);
    const d = summarize(during);
    process.stdout.write(
      `  round ${round}: import ${duration.toFixed(0)} ms; /health during it p50 ${d.p50.toFixed(1)} / p99 ${d.p99.toFixed(1)} / max ${d.max.toFixed(1)} ms (${d.samples} answers)\n`,
    );
  }
  const memoryAfter = memoryOf(pid);

  const row = (label: string, rounds: LatencySummary[]) =>
    `  ${label.padEnd(22)} ${median(rounds.map((r) => r.p50)).toFixed(1).padStart(7)} ${median(rounds.map((r) => r.p99)).toFixed(1).padStart(7)} ` +
    `${median(rounds.map((r) => r.max)).toFixed(1).padStart(7)}   ${median(rounds.map((r) => r.samples))}\n`;
  const pooledRow = (label: string, latencies: number[]) => {
    const all = summarize(latencies);
    return `  ${label.padEnd(22)} ${all.p50.toFixed(1).padStart(7)} ${all.p99.toFixed(1).padStart(7)} ${all.max.toFixed(1).padStart(7)}   ${all.samples} in all\n`;
  };
  const worst = Math.max(...importing.map((r) => r.max));
  failed = worst > MAX_HEALTH_MS;
  process.stdout.write(
    '\nReport (ms: the median of the rounds, then every answer pooled)\n' +
      `  ${''.padEnd(22)} ${'p50'.padStart(7)} ${'p99'.padStart(7)} ${'max'.padStart(7)}   answers per round\n` +
      row('/health, no import', idle) +
      row('/health, importing', importing) +
      pooledRow('all rounds, no import', pooled.idle) +
      pooledRow('all rounds, importing', pooled.importing) +
      `  import duration        ${median(durations).toFixed(0)} ms median (${Math.min(...durations).toFixed(0)}–${Math.max(...durations).toFixed(0)})\n` +
      `  server peak RSS        ${memoryAfter.peak.toFixed(0)} MiB (VmHWM; ${memoryBefore.peak.toFixed(0)} MiB before the imports, ${memoryAfter.now.toFixed(0)} MiB resident now)\n` +
      `  worst /health during an import: ${worst.toFixed(1)} ms (limit ${MAX_HEALTH_MS} ms) ${failed ? '<-- OVER THE LIMIT' : 'ok'}\n`,
  );
} catch (error) {
  failed = true;
  process.stdout.write(`Import stall bench could not measure: ${error instanceof Error ? error.message : String(error)}\n`);
  if (server) process.stdout.write(`server output:\n${server.output().slice(-2000)}\n`);
} finally {
  await server?.stop('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
