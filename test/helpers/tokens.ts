import assert from 'node:assert/strict';

/** The payload of a JWT decoded as the SDK does it: base64 only, no signature check. */
export function jwtPayload(token: string): Record<string, unknown> {
  const parts = token.split('.');
  assert.equal(parts.length, 3, `not a JWT: ${token}`);
  return JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** `header.payload`: how Label Studio lists a token. */
export const prefixOf = (token: string): string => token.split('.').slice(0, 2).join('.');

/** An empty body with Content-Length 0 and no Content-Type, as the SDK sends bodiless POSTs. */
export const NO_BODY = { raw: new Uint8Array(0) };
