import { Type } from '@sinclair/typebox';
import { MAX_ROW_ID } from '#src/domain/limits.js';
import { PASSWORD_MAX_LENGTH } from '#src/domain/password-policy.js';
import { Nullable } from '#src/http/schemas/common.schema.js';

/** One of your web sessions ("Your sessions" on the Account page). */
export const SessionSchema = Type.Object({
  id: Type.String({ description: 'Names the session to revoke it; not the cookie, nor derived from it' }),
  device: Type.String({ description: 'Browser and system, read from the user agent (e.g. "Firefox on Windows")' }),
  user_agent: Nullable(Type.String()),
  ip: Nullable(Type.String({ description: 'Where it was last used from' })),
  created_at: Type.String({ format: 'date-time', description: 'When it logged in' }),
  last_seen_at: Type.String({ format: 'date-time', description: 'Last used (to within a minute)' }),
  expires_at: Type.String({ format: 'date-time', description: 'When it ends unless used again (the organization session policy)' }),
  current: Type.Boolean({ description: 'The session of this very request' }),
});
export const SessionListSchema = Type.Array(SessionSchema);

export const SessionRevokeBody = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64, description: 'The `id` of one of your sessions, as listed' }),
});

export const RevokedSessionsSchema = Type.Object({
  revoked: Type.Integer({ description: 'How many sessions ended' }),
});

export const PasswordChangeBody = Type.Object({
  current_password: Type.String({ maxLength: PASSWORD_MAX_LENGTH * 8 }),
  new_password: Type.String({ maxLength: PASSWORD_MAX_LENGTH * 8 }),
});

export const PasswordChangedSchema = Type.Object({
  detail: Type.String(),
  signed_out_elsewhere: Type.Integer({ description: 'Your other sessions that ended' }),
});

const Minutes = (description: string) => Type.Integer({ minimum: 1, maximum: MAX_ROW_ID, description });

/** Enterprise's SessionTimeoutPolicy, as the SDK's `session_policy` reads it. */
export const SessionPolicySchema = Type.Object({
  max_session_age: Minutes('Minutes a session may live after login, however active'),
  max_time_between_activity: Minutes('Minutes a session may stay unused'),
  created_at: Nullable(Type.String({ format: 'date-time' })),
  updated_at: Nullable(Type.String({ format: 'date-time' })),
});

export const SessionPolicyBody = Type.Object({
  max_session_age: Type.Optional(Minutes('Minutes a session may live after login, however active (1 … 2147483647)')),
  max_time_between_activity: Type.Optional(Minutes('Minutes a session may stay unused (1 … 2147483647)')),
});

/** A member's login lockout, for administrators. */
export const LockoutSchema = Type.Object({
  locked: Type.Boolean({ description: 'Password logins are refused until `locked_until`' }),
  locked_until: Nullable(Type.String({ format: 'date-time' })),
  failed_logins: Type.Integer({ description: 'Failed logins counted in the current window' }),
});
