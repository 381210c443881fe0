import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { encodeJwt, looksLikeJwt, newClaims, readUnverifiedClaims, tokenPrefix, verifyJwt } from '#src/auth/jwt.js';
import { newLegacyTokenKey } from '#src/auth/random-token.js';

const key = randomBytes(32);
const now = 1_750_000_000;

test('a signed token verifies until it expires, and only under its key', () => {
  const claims = newClaims('refresh', 7, now, 60);
  const token = encodeJwt(claims, key);
  assert.deepEqual(verifyJwt(token, key, now), claims);
  assert.deepEqual(verifyJwt(token, key, now + 59), claims);
  assert.equal(verifyJwt(token, key, now + 60), undefined, 'expired at exp');
  assert.equal(verifyJwt(token, randomBytes(32), now), undefined, 'other key');
});

test('tampering with any part invalidates the token', () => {
  const token = encodeJwt(newClaims('access', 7, now, 300), key);
  const [header, payload, signature] = token.split('.');
  const edited = Buffer.from(JSON.stringify({ ...readUnverifiedClaims(token), user_id: 1 })).toString('base64url');
  assert.equal(verifyJwt(`${header}.${edited}.${signature}`, key, now), undefined);
  const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
  assert.equal(verifyJwt(`${none}.${payload}.`, key, now), undefined, 'alg none');
  assert.equal(verifyJwt(`${header}.${payload}`, key, now), undefined, 'no signature');
  assert.equal(verifyJwt('garbage', key, now), undefined);
});

test('claims have the SDK-readable shape; jti is unique', () => {
  const a = newClaims('refresh', 3, now, 73000 * 86400);
  const b = newClaims('refresh', 3, now, 73000 * 86400);
  assert.notEqual(a.jti, b.jti);
  assert.equal(a.exp, now + 73000 * 86400);
  const token = encodeJwt(a, key);
  const decoded = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  assert.deepEqual(decoded, { token_type: 'refresh', exp: a.exp, iat: now, jti: a.jti, user_id: 3 });
});

test('the header.payload form keeps the claims readable, not the signature', () => {
  const claims = newClaims('refresh', 9, now, 60);
  const token = encodeJwt(claims, key);
  const prefix = tokenPrefix(token);
  assert.equal(prefix.split('.').length, 2);
  assert.ok(token.startsWith(`${prefix}.`));
  assert.deepEqual(readUnverifiedClaims(prefix), claims);
  assert.equal(verifyJwt(prefix, key, now), undefined);
});

test('legacy keys are never JWT-shaped; our tokens are', () => {
  for (let i = 0; i < 20; i += 1) {
    const legacy = newLegacyTokenKey();
    assert.match(legacy, /^[0-9a-f]{40}$/);
    assert.equal(looksLikeJwt(legacy), false);
    assert.equal(readUnverifiedClaims(legacy), undefined);
  }
  assert.equal(looksLikeJwt(encodeJwt(newClaims('access', 1, now, 300), key)), true);
  assert.equal(looksLikeJwt('a.b.c'), false);
});
