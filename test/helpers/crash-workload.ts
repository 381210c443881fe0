import { performance } from 'node:perf_hooks';
import { HttpClient, tokenAuth, type HttpResponse } from './http-client.js';

/** A small seeded generator (mulberry32), so a failing run can be replayed with the seed it printed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface AcknowledgedProject {
  id: number;
  title: string;
  round: number;
}

export interface AcknowledgedUser {
  id: number;
  email: string;
  firstName: string;
  round: number;
}

/** One PATCH of the owner's first_name; `settledAt` is when it could last have been written (ack, or server death). */
export interface NameAttempt {
  value: string;
  sentAt: number;
  settledAt: number | undefined;
  acknowledged: boolean;
}

/** One import of a batch of tasks that all carry the batch's tag in their data. */
export interface ImportAttempt {
  batch: string;
  projectId: number;
  size: number;
  round: number;
  /** Task ids the server answered with, when it answered 201. */
  taskIds: number[] | undefined;
}

/** Everything the run attempted and everything the server acknowledged, across rounds. */
export class WriteLedger {
  readonly projectTitles = new Set<string>();
  readonly projects: AcknowledgedProject[] = [];
  readonly userEmails = new Set<string>();
  readonly users: AcknowledgedUser[] = [];
  readonly names: NameAttempt[] = [];
  readonly imports: ImportAttempt[] = [];
  /** Answers that are bugs whatever the crash: non-2xx statuses, connections failing before the kill. */
  readonly anomalies: string[] = [];
  attempted = 0;
  acknowledged = 0;
  #sequence = 0;

  constructor(readonly runTag: string) {}

  next(): number {
    this.#sequence += 1;
    return this.#sequence;
  }
}

export interface RoundWorkload {
  /** Base URL of the running server, e.g. http://127.0.0.1:8123 */
  baseUrl: string;
  token: string;
  ledger: WriteLedger;
  random: () => number;
  round: number;
  /** Requests in flight at any moment. */
  concurrency: number;
  /** When to kill, counted from the round's first acknowledged write (so no round crashes an idle server). */
  killDelayMs: number;
  /** Kills the server and resolves once it is dead. */
  kill: () => Promise<void>;
}

export interface RoundTraffic {
  attempted: number;
  acknowledged: number;
  inFlightAtKill: number;
  /** When the kill was sent, from the start of the round. */
  killedAtMs: number;
  /** performance.now() when the server was seen dead. */
  deadAt: number;
}

const TASKS_PER_IMPORT = 3;

class Lane {
  inFlight = false;

  constructor(
    private readonly work: RoundWorkload,
    private readonly api: HttpClient,
    private readonly stopping: () => boolean,
  ) {}

  async run(): Promise<void> {
    while (!this.stopping()) {
      try {
        await this.oneWrite(this.work.random());
      } catch (error) {
        // A 2xx answer without the fields it must carry: a bug to report, not a reason to stop the round.
        this.work.ledger.anomalies.push(`round ${this.work.round}: ${String(error)}`);
      }
    }
  }

  /** The mix: projects and imports most often, owner renames, and fewer users (each costs an argon2 hash). */
  private oneWrite(pick: number): Promise<void> {
    if (pick < 0.3) return this.createProject();
    if (pick < 0.6) return this.importTasks();
    if (pick < 0.85) return this.renameOwner();
    return this.createUser();
  }

  /** Sends one write; returns the answer when it was 2xx, and notes anything that is a bug on its own. */
  private async send(method: string, path: string, json: unknown): Promise<HttpResponse | undefined> {
    const { ledger } = this.work;
    ledger.attempted += 1;
    this.inFlight = true;
    try {
      const response = await this.api.request(method, path, { headers: tokenAuth(this.work.token), json });
      if (response.status >= 200 && response.status < 300) {
        ledger.acknowledged += 1;
        return response;
      }
      ledger.anomalies.push(`round ${this.work.round}: ${method} ${path} answered ${response.status}: ${response.text.slice(0, 300)}`);
      return undefined;
    } catch (error) {
      // After the kill a reset connection is the expected outcome; before it, the server failed on its own.
      if (!this.stopping()) ledger.anomalies.push(`round ${this.work.round}: ${method} ${path} failed before the kill: ${String(error)}`);
      return undefined;
    } finally {
      this.inFlight = false;
    }
  }

