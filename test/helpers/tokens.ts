import assert from 'node:assert/strict';
import type { Clock } from '#src/clock.js';
import type { HttpResponse } from './http-client.js';

export type Envelope = {
  id: string;
  status_code: number;
  version: string;
  detail: string;
  exc_info: null;
  validation_errors?: Record<string, unknown>;
};

/** Asserts Label Studio's error envelope with the given status (and detail, when given). */
export function assertEnvelope(res: HttpResponse, status: number, detail?: string | RegExp): Envelope {
  assert.equal(res.status, status, res.text);
  const env = res.body as Envelope;
  assert.equal(env.status_code, status);
  assert.match(env.id, /^[0-9a-f-]{36}$/);
  assert.equal(env.exc_info, null);
  if (typeof detail === 'string') assert.equal(env.detail, detail);
  else if (detail) assert.match(env.detail, detail);
  return env;
}

/** The payload of a JWT decoded as the SDK does it: base64 only, no signature check. */
export function jwtPayload(token: string): Record<string, unknown> {
  const parts = token.split('.');
  assert.equal(parts.length, 3, `not a JWT: ${token}`);
  return JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** `header.payload`: how Label Studio lists a token. */
export const prefixOf = (token: string): string => token.split('.').slice(0, 2).join('.');

/** A clock tests can move forward instead of sleeping. */
export class MovableClock implements Clock {
  offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
}

/** An empty body with Content-Length 0 and no Content-Type, as the SDK sends bodiless POSTs. */
export const NO_BODY = { raw: new Uint8Array(0) };
