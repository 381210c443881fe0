/**
 * Sends hostile requests over real HTTP and judges each answer: never a 5xx; every 4xx in Label Studio's error
 * envelope (unless a listed exception); requests that must be refused are; and a refused request changes no data.
 */
import { appendFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import type { DatabaseKind } from './databases.js';
import { diffSnapshots, takeSnapshot, type DataSnapshot } from './data-snapshot.js';
import { isUnsafe, type HostileRequest, type RequestGroup } from './hostile-requests.js';

/** How the hostile requests authenticate; the token is re-read after successes (a request may rotate it). */
export interface Credentials {
  token(): string;
  /** The `Cookie` header of a logged-in browser: session and CSRF cookies, sent without the CSRF header. */
  sessionCookie: string;
  refresh(): Promise<void>;
}

/** A Label Studio answer that is not the envelope, allowed for one operation and status. */
export interface BodyException {
  operation: string;
  status: number;
  accepts(body: unknown): boolean;
}

export interface RunOptions<DB> {
  kind: DatabaseKind;
  origin: string;
  db: Kysely<DB>;
  credentials: Credentials;
  exceptions: readonly BodyException[];
  /**
   * Puts the fixture back after an unsafe request changed data (a transfer of ownership, a new active organization,
   * customized permissions reset), so that the next request meets the same organization; true when it wrote.
   */
  restore?(): Promise<boolean>;
  /** Parallel requests for GET groups; unsafe requests go one by one, each between two snapshots. */
  concurrency: number;
  timeoutMs: number;
}

export interface RunReport {
  sent: number;
  /** Answers by status class (`2xx`, `4xx`, …, `none` for no response). */
  statuses: Record<string, number>;
  failures: string[];
}

interface Outcome {
  status: number;
  text: string;
  error?: string;
}

const ENVELOPE_KEYS = new Set(['id', 'status_code', 'version', 'detail', 'exc_info', 'validation_errors', 'code']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Why a body is not the error envelope of `status`, or undefined when it is. */
export function envelopeProblem(text: string, status: number): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return 'body is not JSON';
  }
  if (!isRecord(body)) return 'body is not an object';
  const extra = Object.keys(body).filter((key) => !ENVELOPE_KEYS.has(key));
  if (extra.length > 0) return `unexpected keys ${extra.join(', ')}`;
  if (typeof body.id !== 'string' || !UUID.test(body.id)) return 'id is not a UUID';
  if (body.status_code !== status) return `status_code ${String(body.status_code)} differs from the HTTP status`;
  if (typeof body.version !== 'string') return 'version is not a string';
  if (typeof body.detail !== 'string') return 'detail is not a string';
  if (body.exc_info !== null) return 'exc_info is not null';
  if (body.validation_errors !== undefined && !isRecord(body.validation_errors)) return 'validation_errors is not an object';
  if (typeof body.code !== 'string' || !/^([a-z_]+\.[a-z_]+|internal)$/.test(body.code)) return 'code is not a stable error code';
  return undefined;
}

const printable = (text: string, max: number): string => JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
const describe = (kind: DatabaseKind, request: HostileRequest): string =>
  `[${kind}] ${request.operation} — ${request.variant} (${request.method} ${printable(request.target, 100)})`;

function judge(kind: DatabaseKind, request: HostileRequest, outcome: Outcome, exceptions: readonly BodyException[]): string[] {
  const where = describe(kind, request);
  if (outcome.error) return [`${where} → no response: ${outcome.error}`];
  const answer = `${outcome.status}: ${printable(outcome.text, 160)}`;
  if (outcome.status >= 500) return [`${where} → ${answer}`];
  const failures: string[] = [];
  if (request.mustRefuse && outcome.status < 400) failures.push(`${where} → must be refused, got ${answer}`);
  if (outcome.status >= 400) {
    const exception = exceptions.find((e) => e.operation === request.operation && e.status === outcome.status);
    let parsed: unknown;
    try {
      parsed = JSON.parse(outcome.text);
    } catch {
      parsed = undefined;
    }
    if (!exception?.accepts(parsed)) {
      const problem = envelopeProblem(outcome.text, outcome.status);
      if (problem) failures.push(`${where} → ${outcome.status} without the error envelope (${problem}): ${printable(outcome.text, 160)}`);
    }
  }
  return failures;
}

