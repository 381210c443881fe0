/** otplib (with its hash and base32 libraries) loads on first use: most commands and requests never need it. */
const otplib = (): Promise<typeof import('otplib')> => import('otplib');

/** RFC 6238 as every authenticator app reads it: HMAC-SHA-1, 6 digits, 30-second steps. */
export const TOTP_PERIOD_SECONDS = 30;
/** Steps accepted either side of the current one (clock drift, a code typed as it changes). */
export const TOTP_WINDOW_STEPS = 1;

/** A new 160-bit secret (RFC 4226's recommended length), base32 as authenticator apps take it. */
export async function newTotpSecret(): Promise<string> {
  return (await otplib()).generateSecret({ length: 20 });
}

/** The `otpauth://totp/…` URI an authenticator app reads from the QR code. */
export async function totpUri(secret: string, issuer: string, account: string): Promise<string> {
  return (await otplib()).generateURI({ issuer, label: account, secret, period: TOTP_PERIOD_SECONDS });
}

/** The step a time falls in (RFC 6238's T). */
export function totpStep(at: Date): number {
  return Math.floor(at.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

/** A six-digit code as typed, without the spaces or dashes people put in it; undefined when it cannot be one. */
export function normalizeTotpCode(input: string): string | undefined {
  const code = input.replace(/[\s-]/g, '');
  return /^\d{6}$/.test(code) ? code : undefined;
}

/**
 * The time step `code` belongs to, within one step either side of `at`, or undefined. Which step matched is what
 * replay protection records; the comparison itself is otplib's (constant time).
 */
export async function matchTotp(secret: string, code: string, at: Date): Promise<number | undefined> {
  const result = await (await otplib()).verify({
    secret,
    token: code,
    epoch: Math.floor(at.getTime() / 1000),
    period: TOTP_PERIOD_SECONDS,
    epochTolerance: TOTP_WINDOW_STEPS * TOTP_PERIOD_SECONDS,
  });
  // The functional API types TOTP and HOTP results together; only a TOTP result carries its step.
  return result.valid && 'timeStep' in result ? result.timeStep : undefined;
}

/** The code for a time (the CLI and tests compute what an authenticator app would show). */
export async function totpCode(secret: string, at: Date): Promise<string> {
  return (await otplib()).generate({ secret, epoch: Math.floor(at.getTime() / 1000), period: TOTP_PERIOD_SECONDS });
}
