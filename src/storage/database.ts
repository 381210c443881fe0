import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Database as BetterSqlite3Database, Statement as BetterSqlite3Statement } from 'better-sqlite3';
import { Kysely, Migrator, sql, PostgresDialect, SqliteDialect, type Dialect, type KyselyPlugin, type LogEvent, type MigrationResultSet, type RawBuilder, type SqliteDatabase } from 'kysely';
import { postgresChangeFeed, sqliteChangeFeed, type ChangeFeed } from '#src/storage/change-feed.js';
import { openPostgresPool } from '#src/storage/postgres-pool.js';
import { AppError } from '#src/errors.js';
import { BOOLEAN_COLUMNS, type Database, type IdTable } from '#src/storage/schema.js';
import { buildMigrations } from '#src/storage/migrations/index.js';
import type { ColumnTypes } from '#src/storage/migrations/column-types.js';

/** A database refusal that is the caller's fault, in dialect-neutral terms (see `classifyError`). */
export interface DatabaseFault {
  kind: 'unique' | 'foreign_key' | 'invalid_value';
  /**
   * Which constraint: its name where the database reports one (PostgreSQL always, SQLite for named indexes),
   * else SQLite's `table.column[,table.column]` list.
   */
  constraint: string;
}

export interface DatabaseHandle {
  db: Kysely<Database>;
  /** Recognises constraint violations and out-of-range values in a driver error; undefined for anything else. */
  classifyError(error: unknown): DatabaseFault | undefined;
  /** Applies every pending migration; returns the names it applied. Safe with several processes at once. */
  migrate(): Promise<string[]>;
  /**
   * After rows were written with explicit ids (an import keeping Label Studio's ids), makes sure the database numbers
   * the next rows after them. Runs on `executor` (the import's transaction). PostgreSQL's sequences do not follow
   * explicit ids; SQLite's AUTOINCREMENT does by itself.
   */
  advanceIdSequences(executor: Kysely<Database>, tables: readonly IdTable[]): Promise<void>;
  /** Names of migrations not applied yet. */
  pendingMigrations(): Promise<string[]>;
  /** How processes sharing this database tell each other that cached facts changed. */
  changes: ChangeFeed;
  /** How this database searches members best (see `MemberSearch`). */
  memberSearch: MemberSearch;
  /**
   * Rows a streamed list (everyone at once) reads, completes and sends at a time. SQLite reads on the event loop, so
   * its chunks are small; a PostgreSQL read waits on the socket and costs a round trip, so its chunks are larger.
   */
  streamChunkRows: number;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** Called after every query: used to count queries in tests and to log at DEBUG. */
  onQuery?: (sql: string, parameters: readonly unknown[]) => void;
  /** PostgreSQL connections in the pool (SQLite has one connection). */
  poolSize?: number;
}

/** The dialect's part in the member search. */
export interface MemberSearch {
  /**
   * The search's index, when the database has one for the term: a subquery of user ids that may hold it (SQLite's
   * trigram table for terms of three characters or more). Undefined when the plain test on the columns is the fast
   * path (PostgreSQL, whose trigram indexes serve it directly) or the only one (shorter terms).
   */
  candidates(term: string): RawBuilder<number> | undefined;
  /**
   * Whether a searched page and its count are read in one statement. SQLite drives a search from its index and sorts
   * every candidate for the page, so counting in that same pass halves the work; PostgreSQL walks the order's index
   * and stops at the end of the page, which a count over the whole result would make it give up (measured: 2 ms for
   * the page and 11 ms for the count, against 70 ms for both in one statement at 100,000 members).
   */
  countWithPage: boolean;
}

interface DialectParts {
  dialect: Dialect;
  changes: ChangeFeed;
  memberSearch: MemberSearch;
  streamChunkRows: number;
  columnTypes: ColumnTypes;
  plugins: KyselyPlugin[];
  classifyError(error: unknown): DatabaseFault | undefined;
  advanceIdSequences(executor: Kysely<Database>, tables: readonly IdTable[]): Promise<void>;
}

const errorField = (error: unknown, field: string): unknown =>
  typeof error === 'object' && error !== null ? (error as Record<string, unknown>)[field] : undefined;

/** better-sqlite3 codes and messages: `UNIQUE constraint failed: index 'name'` or `…: table.col, table.col`. */
function classifySqliteError(error: unknown): DatabaseFault | undefined {
  const code = errorField(error, 'code');
  if (typeof code !== 'string' || !code.startsWith('SQLITE_CONSTRAINT')) return undefined;
  const message = String(errorField(error, 'message') ?? '');
  const target = message.split('constraint failed: ')[1] ?? '';
  const constraint = /^index '([^']+)'/.exec(target)?.[1] ?? target.replace(/\s+/g, '');
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return { kind: 'unique', constraint };
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return { kind: 'foreign_key', constraint };
  return undefined;
}

