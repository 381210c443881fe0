import { randomInt } from 'node:crypto';

/** How many recovery codes a user gets at once. */
export const RECOVERY_CODE_COUNT = 10;
/** Lower-case letters and digits without the look-alikes (0/o, 1/l/i, u): easy to copy from paper. */
const ALPHABET = '23456789abcdefghjkmnpqrstvwxyz';
const HALF = 5;

/** One code, `xxxxx-xxxxx` (10 characters from 30: ~49 bits, stored only as a keyed hash). */
function newRecoveryCode(): string {
  let out = '';
  for (let i = 0; i < HALF * 2; i += 1) out += ALPHABET[randomInt(ALPHABET.length)];
  return `${out.slice(0, HALF)}-${out.slice(HALF)}`;
}

/** A fresh set of distinct recovery codes, as shown to the user once. */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  const codes = new Set<string>();
  while (codes.size < count) codes.add(newRecoveryCode());
  return [...codes];
}

/** The code as typed, in the one form that is hashed (no case, spaces or dash); undefined when it cannot be one. */
export function normalizeRecoveryCode(input: string): string | undefined {
  const code = input.replace(/[\s-]/g, '').toLowerCase();
  return code.length === HALF * 2 && [...code].every((ch) => ALPHABET.includes(ch)) ? code : undefined;
}
