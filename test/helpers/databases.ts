import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export type DatabaseKind = 'sqlite' | 'postgres';
export const DATABASE_KINDS: readonly DatabaseKind[] = ['sqlite', 'postgres'];

const inCi = /^(1|true|yes)$/i.test(process.env.CI ?? '');

/** Why a PostgreSQL run cannot happen here, or false when it can. In CI a missing server is an error, not a skip. */
export function skipReason(kind: DatabaseKind): string | false {
  if (kind === 'sqlite' || process.env.TEST_DATABASE_URL) return false;
  if (inCi) throw new Error('TEST_DATABASE_URL is not set in CI: run the tests with `npm test`');
  return 'PostgreSQL not available: run through `npm test` (starts a cluster) or set TEST_DATABASE_URL';
}

const madeDirs: string[] = [];

/** A new directory under the system's temporary one, removed when this process exits (a full run makes hundreds). */
export function tempDir(prefix = 'lsa-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (madeDirs.push(dir) === 1) {
    process.on('exit', () => {
      for (const made of madeDirs) {
        try {
          rmSync(made, { recursive: true, force: true, maxRetries: 2 });
        } catch {
          // A directory a child process still holds stays behind; the run's result is what matters here.
        }
      }
    });
  }
  return dir;
}

/** A fresh, empty database of the given kind: a new SQLite file, or a new database in the test cluster. */
export async function freshDatabaseUrl(kind: DatabaseKind, dataDir: string): Promise<string> {
  if (kind === 'sqlite') return `sqlite:${join(dataDir, 'test.sqlite3')}`;
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) throw new Error('TEST_DATABASE_URL is required for PostgreSQL tests');
  const name = `lsa_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}