  private async createProject(): Promise<void> {
    const { ledger, round } = this.work;
    const title = `crash ${ledger.runTag} p${ledger.next()}`;
    ledger.projectTitles.add(title);
    const response = await this.send('POST', '/api/projects/', { title });
    if (response) ledger.projects.push({ id: numberField(response.body, 'id'), title, round });
  }

  private async importTasks(): Promise<void> {
    const { ledger, round } = this.work;
    const target = ledger.projects[Math.floor(this.work.random() * ledger.projects.length)];
    if (!target) return this.createProject();
    const batch = `${ledger.runTag}-b${ledger.next()}`;
    const attempt: ImportAttempt = { batch, projectId: target.id, size: TASKS_PER_IMPORT, round, taskIds: undefined };
    ledger.imports.push(attempt);
    const tasks = Array.from({ length: TASKS_PER_IMPORT }, (_, i) => ({ data: { text: `task ${i} of ${batch}`, batch } }));
    const response = await this.send('POST', `/api/projects/${target.id}/import?return_task_ids=true`, tasks);
    if (response) attempt.taskIds = numberArrayField(response.body, 'task_ids');
  }

  private async renameOwner(): Promise<void> {
    const { ledger } = this.work;
    const attempt: NameAttempt = { value: `name-${ledger.next()}`, sentAt: performance.now(), settledAt: undefined, acknowledged: false };
    ledger.names.push(attempt);
    const response = await this.send('PATCH', '/api/current-user', { first_name: attempt.value });
    if (response) {
      attempt.acknowledged = true;
      attempt.settledAt = performance.now();
    }
  }

  private async createUser(): Promise<void> {
    const { ledger, round } = this.work;
    const n = ledger.next();
    const email = `crash-${ledger.runTag}-${n}@example.com`;
    const firstName = `member ${n}`;
    ledger.userEmails.add(email);
    const body = { email, username: `member${n}`, first_name: firstName, password: `member-pass-${n}` };
    const response = await this.send('POST', '/api/users/', body);
    if (response) ledger.users.push({ id: numberField(response.body, 'id'), email, firstName, round });
  }
}

/**
 * Keeps `concurrency` writes in flight against the server until the kill moment, kills it there, and waits for
 * every request to end (answered, or cut by the kill).
 */
export async function runRoundWorkload(work: RoundWorkload): Promise<RoundTraffic> {
  const api = new HttpClient(work.baseUrl);
  const before = { attempted: work.ledger.attempted, acknowledged: work.ledger.acknowledged };
  let stopping = false;
  const lanes = Array.from({ length: work.concurrency }, () => new Lane(work, api, () => stopping));
  const startedAt = performance.now();
  const running = lanes.map((lane) => lane.run());
  await firstAcknowledgement(work.ledger, before.acknowledged, startedAt);
  await sleep(work.killDelayMs);
  stopping = true;
  const killedAtMs = performance.now() - startedAt;
  const inFlightAtKill = lanes.filter((lane) => lane.inFlight).length;
  await work.kill();
  const deadAt = performance.now();
  await Promise.all(running);
  // Requests that never got an answer were settled by the server's death at the latest.
  for (const attempt of work.ledger.names) if (attempt.settledAt === undefined) attempt.settledAt = deadAt;
  return {
    attempted: work.ledger.attempted - before.attempted,
    acknowledged: work.ledger.acknowledged - before.acknowledged,
    inFlightAtKill,
    killedAtMs,
    deadAt,
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the round has an acknowledged write, or 10 s (a server that acknowledges nothing fails the checks anyway). */
async function firstAcknowledgement(ledger: WriteLedger, before: number, startedAt: number): Promise<void> {
  while (ledger.acknowledged === before && performance.now() - startedAt < 10_000) await sleep(5);
}

function numberField(body: unknown, name: string): number {
  const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
  if (typeof value !== 'number') throw new Error(`answer without a numeric "${name}": ${JSON.stringify(body)}`);
  return value;
}

function numberArrayField(body: unknown, name: string): number[] {
  const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
  if (!Array.isArray(value) || !value.every((v): v is number => typeof v === 'number')) {
    throw new Error(`answer without a numeric array "${name}": ${JSON.stringify(body)}`);
  }
  return value;
}
