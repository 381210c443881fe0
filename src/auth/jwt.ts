import { createHash, createHmac, randomUUID } from 'node:crypto';
import { safeEqual } from '#src/auth/secret-box.js';

/** Claims of Label Studio's tokens (simplejwt's defaults). */
export interface JwtClaims {
  token_type: 'refresh' | 'access';
  exp: number;
  iat: number;
  jti: string;
  user_id: number;
}

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

function sign(input: string, key: Buffer): string {
  return createHmac('sha256', key).update(input).digest('base64url');
}

/** Signs claims as an HS256 JWT. */
export function encodeJwt(claims: JwtClaims, key: Buffer): string {
  const body = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${body}.${sign(body, key)}`;
}

/** New claims for a user's token of the given type and lifetime. */
export function newClaims(type: JwtClaims['token_type'], userId: number, nowSeconds: number, lifetimeSeconds: number): JwtClaims {
  return { token_type: type, exp: nowSeconds + lifetimeSeconds, iat: nowSeconds, jti: randomUUID().replace(/-/g, ''), user_id: userId };
}

/** True when the value has the shape of a JWT (three base64url parts, a JSON header): Label Studio's `is_jwt_formatted`. */
export function looksLikeJwt(value: string): boolean {
  const parts = value.split('.');
  if (parts.length !== 3) return false;
  try {
    const header: unknown = JSON.parse(Buffer.from(parts[0] ?? '', 'base64url').toString('utf8'));
    return typeof header === 'object' && header !== null && 'alg' in header;
  } catch {
    return false;
  }
}

function parseClaims(payload: string): JwtClaims | undefined {
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Omit<Partial<JwtClaims>, 'user_id'> & { user_id?: unknown };
    // simplejwt writes integer ids as JSON numbers; a numeric string (other id settings) means the same user.
    if (typeof claims.user_id === 'string' && /^[1-9][0-9]{0,15}$/.test(claims.user_id)) claims.user_id = Number(claims.user_id);
    if (
      (claims.token_type === 'refresh' || claims.token_type === 'access') &&
      typeof claims.exp === 'number' &&
      typeof claims.iat === 'number' &&
      typeof claims.jti === 'string' &&
      typeof claims.user_id === 'number'
    ) {
      return claims as JwtClaims;
    }
  } catch {
    // not JSON: not one of ours
  }
  return undefined;
}

/** Verifies the signature; returns the claims, expired or not, or undefined for anything else. */
export function signedClaims(token: string, key: Buffer): JwtClaims | undefined {
  const [header, payload, signature] = token.split('.');
  if (header !== HEADER || !payload || !signature) return undefined;
  if (!safeEqual(sign(`${header}.${payload}`, key), signature)) return undefined;
  return parseClaims(payload);
}

/** Verifies signature and expiry; returns the claims, or undefined for anything invalid. */
export function verifyJwt(token: string, key: Buffer, nowSeconds: number): JwtClaims | undefined {
  const claims = signedClaims(token, key);
  return claims && claims.exp > nowSeconds ? claims : undefined;
}

/** Reads the claims of `header.payload` (or a full token) without checking the signature: for blacklisting by prefix. */
export function readUnverifiedClaims(token: string): JwtClaims | undefined {
  const [header, payload] = token.split('.');
  if (header !== HEADER || !payload) return undefined;
  return parseClaims(payload);
}

/**
 * The claims of a complete token whatever its header and signature: for tokens this instance did not sign, which are
 * recognised by the hash of the whole token instead (see `tokenHash`).
 */
export function readForeignClaims(token: string): JwtClaims | undefined {
  const parts = token.split('.');
  return parts.length === 3 && parts[0] && parts[2] ? parseClaims(parts[1] ?? '') : undefined;
}

/** SHA-256 (hex) of a complete token: how a token signed elsewhere (Label Studio's PATs) is recognised here. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** `header.payload`: the part of a token Label Studio stores and lists. */
export function tokenPrefix(token: string): string {
  return token.split('.').slice(0, 2).join('.');
}
