import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DatabaseKind } from './databases.js';

/** One table's fingerprint: its row count and a hash of its rows in a stable order. */
export interface TableFingerprint {
  rows: number;
  hash: string;
}

/** Every table's fingerprint, by table name. */
export type DataSnapshot = ReadonlyMap<string, TableFingerprint>;

/**
 * Columns that change on their own (activity stamps) and tables that change on every authenticated request
 * (sessions slide their expiry): neither says anything about whether a refused request changed data.
 */
const VOLATILE_COLUMNS: Readonly<Record<string, readonly string[]>> = { users: ['last_activity', 'last_login'] };
const IGNORED_TABLES: ReadonlySet<string> = new Set(['sessions']);

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const quoteText = (value: string): string => `'${value.replace(/'/g, "''")}'`;

async function tableNames<DB>(db: Kysely<DB>, kind: DatabaseKind): Promise<string[]> {
  // Read from the catalog, so tables added by later migrations are covered without touching this file.
  const query =
    kind === 'sqlite'
      ? sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`
      : sql<{ name: string }>`select table_name as name from information_schema.tables
          where table_schema = current_schema() and table_type = 'BASE TABLE'`;
  const { rows } = await query.execute(db);
  return rows.map((row) => row.name).filter((name) => !IGNORED_TABLES.has(name)).sort();
}

async function postgresFingerprints<DB>(db: Kysely<DB>, tables: readonly string[]): Promise<Map<string, TableFingerprint>> {
  // PostgreSQL hashes the rows itself: one round trip, and large rows never cross the socket.
  const parts = tables.map((table) => {
    const dropped = (VOLATILE_COLUMNS[table] ?? []).map(quoteText).join(',');
    const row = dropped ? `(to_jsonb(x) - array[${dropped}]::text[])::text` : 'to_jsonb(x)::text';
    return `select ${quoteText(table)} as name, count(*)::int as rows, coalesce(md5(string_agg(h, ',' order by h)), '') as hash
      from (select md5(${row}) as h from ${quoteIdent(table)} x) s`;
  });
  const result = await sql.raw<{ name: string; rows: number; hash: string }>(parts.join(' union all ')).execute(db);
  return new Map(result.rows.map((r) => [r.name, { rows: Number(r.rows), hash: r.hash }]));
}

async function sqliteFingerprints<DB>(db: Kysely<DB>, tables: readonly string[]): Promise<Map<string, TableFingerprint>> {
  // SQLite runs in this process: reading the rows is cheap, and it has no hash function of its own.
  const out = new Map<string, TableFingerprint>();
  for (const table of tables) {
    const { rows } = await sql.raw<Record<string, unknown>>(`select * from ${quoteIdent(table)}`).execute(db);
    const volatile = new Set(VOLATILE_COLUMNS[table] ?? []);
    const hashes = rows
      .map((row) => {
        const kept = Object.entries(row).filter(([column]) => !volatile.has(column));
        return createHash('sha256').update(JSON.stringify(kept)).digest('hex');
      })
      .sort();
    out.set(table, { rows: rows.length, hash: createHash('sha256').update(hashes.join(',')).digest('hex') });
  }
  return out;
}

/** The last snapshot of each database, with the write counters it was taken at. */
const lastSnapshots = new WeakMap<object, { counters: string; snapshot: DataSnapshot }>();

/**
 * Counters that move whenever a row is written, or undefined when the database cannot say. SQLite: rows this
 * connection changed (the server's own: one connection per database, shared with the test through the same Kysely
 * instance) and commits by any other connection. PostgreSQL: the WAL insert position, which every write of a logged
 * table advances at once (whatever `synchronous_commit`); other databases of the cluster and housekeeping move it
 * too, which only costs a re-read. Unchanged counters mean not one row was written since the last snapshot.
 */
async function writeCounters<DB>(db: Kysely<DB>, kind: DatabaseKind): Promise<string | undefined> {
  try {
    if (kind === 'postgres') {
      const { rows } = await sql<{ lsn: string }>`select pg_current_wal_insert_lsn()::text as lsn`.execute(db);
      return rows[0]?.lsn;
    }
    const changes = await sql<{ n: number }>`select total_changes() as n`.execute(db);
    const version = await sql<{ data_version: number }>`pragma data_version`.execute(db);
    return `${changes.rows[0]?.n}/${version.rows[0]?.data_version}`;
  } catch {
    return undefined;
  }
}

/** Fingerprints every table of the database, read directly (not through the API under test). */
export async function takeSnapshot<DB>(db: Kysely<DB>, kind: DatabaseKind): Promise<DataSnapshot> {
  // The hostile suite takes two snapshots per request while the tables grow, and most requests write nothing:
  // hashing every table each time was most of its run time.
  const counters = await writeCounters(db, kind);
  const last = lastSnapshots.get(db);
  if (counters !== undefined && last?.counters === counters) return last.snapshot;
  const tables = await tableNames(db, kind);
  const snapshot = kind === 'postgres' ? await postgresFingerprints(db, tables) : await sqliteFingerprints(db, tables);
  // Kept with the counters read before hashing: a write while hashing makes the next call hash again.
  if (counters !== undefined) lastSnapshots.set(db, { counters, snapshot });
  return snapshot;
}

/** What differs between two snapshots, one line per table ("users: 5 → 6 rows"); empty when equal. */
export function diffSnapshots(before: DataSnapshot, after: DataSnapshot): string[] {
  const changes: string[] = [];
  const names = [...new Set([...before.keys(), ...after.keys()])].sort();
  for (const name of names) {
    const a = before.get(name);
    const b = after.get(name);
    if (!a || !b) changes.push(`${name}: table ${a ? 'dropped' : 'created'}`);
    else if (a.rows !== b.rows) changes.push(`${name}: ${a.rows} → ${b.rows} rows`);
    else if (a.hash !== b.hash) changes.push(`${name}: rows changed`);
  }
  return changes;
}
