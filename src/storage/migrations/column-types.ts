import type { ColumnDataType, CreateTableBuilder, Kysely } from 'kysely';

/**
 * What differs between the databases when declaring columns and indexes. The database factory supplies it,
 * so migrations stay free of dialect checks.
 */
export interface ColumnTypes {
  timestamp: ColumnDataType;
  boolean: ColumnDataType;
  /** Raw bytes (SQLite blob, PostgreSQL bytea). */
  binary: ColumnDataType;
  /** Adds the auto-incrementing integer primary key named `id`. */
  addId<T extends string>(table: CreateTableBuilder<T, never>): CreateTableBuilder<T, 'id'>;
  /**
   * An index that finds users by a substring of first name, last name, e-mail or username (the member search):
   * SQLite's FTS5 trigram table `users_search` kept by triggers, PostgreSQL's pg_trgm GIN indexes on `lower(col)`.
   */
  createUserSearchIndex(db: Kysely<unknown>): Promise<void>;
}
