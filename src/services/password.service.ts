import { hashPassword, verifyPassword } from '#src/auth/password-hasher.js';

/** Label Studio's sign-up limits (AUTH_PASSWORD_MIN_LENGTH / MAX_LENGTH). */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;
export const PASSWORD_LENGTH_MESSAGE = `Please enter a password ${PASSWORD_MIN_LENGTH}–${PASSWORD_MAX_LENGTH} characters in length.`;

/** A real argon2id hash of a random string: verified against for unknown e-mails, so timing does not reveal accounts. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(`dummy-${Math.random()}`);
  return dummyHash;
}

export { hashPassword, verifyPassword };
