import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type Dialect, type KyselyPlugin, type LogEvent, type MigrationResultSet } from 'kysely';
import { AppError } from '#src/errors.js';
import { BOOLEAN_COLUMNS, type Database } from '#src/storage/schema.js';
import { buildMigrations } from '#src/storage/migrations/index.js';
import type { ColumnTypes } from '#src/storage/migrations/column-types.js';

export interface DatabaseHandle {
  db: Kysely<Database>;
  /** Applies every pending migration; returns the names it applied. Safe with several processes at once. */
  migrate(): Promise<string[]>;
  /** Names of migrations not applied yet. */
  pendingMigrations(): Promise<string[]>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** Called after every query: used to count queries in tests and to log at DEBUG. */
  onQuery?: (sql: string) => void;
}

interface DialectParts {
  dialect: Dialect;
  columnTypes: ColumnTypes;
  plugins: KyselyPlugin[];
}

async function sqliteParts(file: string): Promise<DialectParts> {
  // Drivers load lazily: a SQLite install never loads pg, and the reverse.
  const [{ default: SQLite }, { SqliteValuesPlugin }] = await Promise.all([
    import('better-sqlite3'),
    import('#src/storage/sqlite-values.plugin.js'),
  ]);
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const database = new SQLite(file);
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  database.pragma('synchronous = NORMAL');
  return {
    dialect: new SqliteDialect({ database }),
    columnTypes: {
      timestamp: 'text',
      boolean: 'integer',
      addId: (table) => table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()),
    },
    plugins: [new SqliteValuesPlugin(BOOLEAN_COLUMNS)],
  };
}

async function postgresParts(url: string): Promise<DialectParts> {
  const { default: pg } = await import('pg');
  const TIMESTAMPTZ = 1184;
  const INT8 = 20;
  const parseTimestamp = pg.types.getTypeParser(TIMESTAMPTZ);
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        // Timestamps leave the factory as ISO strings, counts as numbers, the same as on SQLite.
        if (oid === TIMESTAMPTZ) return (value: string) => (parseTimestamp(value) as Date).toISOString();
        if (oid === INT8) return (value: string) => Number(value);
        return pg.types.getTypeParser(oid, format);
      }) as typeof pg.types.getTypeParser,
    },
  });
  return {
    dialect: new PostgresDialect({ pool }),
    columnTypes: {
      timestamp: 'timestamptz',
      boolean: 'boolean',
      addId: (table) => table.addColumn('id', 'serial', (c) => c.primaryKey()),
    },
    plugins: [],
  };
}

/** Opens the database named by the URL (`sqlite:<file>` or `postgres://…`). The only place that knows the dialect. */
export async function createDatabase(url: string, options: DatabaseOptions = {}): Promise<DatabaseHandle> {
  let parts: DialectParts;
  if (url.startsWith('sqlite:')) parts = await sqliteParts(url.slice('sqlite:'.length));
  else if (/^postgres(ql)?:\/\//.test(url)) parts = await postgresParts(url);
  else throw new AppError('config_error', 400, `Unsupported database URL scheme: ${url.split(':')[0]}`);

  const onQuery = options.onQuery;
  const db = new Kysely<Database>({
    dialect: parts.dialect,
    plugins: parts.plugins,
    log: onQuery ? (event: LogEvent) => onQuery(event.query.sql) : undefined,
  });
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => buildMigrations(parts.columnTypes) },
  });

  const check = (result: MigrationResultSet): string[] => {
    if (result.error) {
      const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
      throw new AppError('internal_error', 500, `Migration ${failed} failed: ${String(result.error)}`);
    }
    return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  };

  return {
    db,
    migrate: async () => check(await migrator.migrateToLatest()),
    pendingMigrations: async () =>
      (await migrator.getMigrations()).filter((m) => m.executedAt === undefined).map((m) => m.name),
    close: () => db.destroy(),
  };
}
