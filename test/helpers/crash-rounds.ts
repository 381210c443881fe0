import { randomInt } from 'node:crypto';
import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { runCli } from './cli.js';
import {
  checkLedger,
  openReader,
  sqliteIntegrityProblems,
  type CheckFindings,
  type DatabaseReader,
  type LedgerCheck,
} from './crash-checks.js';
import { runRoundWorkload, seededRandom, WriteLedger } from './crash-workload.js';
import { freshDatabaseUrl, tempDir, type DatabaseKind } from './databases.js';
import { HttpClient, tokenAuth } from './http-client.js';
import { freePort, startServerProcess, type ServerProcess } from './server-process.js';

const OWNER_EMAIL = 'owner@example.com';
const OWNER_PASSWORD = 'owner-crash-pass-1';
// Fixed so every restart (and the CLI) decrypts the tokens the first start issued.
const SECRET_KEY = 'crash-suite-instance-secret-0123456789abcdef';

export interface CrashRunOptions {
  kind: DatabaseKind;
  rounds: number;
  /** Seeds kill moments and the mix of writes; random when absent, and always reported. */
  seed?: number;
  /** Writes in flight at once. */
  concurrency?: number;
  /** Longest wait from a round's first acknowledged write to the kill; the wait is drawn uniformly below it. */
  maxKillDelayMs?: number;
  onRound?: (report: RoundReport) => void;
}

export interface RoundReport {
  round: number;
  /** When the kill was sent, from the start of the round. */
  killedAtMs: number;
  attempted: number;
  acknowledged: number;
  inFlightAtKill: number;
  /** From spawning the restarted server to its listening. */
  restartMs: number;
  findings: CheckFindings;
}

export interface CrashRunReport {
  kind: DatabaseKind;
  seed: number;
  rounds: RoundReport[];
  attempted: number;
  acknowledged: { projects: number; imports: number; users: number; renames: number; total: number };
  /** Distinct acknowledged writes missing or altered after a restart: must be empty. */
  lost: string[];
  /** Corruption, half-written use cases, failed integrity checks, non-2xx answers: must be empty. */
  broken: string[];
  durationMs: number;
  /** The run's data directory, kept when something was found (removed otherwise). */
  dataDir: string;
}

interface Target {
  kind: DatabaseKind;
  dataDir: string;
  databaseUrl: string;
  env: Record<string, string>;
  /** Flags every command needs to reach this database. */
  common: string[];
}

async function prepareTarget(kind: DatabaseKind): Promise<Target> {
  const dataDir = tempDir('lsa-crash-');
  const databaseUrl = await freshDatabaseUrl(kind, dataDir);
  const env: Record<string, string> = { SECRET_KEY, ...(kind === 'postgres' ? { DATABASE_URL: databaseUrl } : {}) };
  const common = ['--data-dir', dataDir, ...(kind === 'sqlite' ? ['--database', sqliteFile(databaseUrl)] : [])];
  return { kind, dataDir, databaseUrl, env, common };
}

const sqliteFile = (url: string): string => url.slice('sqlite:'.length);

/** Starts the server as an operator would after a crash: the same command line, on a port free right now. */
async function startServer(target: Target): Promise<{ server: ServerProcess; baseUrl: string }> {
  const port = await freePort();
  const server = await startServerProcess(
    [
      ...target.common,
      ...['-p', String(port), '--internal-host', '127.0.0.1'],
      ...['--username', OWNER_EMAIL, '--password', OWNER_PASSWORD, '--enable-legacy-api-token'],
    ],
    target.env,
  );
  // A busy port moves the server to the next one: take the port it printed.
  const printed = new URL(server.url).port;
  return { server, baseUrl: `http://127.0.0.1:${printed}` };
}

interface OwnerInfo {
  token: string;
  organizationId: number;
  firstName: string;
}

function ownerInfo(target: Target): OwnerInfo {
  const result = runCli(['user', ...target.common, '--username', OWNER_EMAIL, '--json'], target.env);
  if (result.status !== 0) throw new Error(`label-studio user failed: ${result.stdout}${result.stderr}`);
  const info = JSON.parse(result.stdout) as { token?: unknown; active_organization?: unknown; first_name?: unknown };
  if (typeof info.token !== 'string' || typeof info.active_organization !== 'number' || typeof info.first_name !== 'string') {
    throw new Error(`label-studio user --json gave no token or organization: ${result.stdout}`);
  }
  return { token: info.token, organizationId: info.active_organization, firstName: info.first_name };
}

/** `label-studio migrate --json` on the restarted server's database must find nothing to apply. */
function migrationProblems(target: Target): string[] {
  const result = runCli(['migrate', ...target.common, '--json'], target.env);
  if (result.status !== 0) return [`label-studio migrate failed after restart: ${result.stdout}${result.stderr}`];
  const applied = (JSON.parse(result.stdout) as { applied?: unknown }).applied;
  return Array.isArray(applied) && applied.length === 0 ? [] : [`label-studio migrate after restart applied ${JSON.stringify(applied)}`];
}

/** What a user sees from the restarted server: their token works and every acknowledged user is listed. */
async function apiProblems(baseUrl: string, token: string, ledger: WriteLedger): Promise<string[]> {
  const api = new HttpClient(baseUrl);
  const me = await api.get('/api/current-user', { headers: tokenAuth(token) });
  if (me.status !== 200) return [`GET /api/current-user after restart answered ${me.status}: ${me.text.slice(0, 200)}`];
  const list = await api.get('/api/users/', { headers: tokenAuth(token) });
  if (list.status !== 200) return [`GET /api/users/ after restart answered ${list.status}: ${list.text.slice(0, 200)}`];
  const listed = new Set((list.body as Array<{ email: string }>).map((u) => u.email));
  return ledger.users
    .filter((u) => !listed.has(u.email))
    .map((u) => `GET /api/users/ after restart does not list ${u.email} (201 in round ${u.round})`);
}

