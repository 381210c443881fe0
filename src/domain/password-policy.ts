/**
 * The one password rule, for every way a password is set (sign-up, the users API, `reset_password`): Label Studio's
 * length bounds plus the checks Django's validators make, in their words, so people see familiar messages.
 */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;
export const PASSWORD_LENGTH_MESSAGE = `Please enter a password ${PASSWORD_MIN_LENGTH}–${PASSWORD_MAX_LENGTH} characters in length.`;
export const PASSWORD_COMMON_MESSAGE = 'This password is too common.';
export const PASSWORD_NUMERIC_MESSAGE = 'This password is entirely numeric.';
export const PASSWORD_BLANK_MESSAGE = 'This password is only spaces.';

/** What the password must not resemble: the person's own e-mail and names. */
export interface PasswordOwner {
  email?: string;
  username?: string;
  firstName?: string;
  lastName?: string;
}

const OWNER_FIELDS: ReadonlyArray<readonly [keyof PasswordOwner, string]> = [
  ['email', 'email address'],
  ['username', 'username'],
  ['firstName', 'first name'],
  ['lastName', 'last name'],
];

/** Similarity from 0 to 1: one minus the edit distance over the longer length. */
function similarity(a: string, b: string): number {
  const longer = Math.max(a.length, b.length);
  if (longer === 0) return 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return 1 - (previous[b.length] ?? longer) / longer;
}

/** The e-mail itself, its local part and its words, lower-cased; short fragments are ignored. */
function fragmentsOf(value: string): string[] {
  const lower = value.trim().toLowerCase();
  const parts = [lower, lower.split('@')[0] ?? '', ...lower.split(/[^\p{L}\p{N}]+/u)];
  return [...new Set(parts)].filter((part) => part.length >= 3);
}

function tooSimilar(password: string, value: string): boolean {
  const candidate = password.toLowerCase();
  return fragmentsOf(value).some((fragment) => similarity(candidate, fragment) >= 0.7);
}

let commonPasswords: Promise<ReadonlySet<string>> | undefined;
/** The ~49,000 most common passwords (zxcvbn-ts's list), loaded on first use: commands that set no password skip it. */
function loadCommonPasswords(): Promise<ReadonlySet<string>> {
  commonPasswords ??= import('@zxcvbn-ts/language-common').then(({ dictionary }) => new Set(dictionary['passwords-common'] as string[]));
  return commonPasswords;
}

/** Every problem with a new password, in the order people should fix them; empty when it is acceptable. */
export async function passwordProblems(password: string, owner: PasswordOwner = {}): Promise<string[]> {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH || length > PASSWORD_MAX_LENGTH) return [PASSWORD_LENGTH_MESSAGE];
  const problems: string[] = [];
  if (password.trim() === '') problems.push(PASSWORD_BLANK_MESSAGE);
  for (const [field, label] of OWNER_FIELDS) {
    const value = owner[field];
    if (value && tooSimilar(password, value)) {
      problems.push(`The password is too similar to the ${label}.`);
      break;
    }
  }
  if ((await loadCommonPasswords()).has(password.trim().toLowerCase())) problems.push(PASSWORD_COMMON_MESSAGE);
  if (/^\d+$/.test(password)) problems.push(PASSWORD_NUMERIC_MESSAGE);
  return problems;
}
