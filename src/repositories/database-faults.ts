import { DUPLICATE_EMAIL_MESSAGE } from '#src/domain/email.js';
import { AppError } from '#src/errors.js';
import type { DatabaseFault } from '#src/storage/database.js';

export const TOKEN_TAKEN_MESSAGE = 'This token is already used by another user.';

/**
 * Unique constraints whose violation means a known, user-facing conflict, by the names both databases report
 * (PostgreSQL's constraint name, SQLite's index name or column list). Two requests racing past a service's own
 * check end here instead of in a 500.
 */
const UNIQUE_CONFLICTS: ReadonlyArray<{ names: readonly string[]; error: () => AppError }> = [
  {
    names: ['users_email_unique'],
    error: () => AppError.validation({ email: [DUPLICATE_EMAIL_MESSAGE] }, 'user.email_taken'),
  },
  {
    names: ['legacy_tokens_lookup_hash_key', 'legacy_tokens.lookup_hash'],
    error: () => AppError.validation({ token: [TOKEN_TAKEN_MESSAGE] }, 'user.token_taken'),
  },
];

/** The AppError a database refusal stands for; anything unrecognised is still the client's conflict, not a 500. */
export function faultToAppError(fault: DatabaseFault): AppError {
  if (fault.kind === 'unique') {
    const known = UNIQUE_CONFLICTS.find((entry) => entry.names.includes(fault.constraint));
    return known ? known.error() : AppError.validation({ non_field_errors: ['This change conflicts with existing data. Try again.'] });
  }
  if (fault.kind === 'foreign_key') {
    return AppError.validation({ non_field_errors: ['This change refers to something that no longer exists. Reload and try again.'] });
  }
  return AppError.validation({ non_field_errors: ['A value is out of range or not valid text.'] });
}