/** Everything checked once the server is back: migrations, what the API shows, and the stored rows against the ledger. */
async function checkAfterRestart(
  target: Target,
  baseUrl: string,
  token: string,
  check: LedgerCheck,
  reader: DatabaseReader | undefined,
): Promise<CheckFindings> {
  const broken = [...migrationProblems(target), ...(await apiProblems(baseUrl, token, check.ledger))];
  // SQLite is read beside the live server (WAL allows it); PostgreSQL through the run's pool.
  const view = reader ?? openReader(target.databaseUrl);
  try {
    const stored = await checkLedger(view.db, check);
    return { lost: stored.lost, broken: [...broken, ...stored.broken] };
  } finally {
    if (!reader) await view.close();
  }
}

/**
 * Runs crash rounds against one fresh database: concurrent writes over HTTP, SIGKILL while they are in flight,
 * restart on the same data, then checks that every acknowledged write survived and that the data is whole.
 */
export async function runCrashRounds(options: CrashRunOptions): Promise<CrashRunReport> {
  const started = performance.now();
  const seed = options.seed ?? randomInt(2 ** 31);
  const random = seededRandom(seed);
  const maxKillDelayMs = options.maxKillDelayMs ?? 1000;
  const target = await prepareTarget(options.kind);
  let { server, baseUrl } = await startServer(target);
  const owner = ownerInfo(target);
  const ledger = new WriteLedger(seed.toString(36));
  const check: LedgerCheck = { ledger, ownerEmail: OWNER_EMAIL, organizationId: owner.organizationId, initialFirstName: owner.firstName };
  const reader = options.kind === 'postgres' ? openReader(target.databaseUrl) : undefined;
  const lost = new Set<string>();
  const broken = new Set<string>();
  const rounds: RoundReport[] = [];
  try {
    for (let round = 1; round <= options.rounds; round += 1) {
      const dying = server;
      const traffic = await runRoundWorkload({
        baseUrl,
        token: owner.token,
        ledger,
        random,
        round,
        concurrency: options.concurrency ?? 12,
        killDelayMs: Math.round(random() * maxKillDelayMs),
        kill: async () => {
          await dying.stop('SIGKILL');
        },
      });
      // The file as the crash left it, before a restart gets the chance to recover anything.
      const crashed = options.kind === 'sqlite' ? sqliteIntegrityProblems(sqliteFile(target.databaseUrl)) : [];
      const restarting = performance.now();
      ({ server, baseUrl } = await startServer(target));
      const restartMs = performance.now() - restarting;
      const findings = await checkAfterRestart(target, baseUrl, owner.token, check, reader);
      findings.broken.unshift(...crashed);
      findings.broken.push(...ledger.anomalies.splice(0));
      for (const line of findings.lost) lost.add(line);
      for (const line of findings.broken) broken.add(line);
      const report: RoundReport = {
        round,
        killedAtMs: traffic.killedAtMs,
        attempted: traffic.attempted,
        acknowledged: traffic.acknowledged,
        inFlightAtKill: traffic.inFlightAtKill,
        restartMs,
        findings,
      };
      rounds.push(report);
      options.onRound?.(report);
    }
  } finally {
    const code = await server.stop('SIGTERM');
    if (code !== 0) broken.add(`the last server exited with ${code} on SIGTERM:\n${server.output()}`);
    await reader?.close();
  }
  if (options.kind === 'sqlite') {
    for (const line of sqliteIntegrityProblems(sqliteFile(target.databaseUrl))) broken.add(`after the last stop: ${line}`);
  }
  // A clean run leaves nothing behind; a failing one keeps its files for a post-mortem.
  if (lost.size === 0 && broken.size === 0) rmSync(target.dataDir, { recursive: true, force: true });
  return {
    kind: options.kind,
    seed,
    dataDir: target.dataDir,
    rounds,
    attempted: ledger.attempted,
    acknowledged: {
      projects: ledger.projects.length,
      imports: ledger.imports.filter((i) => i.taskIds !== undefined).length,
      users: ledger.users.length,
      renames: ledger.names.filter((n) => n.acknowledged).length,
      total: ledger.acknowledged,
    },
    lost: [...lost],
    broken: [...broken],
    durationMs: performance.now() - started,
  };
}

/** One line per round, for test diagnostics and the bench. */
export function describeRound(r: RoundReport): string {
  const problems = r.findings.lost.length + r.findings.broken.length;
  return (
    `round ${String(r.round).padStart(2)}: kill at ${r.killedAtMs.toFixed(0).padStart(4)} ms, ${String(r.inFlightAtKill).padStart(2)} in flight, ` +
    `${String(r.acknowledged).padStart(4)}/${String(r.attempted).padStart(4)} acknowledged, restart ${r.restartMs.toFixed(0)} ms, ` +
    `${problems === 0 ? 'all acknowledged writes present' : `${r.findings.lost.length} lost, ${r.findings.broken.length} broken`}`
  );
}

/** CRASH_ROUNDS when it is a positive integer, else the default; CRASH_SEED when set. */
export function crashSettingsFromEnv(defaultRounds: number): { rounds: number; seed: number | undefined } {
  const rounds = Number(process.env.CRASH_ROUNDS);
  const seed = Number(process.env.CRASH_SEED);
  return {
    rounds: Number.isInteger(rounds) && rounds > 0 ? rounds : defaultRounds,
    seed: process.env.CRASH_SEED && Number.isInteger(seed) ? seed : undefined,
  };
}
