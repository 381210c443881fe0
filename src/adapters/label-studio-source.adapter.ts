import { createHash } from 'node:crypto';
import { existsSync, statSync, unlinkSync } from 'node:fs';
import { AppError } from '#src/errors.js';
import { isoDatetime, readValue } from '#src/adapters/label-studio-values.js';
import type { LabelStudioSource, RowSpec, SourceRow, SourceShape, TableSpec } from '#src/ports/label-studio-source.port.js';

/** Where a Label Studio database is. */
export type SourceLocation = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

type RawRow = Record<string, unknown>;

/** The little each database must do; everything else is shared. */
interface Driver {
  engine: SourceShape['engine'];
  description: string;
  all(sql: string, params: readonly unknown[]): Promise<RawRow[]>;
  placeholder(index: number): string;
  /** Table name → column names, for the tables of Label Studio's schema. */
  tables(): Promise<Map<string, Set<string>>>;
  close(): Promise<void>;
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** A URL without its password, for reports and the activity log. */
export function describeLocation(location: SourceLocation): string {
  if (location.kind === 'sqlite') return `sqlite:${location.file}`;
  try {
    const url = new URL(location.url);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'postgres://…';
  }
}

async function sqliteDriver(file: string): Promise<Driver> {
  if (!existsSync(file)) throw new AppError('import.source_invalid', `No Label Studio database at ${file} (give its path with --from).`);
  const { default: SQLite } = await import('better-sqlite3');
  // A database in WAL mode makes even a read-only reader create its -wal and -shm files: those it created are removed
  // again (when nothing was written to them), so the folder is left as it was found.
  const sideFiles = [`${file}-wal`, `${file}-shm`].filter((side) => !existsSync(side));
  let database: InstanceType<typeof SQLite>;
  try {
    // Read-only at the operating-system level: SQLite cannot write the file, whatever a statement asks.
    database = new SQLite(file, { readonly: true, fileMustExist: true });
    database.pragma('query_only = ON');
    database.pragma('busy_timeout = 5000');
    // One snapshot for the whole import: rows written by a running Label Studio meanwhile are not half-seen.
    database.exec('BEGIN');
    database.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (error) {
    throw new AppError('import.source_invalid', `Cannot read ${file} as a SQLite database: ${error instanceof Error ? error.message : String(error)}`);
  }
  return {
    engine: 'sqlite',
    description: describeLocation({ kind: 'sqlite', file }),
    all: async (sql, params) => database.prepare(sql).all(...params) as RawRow[],
    placeholder: () => '?',
    tables: async () => {
      const names = database.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>;
      const out = new Map<string, Set<string>>();
      for (const { name } of names) {
        const columns = database.prepare(`PRAGMA table_info(${quote(name)})`).all() as Array<{ name: string }>;
        out.set(name, new Set(columns.map((c) => c.name)));
      }
      return out;
    },
    close: async () => {
      if (database.inTransaction) database.exec('COMMIT');
      database.close();
      const wal = `${file}-wal`;
      if (sideFiles.includes(wal) && existsSync(wal) && statSync(wal).size === 0) {
        for (const side of sideFiles) if (existsSync(side)) unlinkSync(side);
      }
    },
  };
}

async function postgresDriver(url: string): Promise<Driver> {
  const { default: pg } = await import('pg');
  const TIMESTAMPTZ = 1184;
  const TIMESTAMP = 1114;
  const JSON_OID = 114;
  const JSONB = 3802;
  const INT8 = 20;
  const raw = (value: string): string => value;
  const client = new pg.Client({
    connectionString: url,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        // Text as PostgreSQL renders it: timestamps in the session's UTC, JSON exactly as stored.
        if (oid === TIMESTAMPTZ || oid === TIMESTAMP || oid === JSON_OID || oid === JSONB) return raw;
        if (oid === INT8) return (value: string) => Number(value);
        return pg.types.getTypeParser(oid, format);
      }) as typeof pg.types.getTypeParser,
    },
  });
  try {
    await client.connect();
    await client.query("SET TIME ZONE 'UTC'");
    await client.query('SET default_transaction_read_only = on');
    // One consistent snapshot that takes no write lock: a running Label Studio is not held up.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new AppError('import.source_invalid', `Cannot connect to ${describeLocation({ kind: 'postgres', url })}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return {
    engine: 'postgres',
    description: describeLocation({ kind: 'postgres', url }),
    all: async (sql, params) => (await client.query(sql, [...params])).rows as RawRow[],
    placeholder: (index) => `$${index}`,
    tables: async () => {
      const { rows } = await client.query<{ table_name: string; column_name: string }>(
        'SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position',
      );
      const out = new Map<string, Set<string>>();
      for (const row of rows) {
        const columns = out.get(row.table_name) ?? new Set<string>();
        columns.add(row.column_name);
        out.set(row.table_name, columns);
      }
      return out;
    },
    close: async () => {
      await client.query('COMMIT').catch(() => undefined);
      await client.end();
    },
  };
}

