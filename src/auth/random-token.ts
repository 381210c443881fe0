import { randomBytes, randomInt } from 'node:crypto';

/** 20 random bytes as 40 lowercase hex characters: Label Studio's legacy API token format. */
export function newLegacyTokenKey(): string {
  return randomBytes(20).toString('hex');
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random string over [A-Za-z0-9] (Label Studio's invite token: 40 characters). */
export function randomAlphanumeric(length = 40): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return out;
}
