/**
 * `npm run bench -- scale [--scale 100k|1m|<n>] [--database sqlite|postgres|both] [--rounds 3] [--seconds 3]`: the
 * issue-11 table. Seeds an organization of `scale` members (projects = scale/50, annotations = 10 × scale) plus one
 * of 1,000, starts the built server and a bare node:http endpoint, drives both with autocannon on 127.0.0.1 in
 * interleaved rounds, and writes bench/results/<date>-<database>.md and .json (medians of the rounds, each with its
 * target; the bench reports, it never fails on a missed target).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import SQLite from 'better-sqlite3';
import { findPostgresBinDir, startPostgresCluster, type PostgresCluster } from '../test/helpers/postgres-cluster.js';
import type { DatabaseKind } from '../test/helpers/databases.js';
import { fetchTimed, median } from './scale/load.js';
import { activityWrites, bigDownload, cliStartup, latency, searchesAfterRename, whoamiDuringLogins, whoamiThroughput } from './scale/measure.js';
import { memoryOf, prepare, startBareServer, startServer, type Fixture } from './scale/setup.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 && args[at + 1] ? (args[at + 1] as string) : fallback;
};
const scaleText = option('scale', process.env.BENCH_SCALE ?? '100k');
const scale = /^(\d+)k$/i.test(scaleText) ? Number(scaleText.slice(0, -1)) * 1_000 : /^(\d+)m$/i.test(scaleText) ? Number(scaleText.slice(0, -1)) * 1_000_000 : Number(scaleText);
const databases: DatabaseKind[] = option('database', 'both') === 'both' ? ['sqlite', 'postgres'] : [option('database', 'both') as DatabaseKind];
const rounds = Number(option('rounds', '3'));
const seconds = Number(option('seconds', '3'));
const resultsDir = fileURLToPath(new URL('../../bench/results/', import.meta.url));

interface Row {
  what: string;
  value: number;
  unit: string;
  /** `value <= target` (or `>=` when `atLeast`) holds the target. */
  target?: number;
  atLeast?: boolean;
  note?: string;
}

const holds = (row: Row): string => (row.target === undefined ? '' : (row.atLeast ? row.value >= row.target : row.value <= row.target) ? 'yes' : 'no');

/** Counts `last_activity` writes with a trigger (bench databases only). */
async function installActivityCounter(fixture: Fixture): Promise<() => Promise<number>> {
  if (fixture.kind === 'sqlite') {
    const file = fixture.databaseUrl.slice('sqlite:'.length);
    const db = new SQLite(file);
    db.exec(`CREATE TABLE bench_activity_writes (n INTEGER NOT NULL); INSERT INTO bench_activity_writes VALUES (0);
      CREATE TRIGGER bench_activity AFTER UPDATE OF last_activity ON users BEGIN UPDATE bench_activity_writes SET n = n + 1; END;`);
    db.close();
    return async () => {
      const reader = new SQLite(file, { readonly: true });
      try {
        return (reader.prepare('SELECT n FROM bench_activity_writes').get() as { n: number }).n;
      } finally {
        reader.close();
      }
    };
  }
  const query = async (text: string) => {
    const client = new pg.Client({ connectionString: fixture.databaseUrl });
    await client.connect();
    try {
      return (await client.query(text)).rows as Array<{ n: string }>;
    } finally {
      await client.end();
    }
  };
  await query(`CREATE TABLE bench_activity_writes (n bigint NOT NULL); INSERT INTO bench_activity_writes VALUES (0);
    CREATE FUNCTION bench_activity() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE bench_activity_writes SET n = n + 1; RETURN NULL; END $$;
    CREATE TRIGGER bench_activity AFTER UPDATE OF last_activity ON users FOR EACH ROW WHEN (OLD.last_activity IS DISTINCT FROM NEW.last_activity) EXECUTE FUNCTION bench_activity();`);
  return async () => Number((await query('SELECT n FROM bench_activity_writes'))[0]?.n ?? 0);
}

