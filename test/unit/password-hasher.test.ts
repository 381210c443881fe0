import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { test } from 'node:test';
import { hashingLoad, hashPassword, verifyPassword } from '#src/auth/password-hasher.js';

test('password hashes run at most one per core; the rest queue and all complete, each correct', async () => {
  const slots = availableParallelism();
  assert.equal(hashingLoad().slots, slots);
  const count = slots * 3 + 1;
  const hashes = Promise.all(Array.from({ length: count }, (_, i) => hashPassword(`password-${i}`)));
  // Just after the burst began: one slot per core taken, the others waiting in line.
  await new Promise((resolve) => setImmediate(resolve));
  const during = hashingLoad();
  assert.equal(during.running, slots);
  assert.equal(during.waiting, count - slots);
  const done = await hashes;
  assert.equal(hashingLoad().mostRunning, slots);
  assert.deepEqual(hashingLoad(), { running: 0, waiting: 0, mostRunning: slots, slots });
  const checks = await Promise.all(done.map((hash, i) => verifyPassword(`password-${i}`, hash)));
  assert.ok(checks.every((c) => c.ok));
  assert.equal((await verifyPassword('password-0', done[1] ?? '')).ok, false);
});