function streamOf(bytes: string | Uint8Array): ReadableStream<Uint8Array> {
  const data = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  return new ReadableStream({
    start(controller) {
      for (let at = 0; at < data.length; at += 64 * 1024) controller.enqueue(data.subarray(at, at + 64 * 1024));
      controller.close();
    },
  });
}

async function send<DB>(request: HostileRequest, options: RunOptions<DB>): Promise<Outcome> {
  const headers = { ...request.headers };
  if (request.auth === 'token') headers.authorization = `Token ${options.credentials.token()}`;
  else headers.cookie = options.credentials.sessionCookie;
  const init: RequestInit = { method: request.method, headers, redirect: 'manual', signal: AbortSignal.timeout(options.timeoutMs) };
  if (request.body !== undefined) {
    init.body = request.chunked ? streamOf(request.body) : request.body;
    // Streaming a request body is only allowed half-duplex.
    if (request.chunked) init.duplex = 'half';
  }
  try {
    const response = await fetch(options.origin + request.target, init);
    return { status: response.status, text: await response.text() };
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return { status: 0, text: '', error: `${error instanceof Error ? error.message : String(error)}${cause}` };
  }
}

/** Every answer goes through here: counted by class, and logged when HOSTILE_LOG names a file (for digging). */
function record(kind: DatabaseKind, request: HostileRequest, outcome: Outcome, statuses: Record<string, number>): Outcome {
  const bucket = outcome.error ? 'none' : `${String(outcome.status)[0]}xx`;
  statuses[bucket] = (statuses[bucket] ?? 0) + 1;
  const log = process.env.HOSTILE_LOG;
  if (log) {
    const line = { kind, operation: request.operation, variant: request.variant, status: outcome.status, body: outcome.text.slice(0, 300) };
    appendFileSync(log, `${JSON.stringify(line)}\n`);
  }
  return outcome;
}

const refused = (outcome: Outcome): boolean => outcome.error !== undefined || outcome.status >= 400;

/** Unsafe requests one at a time, each between two snapshots, so a change is pinned on the request that made it. */
async function runSequential<DB>(group: RequestGroup, options: RunOptions<DB>, report: RunReport): Promise<void> {
  const { failures } = report;
  let before: DataSnapshot = await takeSnapshot(options.db, options.kind);
  for (const request of group.requests) {
    const outcome = record(options.kind, request, await send(request, options), report.statuses);
    const after = await takeSnapshot(options.db, options.kind);
    failures.push(...judge(options.kind, request, outcome, options.exceptions));
    const changes = diffSnapshots(before, after);
    if (refused(outcome) && changes.length > 0) {
      failures.push(`${describe(options.kind, request)} → refused with ${outcome.status} but changed data: ${changes.join('; ')}`);
    }
    // Any unsafe request may have rotated the token (reset-token answers 201; a failing one might still have).
    await options.credentials.refresh();
    // The restoration's own writes are no request's: the next one is judged from the restored state.
    before = changes.length > 0 && options.restore && (await options.restore()) ? await takeSnapshot(options.db, options.kind) : after;
  }
}

/** Safe requests in parallel: whatever they answer, the data must be the same after the whole group. */
async function runParallel<DB>(group: RequestGroup, options: RunOptions<DB>, report: RunReport): Promise<void> {
  const { failures } = report;
  const before = await takeSnapshot(options.db, options.kind);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < group.requests.length; i = next++) {
      const request = group.requests[i];
      if (!request) continue;
      const outcome = record(options.kind, request, await send(request, options), report.statuses);
      failures.push(...judge(options.kind, request, outcome, options.exceptions));
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const changes = diffSnapshots(before, await takeSnapshot(options.db, options.kind));
  if (changes.length > 0) failures.push(`[${options.kind}] ${group.operation.key} — safe requests changed data: ${changes.join('; ')}`);
}

/** Runs every group and collects every failure (it never stops at the first). */
export async function runHostileRequests<DB>(groups: readonly RequestGroup[], options: RunOptions<DB>): Promise<RunReport> {
  const report: RunReport = { sent: 0, statuses: {}, failures: [] };
  for (const group of groups) {
    if (isUnsafe(group.operation.method)) await runSequential(group, options, report);
    else await runParallel(group, options, report);
    report.sent += group.requests.length;
  }
  return report;
}