/** PostgreSQL SQLSTATEs: 23505 unique, 23503 foreign key; 22xxx a value the column cannot hold. */
function classifyPostgresError(error: unknown): DatabaseFault | undefined {
  const code = errorField(error, 'code');
  const constraint = String(errorField(error, 'constraint') ?? '');
  if (code === '23505') return { kind: 'unique', constraint };
  if (code === '23503') return { kind: 'foreign_key', constraint };
  if (code === '22P02' || code === '22003' || code === '22021' || code === '22001') return { kind: 'invalid_value', constraint };
  return undefined;
}

/** Statements kept prepared, most recently used last; the hot paths are a few dozen distinct statements. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * better-sqlite3 as Kysely sees it, with prepared statements kept by SQL text: Kysely prepares every query afresh,
 * which cost an eighth of the server's CPU. A statement still being iterated is not reused.
 */
function withStatementCache(database: BetterSqlite3Database): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3Statement>();
  return {
    close: () => database.close(),
    prepare: (text: string) => {
      const cached = cache.get(text);
      if (cached && !cached.busy) {
        cache.delete(text);
        cache.set(text, cached);
        return cached;
      }
      const statement = database.prepare(text);
      cache.set(text, statement);
      if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value ?? '');
      return statement;
    },
  };
}

const SEARCHED_COLUMNS = ['first_name', 'last_name', 'email', 'username'] as const;

/**
 * SQLite: an FTS5 table with the trigram tokenizer over the users' searched columns (external content: it stores only
 * the index), kept in step by triggers. It finds rows holding a substring of three characters or more.
 */
async function createSqliteUserSearch(db: Kysely<unknown>): Promise<void> {
  const columns = sql.raw(SEARCHED_COLUMNS.join(', '));
  const values = (row: 'new' | 'old') => sql.raw(SEARCHED_COLUMNS.map((c) => `${row}.${c}`).join(', '));
  await sql`CREATE VIRTUAL TABLE users_search USING fts5(${columns}, content='users', content_rowid='id', tokenize='trigram')`.execute(db);
  await sql`INSERT INTO users_search(users_search) VALUES ('rebuild')`.execute(db);
  const insertNew = sql`INSERT INTO users_search(rowid, ${columns}) VALUES (new.id, ${values('new')});`;
  const deleteOld = sql`INSERT INTO users_search(users_search, rowid, ${columns}) VALUES ('delete', old.id, ${values('old')});`;
  await sql`CREATE TRIGGER users_search_insert AFTER INSERT ON users BEGIN ${insertNew} END`.execute(db);
  await sql`CREATE TRIGGER users_search_delete AFTER DELETE ON users BEGIN ${deleteOld} END`.execute(db);
  await sql`CREATE TRIGGER users_search_update AFTER UPDATE OF ${columns} ON users BEGIN ${deleteOld} ${insertNew} END`.execute(db);
}

/**
 * PostgreSQL: pg_trgm GIN indexes on `lower(column)`, which serve the search's `lower(column) LIKE '%term%'` as it is.
 * Without the extension (not installed, or not allowed to this role) the search still works, by a scan.
 */
async function createPostgresUserSearch(db: Kysely<unknown>): Promise<void> {
  const available = await sql`SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'`.execute(db);
  if (available.rows.length === 0) return;
  // The migration runs in a transaction: a refused CREATE EXTENSION must not abort it.
  await sql`SAVEPOINT user_search`.execute(db);
  try {
    await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);
    await sql`RELEASE SAVEPOINT user_search`.execute(db);
  } catch {
    await sql`ROLLBACK TO SAVEPOINT user_search`.execute(db);
    return;
  }
  for (const column of SEARCHED_COLUMNS) {
    await sql`CREATE INDEX ${sql.raw(`users_${column}_trgm_idx`)} ON users USING gin (lower(${sql.ref(column)}) gin_trgm_ops)`.execute(db);
  }
}

/** FTS5 phrase of the term: its trigrams in a row, i.e. the substring; too short a term has no trigram to look up. */
function sqliteSearchCandidates(term: string): RawBuilder<number> | undefined {
  if ([...term].length < 3) return undefined;
  const phrase = `"${term.replace(/"/g, '""')}"`;
  return sql<number>`(SELECT rowid FROM users_search WHERE users_search MATCH ${phrase})`;
}

