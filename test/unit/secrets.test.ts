import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadInstanceSecret } from '#src/auth/instance-secret.js';
import { hashPassword, verifyPassword } from '#src/auth/password-hasher.js';
import { SecretBox } from '#src/auth/secret-box.js';
import { tempDir } from '../helpers/databases.js';

test('new passwords hash with argon2id and verify', async () => {
  const hash = await hashPassword('correct horse');
  assert.match(hash, /^\$argon2id\$/);
  assert.deepEqual(await verifyPassword('correct horse', hash), { ok: true, needsRehash: false });
  assert.equal((await verifyPassword('wrong horse', hash)).ok, false);
});

test('Django pbkdf2_sha256 hashes from Label Studio verify and ask for an upgrade', async () => {
  // Made with Python's hashlib.pbkdf2_hmac, as Django stores it.
  const django = 'pbkdf2_sha256$1200$abc$0gSU6/cK0Tiv2e7e4xndNvCd6CA/wZBUSWbT9PQyQyA=';
  assert.deepEqual(await verifyPassword('p4ssword!', django), { ok: true, needsRehash: true });
  assert.deepEqual(await verifyPassword('p4ssword?', django), { ok: false, needsRehash: false });
  assert.equal((await verifyPassword('anything', '!')).ok, false);
  assert.equal((await verifyPassword('x', 'pbkdf2_sha256$notanumber$abc$AAAA')).ok, false);
});

test('the instance secret is created once, mode 0600, and reused', () => {
  const dir = tempDir();
  const first = loadInstanceSecret(dir, undefined);
  assert.equal(statSync(join(dir, 'secret_key')).mode & 0o777, 0o600);
  assert.equal(loadInstanceSecret(dir, undefined), first);
  assert.equal(loadInstanceSecret(dir, 'from-the-environment-secret-value'), 'from-the-environment-secret-value');
});

test('a sealed token opens only with the same instance secret', () => {
  const box = new SecretBox('one-secret-that-is-long-enough-0123456789', 'legacy-token');
  const other = new SecretBox('another-secret-that-is-long-enough-012345', 'legacy-token');
  const sealed = box.encrypt('0123456789abcdef0123456789abcdef01234567');
  assert.ok(!sealed.includes('0123456789abcdef'));
  assert.equal(box.decrypt(sealed), '0123456789abcdef0123456789abcdef01234567');
  assert.throws(() => other.decrypt(sealed));
  assert.notEqual(box.lookupHash('k'), other.lookupHash('k'));
});
