/**
 * The bench's load generator: autocannon on 127.0.0.1, every run bounded in time or in requests. Latencies (whole
 * milliseconds, as autocannon records them) go to our own HDR histogram so any percentile can be read (autocannon
 * reports p90 and p97.5, not p95).
 */
import { request as httpRequest } from 'node:http';
import autocannon from 'autocannon';
import hdr from 'hdr-histogram-js';

export interface LoadResult {
  requestsPerSecond: number;
  /** Requests answered in all. */
  total: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
}

export interface LoadOptions {
  url: string;
  method?: 'GET' | 'POST' | 'PATCH';
  headers?: Record<string, string>;
  body?: string;
  connections?: number;
  /** Seconds to run (or `amount` requests). */
  duration?: number;
  amount?: number;
  /** Per-request body/headers, cycling (e.g. a different user per login). */
  requests?: Array<{ method?: string; path?: string; headers?: Record<string, string>; body?: string }>;
}

export async function load(options: LoadOptions): Promise<LoadResult> {
  const latencies = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000, numberOfSignificantValueDigits: 3, autoResize: true });
  const result = await autocannon({
    url: options.url,
    method: options.method ?? 'GET',
    headers: options.headers,
    body: options.body,
    connections: options.connections ?? 1,
    ...(options.amount ? { amount: options.amount } : { duration: options.duration ?? 3 }),
    requests: options.requests,
    timeout: 60,
    // autocannon records whole milliseconds of 2xx answers into it.
    histograms: { latencies },
  } as autocannon.Options & { histograms: unknown });
  const ms = (p: number) => latencies.getValueAtPercentile(p);
  return {
    // Over the whole run: autocannon's own average is of whole-second samples, which a run of 1.5 s does not fill.
    requestsPerSecond: result.requests.total / Math.max(0.001, result.duration),
    total: result.requests.total,
    p50: ms(50),
    p95: ms(95),
    p99: ms(99),
    max: latencies.maxValue,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/** One request, its status, body and wall time in ms. */
export function fetchTimed(url: string, headers: Record<string, string> = {}, method = 'GET', body?: string): Promise<{ status: number; body: string; ms: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = httpRequest(url, { method, headers: { ...headers, ...(body ? { 'content-length': Buffer.byteLength(body) } : {}) } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8'), ms: performance.now() - started, headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
