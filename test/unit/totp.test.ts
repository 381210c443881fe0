import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeRecoveryCode, newRecoveryCodes } from '#src/auth/recovery-codes.js';
import { matchTotp, normalizeTotpCode, totpCode, totpStep, totpUri } from '#src/auth/totp.js';

/** RFC 6238 appendix B's SHA-1 key ("12345678901234567890"), base32 as authenticator apps take it. */
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
/** Appendix B's times and SHA-1 codes, cut to the six digits apps show (RFC 4226 takes the last digits). */
const VECTORS: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];
const at = (seconds: number) => new Date(seconds * 1000);

test('codes are RFC 6238 test vectors (SHA-1, 30-second steps, six digits)', async () => {
  for (const [seconds, eight] of VECTORS) {
    assert.equal(await totpCode(RFC_SECRET, at(seconds)), eight.slice(-6), `T=${seconds}`);
  }
});

test('a code is accepted one step either side of now and names its step; two steps away it is refused', async () => {
  const now = at(1111111111);
  const step = totpStep(now);
  for (const offset of [-1, 0, 1]) {
    const code = await totpCode(RFC_SECRET, at((step + offset) * 30 + 5));
    assert.equal(await matchTotp(RFC_SECRET, code, now), step + offset, `offset ${offset}`);
  }
  for (const offset of [-2, 2]) {
    const code = await totpCode(RFC_SECRET, at((step + offset) * 30 + 5));
    assert.equal(await matchTotp(RFC_SECRET, code, now), undefined, `offset ${offset}`);
  }
  const right = await totpCode(RFC_SECRET, now);
  assert.equal(await matchTotp(RFC_SECRET, right === '000000' ? '111111' : '000000', now), undefined);
});

test('codes as people type them: spaces and dashes go, anything but six digits is not a code', () => {
  assert.equal(normalizeTotpCode(' 123 456 '), '123456');
  assert.equal(normalizeTotpCode('123-456'), '123456');
  for (const bad of ['12345', '1234567', '12345a', '']) assert.equal(normalizeTotpCode(bad), undefined, bad);
});

test('the otpauth URI names the issuer, the account and the secret', async () => {
  const uri = new URL(await totpUri(RFC_SECRET, 'Label Studio', 'ada@example.com'));
  assert.equal(uri.protocol, 'otpauth:');
  assert.equal(uri.searchParams.get('secret'), RFC_SECRET);
  assert.equal(uri.searchParams.get('issuer'), 'Label Studio');
  assert.match(decodeURIComponent(uri.pathname), /ada@example\.com/);
});

test('recovery codes: ten distinct, readable, and taken back in any case with or without the dash', () => {
  const codes = newRecoveryCodes();
  assert.equal(new Set(codes).size, 10);
  for (const code of codes) {
    assert.match(code, /^[2-9a-z]{5}-[2-9a-z]{5}$/);
    assert.equal(normalizeRecoveryCode(code.toUpperCase().replace('-', ' ')), code.replace('-', ''));
  }
  assert.equal(normalizeRecoveryCode('abcde-fghij0'), undefined);
  assert.equal(normalizeRecoveryCode('0oil1-00000'), undefined);
});
