/**
 * A Label Studio database, read-only: what the import reads. The adapter hides SQLite versus PostgreSQL and the value
 * formats of each (0/1 versus booleans, datetime text versus timestamptz, JSON text versus jsonb), so the import sees
 * one shape of row whichever database Label Studio ran on.
 */

/** How a column's value is read: every value may also be null (old rows, hand-edited databases). */
export type ColumnKind = 'integer' | 'real' | 'text' | 'boolean' | 'datetime' | 'json';

interface KindValue {
  integer: number;
  real: number;
  text: string;
  boolean: boolean;
  /** ISO-8601 in UTC (`2024-11-03T14:22:10.118Z`), the form this product stores. */
  datetime: string;
  /** JSON text as stored. */
  json: string;
}

export interface ColumnSpec<K extends ColumnKind = ColumnKind> {
  kind: K;
  /** Absent in some Label Studio versions: such a database reads this value instead (null when not given). */
  optional?: true;
}

/** The columns of one table the import reads, by name: only these are selected, so unknown columns never matter. */
export type RowSpec = Record<string, ColumnSpec>;

export type SourceRow<S extends RowSpec> = { [K in keyof S]: KindValue[S[K]['kind']] | null };

export interface TableSpec<S extends RowSpec = RowSpec> {
  table: string;
  /** An integer column that orders the rows and pages through them (the primary key, or a unique id). */
  key: string;
  columns: S;
}

/** The row a table spec reads. */
export type RowOf<T> = T extends TableSpec<infer S> ? SourceRow<S> : never;

/** What a source holds: its tables and their columns, and which Label Studio migrations ran. */
export interface SourceShape {
  engine: 'sqlite' | 'postgres';
  /** Where it is, without any password: for reports and the activity log. */
  description: string;
  /** Table name → column names. */
  tables: ReadonlyMap<string, ReadonlySet<string>>;
  /** `app.name` of every applied migration (`django_migrations`). */
  migrations: ReadonlySet<string>;
  /**
   * Fingerprint of the installation: a hash of its first recorded migration, written when its database was created.
   * The same for a copy of the database, different for another installation.
   */
  installationKey: string;
}

/** One Label Studio database opened read-only, read within one snapshot. */
export interface LabelStudioSource {
  readonly shape: SourceShape;
  hasTable(table: string): boolean;
  count(table: string): Promise<number>;
  /** The largest value of an integer column (0 for an empty table). */
  max(table: string, column: string): Promise<number>;
  /** Every row in `key` order, `size` at a time; only rows with `key` above `after` (default: all). */
  batches<S extends RowSpec>(spec: TableSpec<S>, size: number, after?: number): AsyncIterable<Array<SourceRow<S>>>;
  /** The rows whose `column` is one of `values` (a batch's foreign keys). */
  rowsWhereIn<S extends RowSpec>(spec: TableSpec<S>, column: string, values: readonly number[]): Promise<Array<SourceRow<S>>>;
  close(): Promise<void>;
}