async function benchDatabase(kind: DatabaseKind, adminUrl: string | undefined): Promise<void> {
  process.stdout.write(`\n--- ${kind}: ${scale.toLocaleString('en')} members ---\n`);
  const shape = { users: scale, projects: Math.max(20, Math.floor(scale / 50)), annotations: scale * 10 };
  const fixture = await prepare(kind, shape, adminUrl);
  process.stdout.write(`  seeded in ${fixture.seedSeconds.toFixed(0)} s\n`);
  const countWrites = await installActivityCounter(fixture);
  const server = await startServer(fixture);
  const pid = server.child.pid ?? 0;
  const ourWhoami = JSON.parse((await fetchTimed(`${server.base}/api/current-user/whoami`, { authorization: `Token ${fixture.ownerToken}` })).body) as unknown;
  const bare = await startBareServer(ourWhoami);
  // A failed run must not leave the servers behind.
  const stopAll = (): void => {
    server.child.kill('SIGTERM');
    bare.stop();
  };
  process.once('exit', stopAll);
  const target = { base: server.base, pid };
  const bareTarget = { base: bare.base, pid: bare.child.pid ?? 0 };
  const legacyHeaders = fixture.userKeys.map((key) => ({ authorization: `Token ${key}` }));
  // Bearer access tokens of a few users (a PAT each, refreshed into a five-minute access token every round).
  const pats: string[] = [];
  for (const key of fixture.userKeys.slice(0, 50)) {
    const res = await fetchTimed(`${server.base}/api/token/`, { authorization: `Token ${key}`, 'content-type': 'application/json' }, 'POST', '{}');
    pats.push((JSON.parse(res.body) as { token: string }).token);
  }
  const accessHeaders = async () =>
    Promise.all(
      pats.map(async (refresh) => {
        const res = await fetchTimed(`${server.base}/api/token/refresh/`, { 'content-type': 'application/json' }, 'POST', JSON.stringify({ refresh }));
        return { authorization: `Bearer ${(JSON.parse(res.body) as { access: string }).access}` };
      }),
    );
  const large = (query: string) => `/api/organizations/${fixture.largeOrg}/memberships?${query}`;
  const small = (query: string) => `/api/organizations/${fixture.smallOrg}/memberships?${query}`;
  const lastPage = Math.ceil((scale + 1) / 30);
  const orderings = ['username', '-username', 'email', '-email', 'first_name', 'last_name', 'date_joined', '-date_joined', 'last_activity', '-last_activity'];
  const searches = ['smith', 'bruno', 'user4242', 'kowal', 'zzzz'];
  const amount = 100;

  // Warm up (JIT, caches, file cache), the streamed download's path included.
  // whoami's code is optimized by V8 only after some seconds of load: both credentials are warmed as long as a round.
  await whoamiThroughput(target, bareTarget, legacyHeaders, seconds);
  await whoamiThroughput(target, bareTarget, await accessHeaders(), seconds);
  await latency(target, [large('page_size=30&contributed_to_projects=1')], fixture.ownerToken, 50);
  await bigDownload(target, '/api/users/', fixture.ownerToken, true);

  const samples: Record<string, number[]> = {};
  const add = (key: string, value: number) => (samples[key] ??= []).push(value);
  for (let round = 1; round <= rounds; round += 1) {
    process.stdout.write(`  round ${round}/${rounds}\n`);
    const legacy = await whoamiThroughput(target, bareTarget, legacyHeaders, seconds);
    add('whoamiLegacyRatio', legacy.ours.requestsPerSecond / legacy.bare.requestsPerSecond);
    add('whoamiLegacyRps', legacy.ours.requestsPerSecond);
    add('bareRps', legacy.bare.requestsPerSecond);
    add('whoamiLegacyCpu', legacy.ours.cpuMicrosPerRequest);
    add('bareCpu', legacy.bare.cpuMicrosPerRequest);
    const bearer = await whoamiThroughput(target, bareTarget, await accessHeaders(), seconds);
    add('whoamiBearerRatio', bearer.ours.requestsPerSecond / bearer.bare.requestsPerSecond);
    add('whoamiBearerRps', bearer.ours.requestsPerSecond);
    add('whoamiBearerCpu', bearer.ours.cpuMicrosPerRequest);
    add('page1P95', (await latency(target, [large('page_size=30&contributed_to_projects=1')], fixture.ownerToken, amount)).p95);
    add('page1P50', (await latency(target, [large('page_size=30&contributed_to_projects=1')], fixture.ownerToken, amount)).p50);
    add('page1SmallP50', (await latency(target, [small('page_size=30&contributed_to_projects=1')], fixture.ownerToken, amount)).p50);
    for (const ms of await searchesAfterRename(target, searches.map((s) => large(`page_size=30&search=${s}`)), fixture.ownerToken, fixture.userKeys[0] ?? '')) add('searchFirstMs', ms);
    add('searchP95', (await latency(target, searches.map((s) => large(`page_size=30&search=${s}`)), fixture.ownerToken, amount)).p95);
    add('orderingP95', (await latency(target, orderings.map((o) => large(`page_size=30&ordering=${o}`)), fixture.ownerToken, amount)).p95);
    add('lastPageP95', (await latency(target, [large(`page_size=30&page=${lastPage}`), large(`page_size=30&page=${lastPage - 1}`)], fixture.ownerToken, amount)).p95);
  }
  const rssAfterLoad = memoryOf(pid).rss;
  const users = await bigDownload(target, '/api/users/', fixture.ownerToken, scale > 200_000);
  const everyone = await bigDownload(target, large('page_size=-1&contributed_to_projects=1'), fixture.ownerToken, scale > 200_000);
  // Before the logins: queued logins still stamp their users after autocannon stops.
  const writes = await activityWrites(target, fixture.ownerToken, 10, countWrites);
  const logins = await whoamiDuringLogins(target, fixture, seconds);
  process.off('exit', stopAll);
  bare.stop();
  await server.stop();
  // With the servers stopped: the CLI needs none, and queued logins still hashing would slow it, not node -e 0.
  const cli = cliStartup(fixture, 15);

  const m = (key: string) => median(samples[key] ?? []);
  const rows: Row[] = [
    { what: 'whoami, legacy token, req/s ÷ bare node:http', value: m('whoamiLegacyRatio'), unit: '×', target: kind === 'sqlite' ? 0.4 : 0.25, atLeast: true, note: `${m('whoamiLegacyRps').toFixed(0)} vs ${m('bareRps').toFixed(0)} req/s; server CPU per request ${m('whoamiLegacyCpu').toFixed(0)} vs ${m('bareCpu').toFixed(0)} µs` },
    { what: 'whoami, Bearer access token, req/s ÷ bare', value: m('whoamiBearerRatio'), unit: '×', target: kind === 'sqlite' ? 0.4 : 0.25, atLeast: true, note: `${m('whoamiBearerRps').toFixed(0)} req/s; server CPU per request ${m('whoamiBearerCpu').toFixed(0)} µs` },
    { what: 'members page 1 (30, with projects), p95', value: m('page1P95'), unit: 'ms', target: 15 },
    {
      what: 'members with search=, p95',
      value: m('searchP95'),
      unit: 'ms',
      target: 20,
      note: `first request after a member's rename (nothing remembered): median ${m('searchFirstMs').toFixed(0)} ms, worst ${Math.max(...(samples.searchFirstMs ?? [])).toFixed(0)} ms`,
    },
    { what: 'members, each ordering=, p95', value: m('orderingP95'), unit: 'ms', target: 15 },
    { what: 'members, last page, p95', value: m('lastPageP95'), unit: 'ms', target: 30 },
    { what: `members page 1 median: ${scale.toLocaleString('en')} ÷ 1,000 members`, value: m('page1P50') / Math.max(1, m('page1SmallP50')), unit: '×', target: 3, note: `${m('page1P50')} vs ${m('page1SmallP50')} ms (whole ms)` },
    { what: 'GET /api/users/: whoami worst wait meanwhile', value: users.probeMaxMs, unit: 'ms', target: 20, note: `status ${users.status}, ${users.items} users, ${users.megabytes.toFixed(1)} MB in ${users.seconds.toFixed(2)} s; whoami p99 ${users.probeP99Ms.toFixed(1)} ms` },
    { what: 'GET /api/users/: server RSS peak', value: users.rssPeakMiB, unit: 'MiB', target: 250 },
    { what: 'memberships page_size=-1&contributed_to_projects=1: status', value: everyone.status, unit: '', target: 200, atLeast: true, note: `${everyone.items} members, ${everyone.megabytes.toFixed(1)} MB in ${everyone.seconds.toFixed(2)} s; whoami worst wait ${everyone.probeMaxMs.toFixed(0)} ms; RSS peak ${everyone.rssPeakMiB.toFixed(0)} MiB` },
    { what: 'whoami p99 during 50 concurrent logins', value: logins.duringLogins.p99, unit: 'ms', target: 15, note: `calm p99 ${logins.calm.p99} ms; ${logins.logins.requestsPerSecond.toFixed(1)} logins/s` },
    { what: '`label-studio user` ÷ `node -e 0`', value: cli.userMs / cli.nodeMs, unit: '×', target: 2, note: `${cli.userMs.toFixed(0)} vs ${cli.nodeMs.toFixed(0)} ms` },
    { what: 'resident memory after the rounds', value: rssAfterLoad, unit: 'MiB', target: 150 },
    { what: '`last_activity` writes, one user, 20 concurrent writers (POST /api/projects/), 10 s', value: writes.writes, unit: '', target: 1, note: `${writes.requests} requests` },
  ];
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.versions.node}, ${process.platform}`;
  const date = new Date().toISOString().slice(0, 10);
  const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v < 10 ? v.toFixed(2) : v.toFixed(1));
  const md = [
    `# Scale bench: ${kind}, ${scale.toLocaleString('en')} members (${date})`,
    '',
    `Machine: ${machine}. Seeded ${shape.users.toLocaleString('en')} users, ${shape.projects.toLocaleString('en')} projects, ${shape.annotations.toLocaleString('en')} annotations in ${fixture.seedSeconds.toFixed(0)} s; a second organization of 1,000.`,
    `Medians of ${rounds} interleaved rounds: throughput ${seconds} s each for ours and the bare endpoint, in two halves of opposite order, after as long a warm-up; latency over ${amount} requests (one connection, whole milliseconds as autocannon records them).`,
    '',
    '| What | Measured | Target | Holds | Detail |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.what} | ${fmt(r.value)} ${r.unit} | ${r.target === undefined ? '' : `${r.atLeast ? '≥' : '≤'} ${r.target} ${r.unit}`} | ${holds(r)} | ${r.note ?? ''} |`),
    '',
  ].join('\n');
  mkdirSync(resultsDir, { recursive: true });
  const name = `${date}-${kind}${scale === 100_000 ? '' : `-${scaleText}`}`;
  writeFileSync(`${resultsDir}${name}.md`, md);
  writeFileSync(`${resultsDir}${name}.json`, `${JSON.stringify({ kind, scale, shape, date, machine, rounds, seconds, seedSeconds: fixture.seedSeconds, rows: rows.map((r) => ({ ...r, holds: holds(r) })), samples }, null, 2)}\n`);
  process.stdout.write(`\n${md}\nwritten to bench/results/${name}.md\n`);
  if (kind === 'postgres') {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${new URL(fixture.databaseUrl).pathname.slice(1)}`).catch(() => undefined);
    await client.end();
  }
  spawnSync('rm', ['-rf', fixture.dataDir]);
}

let cluster: PostgresCluster | undefined;
let adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
try {
  if (databases.includes('postgres') && !adminUrl) {
    const binDir = findPostgresBinDir();
    if (!binDir) throw new Error('PostgreSQL binaries not found: set BENCH_DATABASE_URL or run with --database sqlite');
    cluster = startPostgresCluster(binDir);
    adminUrl = cluster.url;
  }
  for (const kind of databases) await benchDatabase(kind, adminUrl);
} finally {
  cluster?.stop();
}
