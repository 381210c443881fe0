/** What the scale bench measures, one function per row of the table (each returns numbers, never judges). */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { CLI_PATH, cleanEnv } from '../../test/helpers/cli.js';
import { fetchTimed, load, median, type LoadOptions, type LoadResult } from './load.js';
import { memoryOf, OWNER, type Fixture } from './setup.js';

export interface Target {
  base: string;
  pid: number;
}

const tokenHeader = (key: string) => ({ authorization: `Token ${key}` });

/** CPU time (user + system, every thread) a process has used, in microseconds: Linux's /proc, clock ticks of 10 ms. */
function cpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

export interface Throughput {
  requestsPerSecond: number;
  /** The server's CPU time per answered request (all its threads): what the machine's noise moves least. */
  cpuMicrosPerRequest: number;
}

async function throughput(target: Target, options: LoadOptions): Promise<Throughput> {
  const before = cpuMicros(target.pid);
  const result = await load(options);
  return { requestsPerSecond: result.requestsPerSecond, cpuMicrosPerRequest: (cpuMicros(target.pid) - before) / Math.max(1, result.total) };
}

/**
 * req/s of whoami for many users (a key per connection's request, cycling) next to the bare endpoint, in two halves of
 * opposite order (ours then bare, bare then ours) so that a drift of the shared machine's speed weighs on both alike.
 */
export async function whoamiThroughput(server: Target, bare: Target, headersList: Array<Record<string, string>>, seconds: number): Promise<{ ours: Throughput; bare: Throughput }> {
  const requests = headersList.map((headers) => ({ method: 'GET', path: '/api/current-user/whoami', headers }));
  const half = seconds / 2;
  const oursRun = () => throughput(server, { url: server.base, connections: 10, duration: half, requests });
  const bareRun = () => throughput(bare, { url: `${bare.base}/api/current-user/whoami`, connections: 10, duration: half });
  const first = { ours: await oursRun(), bare: await bareRun() };
  const second = { bare: await bareRun(), ours: await oursRun() };
  const mean = (a: Throughput, b: Throughput): Throughput => ({
    requestsPerSecond: (a.requestsPerSecond + b.requestsPerSecond) / 2,
    cpuMicrosPerRequest: (a.cpuMicrosPerRequest + b.cpuMicrosPerRequest) / 2,
  });
  return { ours: mean(first.ours, second.ours), bare: mean(first.bare, second.bare) };
}

/** Latency of one GET path after path, one connection (the page's own cost, not queueing). */
export function latency(server: Target, paths: string[], ownerToken: string, amount: number): Promise<LoadResult> {
  return load({ url: server.base, connections: 1, amount, requests: paths.map((path) => ({ method: 'GET', path, headers: tokenHeader(ownerToken) })) });
}

/**
 * Milliseconds of each search's first request after a change that drops every remembered search (a member renames
 * themselves just before): what a search costs when nothing of it is remembered. The renamer is not the owner, whose
 * `last_activity` the activity row measures.
 */
export async function searchesAfterRename(server: Target, paths: string[], ownerToken: string, renamerToken: string): Promise<number[]> {
  const renamer = tokenHeader(renamerToken);
  const me = JSON.parse((await fetchTimed(`${server.base}/api/current-user/whoami`, renamer)).body) as { id: number };
  const out: number[] = [];
  for (const [index, path] of paths.entries()) {
    const renamed = await fetchTimed(`${server.base}/api/users/${me.id}/`, { ...renamer, 'content-type': 'application/json' }, 'PATCH', JSON.stringify({ first_name: `Renamed ${index}` }));
    if (renamed.status !== 200) throw new Error(`a member renaming themselves answered ${renamed.status}: ${renamed.body}`);
    out.push((await fetchTimed(`${server.base}${path}`, tokenHeader(ownerToken))).ms);
  }
  return out;
}

/**
 * Runs one GET in a process of its own and reports its status, time, size and (unless only counted) how many items its
 * JSON holds: reading tens of megabytes in the bench's own process would delay the probe's clock, not the server.
 */
function downloadElsewhere(url: string, headers: Record<string, string>, countOnly: boolean): Promise<{ status: number; ms: number; bytes: number; items: number }> {
  const script = `
    const [url, headers, countOnly] = JSON.parse(process.argv[1]);
    const started = performance.now();
    require('node:http').get(url, { headers }, (res) => {
      const parts = [];
      let bytes = 0;
      res.on('data', (chunk) => { bytes += chunk.length; if (!countOnly) parts.push(chunk); });
      res.on('end', () => {
        const ms = performance.now() - started;
        let items = -1;
        try { const body = JSON.parse(Buffer.concat(parts).toString('utf8')); items = Array.isArray(body) ? body.length : body.results.length; } catch {}
        process.stdout.write(JSON.stringify({ status: res.statusCode, ms, bytes, items }));
      });
    });`;
  const child = spawn(process.execPath, ['--max-old-space-size=4096', '-e', script, JSON.stringify([url, headers, countOnly])], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', () => {
      try {
        resolve(JSON.parse(out) as { status: number; ms: number; bytes: number; items: number });
      } catch {
        reject(new Error(`download of ${url} failed: ${out}`));
      }
    });
  });
}

