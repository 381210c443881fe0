import assert from 'node:assert/strict';
import type { UserJson } from '#src/http/presenters/user.presenter.js';

export type Envelope = {
  id: string;
  status_code: number;
  version: string;
  detail: string;
  exc_info: null;
  validation_errors?: Record<string, unknown>;
  /** Our stable error code (`user.email_taken` …), after Label Studio's fields. */
  code: string;
};

/** Asserts Label Studio's error envelope with the given status (and detail, when given). */
export function assertEnvelope(body: unknown, status: number, detail?: string | RegExp): Envelope {
  const env = body as Envelope;
  assert.equal(env.status_code, status, `expected a ${status} envelope, got ${JSON.stringify(body)}`);
  assert.match(env.id, /^[0-9a-f-]{36}$/);
  assert.equal(typeof env.version, 'string');
  assert.equal(env.exc_info, null);
  assert.match(env.code, /^([a-z_]+\.[a-z_]+|internal)$/, `a stable error code in ${JSON.stringify(body)}`);
  if (typeof detail === 'string') assert.equal(env.detail, detail);
  else if (detail) assert.match(env.detail, detail);
  return env;
}

/** Asserts the HTTP status and that the body is the error envelope of that status. */
export function assertError(res: { status: number; body: unknown; text?: string }, status: number, detail?: string | RegExp): Envelope {
  assert.equal(res.status, status, res.text);
  return assertEnvelope(res.body, status, detail);
}

/** Label Studio's user object keys, in order (§6.1). */
export const USER_FIELDS = [
  'id',
  'first_name',
  'last_name',
  'username',
  'email',
  'last_activity',
  'custom_hotkeys',
  'avatar',
  'initials',
  'phone',
  'active_organization',
  'active_organization_meta',
  'allow_newsletters',
  'date_joined',
];

/** A user object as the API returns it: the presenter's own type. */
export type UserBody = UserJson;
