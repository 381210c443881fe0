import type { ColumnDataType, CreateTableBuilder } from 'kysely';

/**
 * What differs between the databases when declaring columns. The database factory supplies it,
 * so migrations stay free of dialect checks.
 */
export interface ColumnTypes {
  timestamp: ColumnDataType;
  boolean: ColumnDataType;
  /** Raw bytes (SQLite blob, PostgreSQL bytea). */
  binary: ColumnDataType;
  /** Adds the auto-incrementing integer primary key named `id`. */
  addId<T extends string>(table: CreateTableBuilder<T, never>): CreateTableBuilder<T, 'id'>;
}