/**
 * One unpaginated download (GET /api/users/ or the memberships with page_size=-1), made by another process, while a
 * probe asks whoami every 5 ms: how long it took, its size, the probe's worst wait, and the server's resident memory
 * at its peak meanwhile.
 */
export async function bigDownload(server: Target, path: string, ownerToken: string, countOnly = false): Promise<{ status: number; seconds: number; megabytes: number; items: number; probeMaxMs: number; probeP99Ms: number; rssPeakMiB: number }> {
  let done = false;
  let rssPeak = memoryOf(server.pid).rss;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, memoryOf(server.pid).rss)), 20);
  const probeTimes: number[] = [];
  const probe = (async () => {
    while (!done) {
      const res = await fetchTimed(`${server.base}/api/current-user/whoami`, tokenHeader(ownerToken));
      probeTimes.push(res.ms);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  // Past a few hundred MB the body is only counted (a string that long cannot be held, let alone parsed).
  const res = await downloadElsewhere(`${server.base}${path}`, tokenHeader(ownerToken), countOnly);
  done = true;
  await probe;
  clearInterval(sampler);
  const sorted = [...probeTimes].sort((a, b) => a - b);
  return {
    status: res.status,
    seconds: res.ms / 1000,
    megabytes: res.bytes / 1024 / 1024,
    items: res.items,
    probeMaxMs: sorted[sorted.length - 1] ?? 0,
    probeP99Ms: sorted[Math.floor(sorted.length * 0.99)] ?? 0,
    rssPeakMiB: rssPeak,
  };
}

/** whoami p99 (one connection) while 50 connections log in (each login is one argon2id verification), and calm. */
export async function whoamiDuringLogins(server: Target, fixture: Fixture, seconds: number): Promise<{ calm: LoadResult; duringLogins: LoadResult; logins: LoadResult }> {
  const calm = await load({ url: `${server.base}/api/current-user/whoami`, headers: tokenHeader(fixture.ownerToken), connections: 1, duration: seconds });
  const csrf = 'b'.repeat(64);
  const logins = Array.from({ length: 50 }, (_, i) => ({
    method: 'POST',
    path: '/user/login/',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `csrftoken=${csrf}` },
    body: new URLSearchParams({ email: `user${i + 1}@bench.example`, password: 'bench-password-1', csrfmiddlewaretoken: csrf }).toString(),
  }));
  const loginRun = load({ url: server.base, connections: 50, duration: seconds + 1, requests: logins });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const during = await load({ url: `${server.base}/api/current-user/whoami`, headers: tokenHeader(fixture.ownerToken), connections: 1, duration: seconds });
  return { calm, duringLogins: during, logins: await loginRun };
}

/** Wall time of `label-studio user` (the owner, in this data directory) and of `node -e 0`, interleaved, medians of `runs`. */
export function cliStartup(fixture: Pick<Fixture, 'dataDir' | 'env'>, runs: number): { nodeMs: number; userMs: number } {
  const time = (args: string[], env?: Record<string, string>) => {
    const started = performance.now();
    const result = spawnSync(process.execPath, args, { env: env ? { ...cleanEnv(), ...env } : undefined, stdio: 'pipe' });
    if (result.status !== 0) throw new Error(`${args.join(' ')}: ${result.stderr.toString()}`);
    return performance.now() - started;
  };
  const userArgs = [CLI_PATH, 'user', '--data-dir', fixture.dataDir, '--username', OWNER.email];
  time(userArgs, fixture.env);
  const node: number[] = [];
  const user: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    node.push(time(['-e', '0']));
    user.push(time(userArgs, fixture.env));
  }
  return { nodeMs: median(node), userMs: median(user) };
}

/** `last_activity` writes by one user making `connections` concurrent mutating requests for `seconds`. */
export async function activityWrites(server: Target, key: string, seconds: number, countWrites: () => Promise<number>): Promise<{ writes: number; requests: number }> {
  const before = await countWrites();
  const result = await load({
    url: `${server.base}/api/projects/`,
    method: 'POST',
    headers: { ...tokenHeader(key), 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Bench project' }),
    connections: 20,
    duration: seconds,
  });
  return { writes: (await countWrites()) - before, requests: result.total };
}
