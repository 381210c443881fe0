/** The one e-mail normalisation, used on every path (CLI, API, forms): trimmed and fully lower-cased. */
export function normalizeEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

/** Label Studio's answer when an e-mail is taken (the user serializer's unique check). */
export const DUPLICATE_EMAIL_MESSAGE = 'user with this email address already exists.';

/** Label Studio rejects e-mails of 256 characters or more; the column holds 254 (RFC 5321's limit). */
export const EMAIL_MAX_LENGTH = 254;

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+$/;
/** Controls, zero-width and bidi marks, unassigned code points, any separator: invisible, so look-alike accounts. */
const INVISIBLE = /[\p{C}\p{Z}]/u;

/** Returns an error message for an unusable e-mail, or null when it is fine. */
export function emailProblem(email: string): string | null {
  if (email.length === 0) return 'This field may not be blank.';
  if (email.length > EMAIL_MAX_LENGTH) return 'Email is too long';
  if (!EMAIL_SHAPE.test(email) || INVISIBLE.test(email)) return 'Enter a valid email address.';
  return null;
}