/** The installation's fingerprint: its first migration row (app, name, time), hashed. */
async function installationKey(driver: Driver, tables: Map<string, Set<string>>): Promise<string> {
  if (!tables.has('django_migrations')) return '';
  const [first] = await driver.all('SELECT app, name, applied FROM django_migrations ORDER BY id LIMIT 1', []);
  const basis = first ? `${String(first.app)}|${String(first.name)}|${isoDatetime(first.applied) ?? String(first.applied)}` : 'empty';
  return createHash('sha256').update(basis).digest('hex');
}

class Source implements LabelStudioSource {
  constructor(
    private readonly driver: Driver,
    readonly shape: SourceShape,
  ) {}

  hasTable(table: string): boolean {
    return this.shape.tables.has(table);
  }

  async count(table: string): Promise<number> {
    if (!this.hasTable(table)) return 0;
    const [row] = await this.driver.all(`SELECT count(*) AS n FROM ${quote(table)}`, []);
    return Number(row?.n ?? 0);
  }

  async max(table: string, column: string): Promise<number> {
    if (!this.hasTable(table)) return 0;
    const [row] = await this.driver.all(`SELECT max(${quote(column)}) AS n FROM ${quote(table)}`, []);
    return Number(row?.n ?? 0);
  }

  /** The SELECT list: present columns by name, absent optional ones as NULL (never a column position). */
  private selectList<S extends RowSpec>(spec: TableSpec<S>): string {
    const present = this.shape.tables.get(spec.table) ?? new Set<string>();
    return Object.keys(spec.columns)
      .map((name) => (present.has(name) ? `${quote(spec.table)}.${quote(name)} AS ${quote(name)}` : `NULL AS ${quote(name)}`))
      .join(', ');
  }

  private read<S extends RowSpec>(spec: TableSpec<S>, rows: RawRow[]): Array<SourceRow<S>> {
    const entries = Object.entries(spec.columns);
    return rows.map((row) => {
      const out: Record<string, unknown> = {};
      for (const [name, column] of entries) out[name] = readValue(column.kind, row[name]);
      return out as SourceRow<S>;
    });
  }

  async *batches<S extends RowSpec>(spec: TableSpec<S>, size: number, after = -2147483648): AsyncIterable<Array<SourceRow<S>>> {
    if (!this.hasTable(spec.table)) return;
    const p = (i: number) => this.driver.placeholder(i);
    const key = quote(spec.key);
    const sql = `SELECT ${this.selectList(spec)}, ${quote(spec.table)}.${key} AS "__key" FROM ${quote(spec.table)} WHERE ${key} > ${p(1)} ORDER BY ${key} LIMIT ${p(2)}`;
    let last = after;
    for (;;) {
      const rows = await this.driver.all(sql, [last, size]);
      if (rows.length === 0) return;
      last = Number(rows[rows.length - 1]?.__key);
      yield this.read(spec, rows);
      if (rows.length < size) return;
    }
  }

  async rowsWhereIn<S extends RowSpec>(spec: TableSpec<S>, column: string, values: readonly number[]): Promise<Array<SourceRow<S>>> {
    if (!this.hasTable(spec.table) || values.length === 0) return [];
    const list = values.map((_, i) => this.driver.placeholder(i + 1)).join(', ');
    const sql = `SELECT ${this.selectList(spec)} FROM ${quote(spec.table)} WHERE ${quote(column)} IN (${list}) ORDER BY ${quote(spec.key)}`;
    return this.read(spec, await this.driver.all(sql, values));
  }

  close(): Promise<void> {
    return this.driver.close();
  }
}

/** Opens a Label Studio database read-only, in one snapshot, and reads what it holds. */
export async function openLabelStudioSource(location: SourceLocation): Promise<LabelStudioSource> {
  const driver = location.kind === 'sqlite' ? await sqliteDriver(location.file) : await postgresDriver(location.url);
  try {
    const tables = await driver.tables();
    const migrations = new Set<string>();
    if (tables.has('django_migrations')) {
      for (const row of await driver.all('SELECT app, name FROM django_migrations', [])) migrations.add(`${String(row.app)}.${String(row.name)}`);
    }
    const shape: SourceShape = { engine: driver.engine, description: driver.description, tables, migrations, installationKey: await installationKey(driver, tables) };
    return new Source(driver, shape);
  } catch (error) {
    await driver.close().catch(() => undefined);
    throw error;
  }
}
