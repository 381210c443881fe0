import { pbkdf2, timingSafeEqual } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';

const pbkdf2Async = promisify(pbkdf2);

// Loaded on first use: commands that never hash (`label-studio user`) start faster without the addon.
const loadArgon2 = async () => (await import('argon2')).default;

/** OWASP's argon2id baseline (19 MiB, 2 passes); argon2 hashes on libuv's pool, off the event loop. */
const ARGON2_OPTIONS = { type: 2 /* argon2id */, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/**
 * At most one password hash (or verification) per core at a time; the rest wait their turn. Hashing runs on libuv's
 * four threads, which file and DNS work share: unbounded, fifty logins at once would slow every other request, while
 * queued they only slow the logins themselves.
 */
const HASH_SLOTS = Math.max(1, availableParallelism());
let busy = 0;
const waiting: Array<() => void> = [];

/** Hashes running and waiting now, and the most ever run at once (the limit is HASH_SLOTS). */
export function hashingLoad(): { running: number; waiting: number; mostRunning: number; slots: number } {
  return { running: busy, waiting: waiting.length, mostRunning, slots: HASH_SLOTS };
}
let mostRunning = 0;

async function inHashSlot<T>(work: () => Promise<T>): Promise<T> {
  // A freed slot is handed straight to the next in line, so newcomers never jump the queue.
  if (busy < HASH_SLOTS) busy += 1;
  else await new Promise<void>((resolve) => waiting.push(resolve));
  mostRunning = Math.max(mostRunning, busy);
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else busy -= 1;
  }
}

/** Hashes a password with argon2id (PHC string `$argon2id$…`). */
export async function hashPassword(password: string): Promise<string> {
  const argon2 = await loadArgon2();
  return inHashSlot(() => argon2.hash(password, ARGON2_OPTIONS));
}

async function verifyDjangoPbkdf2(password: string, encoded: string): Promise<boolean> {
  const [algorithm, iterationsRaw, salt, expectedB64] = encoded.split('$');
  const iterations = Number(iterationsRaw);
  if (algorithm !== 'pbkdf2_sha256' || !salt || !expectedB64 || !Number.isInteger(iterations) || iterations < 1) {
    return false;
  }
  const expected = Buffer.from(expectedB64, 'base64');
  if (expected.length === 0) return false;
  const actual = await inHashSlot(() => pbkdf2Async(password, salt, iterations, expected.length, 'sha256'));
  return timingSafeEqual(actual, expected);
}

export interface PasswordCheck {
  ok: boolean;
  /** True when the stored hash is of an older scheme and should be replaced by a fresh argon2id hash. */
  needsRehash: boolean;
}

/** Verifies against argon2id hashes and Django `pbkdf2_sha256$…` hashes imported from Label Studio. */
export async function verifyPassword(password: string, encoded: string): Promise<PasswordCheck> {
  if (encoded.startsWith('$argon2')) {
    const argon2 = await loadArgon2();
    try {
      const ok = await inHashSlot(() => argon2.verify(encoded, password));
      return { ok, needsRehash: ok && argon2.needsRehash(encoded, ARGON2_OPTIONS) };
    } catch {
      return { ok: false, needsRehash: false };
    }
  }
  if (encoded.startsWith('pbkdf2_sha256$')) {
    const ok = await verifyDjangoPbkdf2(password, encoded);
    return { ok, needsRehash: ok };
  }
  // Unusable passwords (Django's "!…" marker, empty) never verify.
  return { ok: false, needsRehash: false };
}

/** A stored value no password can match: Label Studio's API-created users without a password get this. */
export const UNUSABLE_PASSWORD = '!';

/** A real argon2id hash of a random string: verified against for unknown e-mails, so timing does not reveal accounts. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(`dummy-${Math.random()}`);
  return dummyHash;
}