async function sqliteParts(file: string): Promise<DialectParts> {
  // Drivers load lazily: a SQLite install never loads pg, and the reverse.
  const [{ default: SQLite }, { SqliteValuesPlugin }] = await Promise.all([
    import('better-sqlite3'),
    import('#src/storage/sqlite-values.plugin.js'),
  ]);
  if (file !== ':memory:') {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    // Created owner-only before SQLite opens it; SQLite gives its -wal and -shm files the same mode.
    if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  }
  const database = new SQLite(file);
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  database.pragma('synchronous = NORMAL');
  return {
    dialect: new SqliteDialect({ database: withStatementCache(database) }),
    changes: sqliteChangeFeed(database),
    memberSearch: { candidates: sqliteSearchCandidates, countWithPage: true },
    // Measured at 100,000 users on a 2-core Xeon, a whoami's worst wait during GET /api/users/: 13 ms at 250, 8 ms at
    // 100, the download as fast; with their projects (page_size=-1): 42 ms at 500, 13 ms at 100.
    streamChunkRows: 100,
    columnTypes: {
      timestamp: 'text',
      boolean: 'integer',
      binary: 'blob',
      addId: (table) => table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()),
      createUserSearchIndex: createSqliteUserSearch,
    },
    plugins: [new SqliteValuesPlugin(BOOLEAN_COLUMNS)],
    classifyError: classifySqliteError,
    // AUTOINCREMENT records the largest id ever inserted, explicit ones included.
    advanceIdSequences: async () => undefined,
  };
}

/**
 * Moves each table's `serial` sequence past its largest id, never backwards (another transaction may have drawn
 * numbers it has not committed yet). `setval` is not transactional: callers run this last, just before committing.
 */
async function advancePostgresSequences(executor: Kysely<Database>, tables: readonly IdTable[]): Promise<void> {
  for (const table of tables) {
    await sql`SELECT setval(pg_get_serial_sequence(${table}, 'id'), GREATEST(
        (SELECT COALESCE(max(id), 0) FROM ${sql.table(table)}),
        COALESCE(pg_sequence_last_value(pg_get_serial_sequence(${table}, 'id')::regclass), 0)
      ) + 1, false)`.execute(executor);
  }
}

async function postgresParts(url: string, poolSize: number): Promise<DialectParts> {
  const { pg, pool } = await openPostgresPool(url, poolSize);
  return {
    dialect: new PostgresDialect({ pool }),
    changes: postgresChangeFeed(() => new pg.Client({ connectionString: url })),
    memberSearch: { candidates: () => undefined, countWithPage: false },
    // 100 made GET /api/users/ at 100,000 users 2.3× longer (a round trip per statement) for a worst wait of 10 ms
    // against 15 ms at 250.
    streamChunkRows: 250,
    columnTypes: {
      timestamp: 'timestamptz',
      boolean: 'boolean',
      binary: 'bytea',
      addId: (table) => table.addColumn('id', 'serial', (c) => c.primaryKey()),
      createUserSearchIndex: createPostgresUserSearch,
    },
    plugins: [],
    classifyError: classifyPostgresError,
    advanceIdSequences: advancePostgresSequences,
  };
}

/** Opens the database named by the URL (`sqlite:<file>` or `postgres://…`). The only place that knows the dialect. */
export async function createDatabase(url: string, options: DatabaseOptions = {}): Promise<DatabaseHandle> {
  let parts: DialectParts;
  if (url.startsWith('sqlite:')) parts = await sqliteParts(url.slice('sqlite:'.length));
  else if (/^postgres(ql)?:\/\//.test(url)) parts = await postgresParts(url, options.poolSize ?? 10);
  else throw new AppError('config.invalid', `Unsupported database URL scheme: ${url.split(':')[0]}`);

  const onQuery = options.onQuery;
  const db = new Kysely<Database>({
    dialect: parts.dialect,
    plugins: parts.plugins,
    log: onQuery ? (event: LogEvent) => onQuery(event.query.sql, event.query.parameters) : undefined,
  });
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => buildMigrations(parts.columnTypes) },
  });

  const check = (result: MigrationResultSet): string[] => {
    if (result.error) {
      const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
      throw new AppError('internal', `Migration ${failed} failed: ${String(result.error)}`);
    }
    return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  };

  // One statement tells whether every migration ran: commands (and servers) start without the migrator's locking
  // round trips when nothing is pending, which is almost always.
  const known = Object.keys(buildMigrations(parts.columnTypes)).length;
  const upToDate = async (): Promise<boolean> => {
    try {
      const { rows } = await sql<{ n: number | string }>`select count(*) as n from kysely_migration`.execute(db);
      return Number(rows[0]?.n) === known;
    } catch {
      return false;
    }
  };

  return {
    db,
    classifyError: parts.classifyError,
    advanceIdSequences: parts.advanceIdSequences,
    migrate: async () => ((await upToDate()) ? [] : check(await migrator.migrateToLatest())),
    pendingMigrations: async () =>
      (await migrator.getMigrations()).filter((m) => m.executedAt === undefined).map((m) => m.name),
    changes: parts.changes,
    memberSearch: parts.memberSearch,
    streamChunkRows: parts.streamChunkRows,
    close: async () => {
      await parts.changes.stop();
      await db.destroy();
    },
  };
}
