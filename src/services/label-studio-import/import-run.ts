import type { LabelStudioSource, RowSpec, SourceRow, TableSpec } from '#src/ports/label-studio-source.port.js';
import type { Repositories } from '#src/repositories/index.js';
import type { ReportBuilder, WarningKind } from '#src/services/label-studio-import/import-report.js';
import type { ServiceDeps } from '#src/services/service-deps.js';
import type { Tx } from '#src/services/unit-of-work.js';
import type { IdTable, RoleCode } from '#src/storage/schema.js';

/** What to do when a Label Studio user's e-mail is already an account here. */
export type ConflictPolicy = 'skip' | 'merge' | 'fail';

/** Progress per table, for a terminal's bars or plain lines; the import calls these in order, table by table. */
export interface ImportProgress {
  start(table: string, total: number): void;
  advance(table: string, rows: number): void;
  finish(table: string): void;
}

export interface ImportOptions {
  /** The Label Studio database, opened read-only. */
  source: LabelStudioSource;
  /** Label Studio's MEDIA_ROOT, where `avatars/…` files are. */
  mediaDir: string;
  /** Label Studio's SECRET_KEY: with it, outstanding PATs keep working here. */
  secretKey: string | undefined;
  /** Where the key came from (for the report); never the key itself. */
  secretKeyFrom?: string;
  onConflict: ConflictPolicy;
  /** Role of imported members the source gives no role (the creator is always the owner). */
  defaultRole: RoleCode;
  /** Do everything in a transaction that is then rolled back, copy no file: the report says what would happen. */
  dryRun: boolean;
  /** Rows read per batch (memory is bounded by it). */
  batchSize?: number;
  progress?: ImportProgress;
}

/** Hands out ids above every id of the source and of the target, for rows whose own id is taken here. */
export class IdAllocator {
  constructor(private nextId: number) {}

  next(): number {
    const id = this.nextId;
    this.nextId += 1;
    return id;
  }
}

const NUL = /\u0000/g;

/**
 * One import in progress: its transaction, its source, the id maps of the small tables (users, organizations,
 * projects: source id → id here) and the report. The large tables (tasks, annotations) are never held in memory.
 */
export class ImportRun {
  readonly users = new Map<number, number>();
  readonly organizations = new Map<number, number>();
  /** Organizations created by this run: target id → target id of the creator (null when not imported). */
  readonly newOrganizations = new Map<number, number | null>();
  readonly projects = new Map<number, number>();
  /** Ids here of the projects that came from this source (this run or earlier ones). */
  readonly projectTargets = new Set<number>();
  /** True once a conflict refuses the import: later batches are still read (to report every conflict), not written. */
  refused = false;

  constructor(
    readonly tx: Tx,
    readonly deps: ServiceDeps,
    readonly options: ImportOptions,
    readonly report: ReportBuilder,
    readonly sourceKey: string,
    readonly now: string,
  ) {}

  get repos(): Repositories {
    return this.tx.repos;
  }

  get source(): LabelStudioSource {
    return this.options.source;
  }

  get batchSize(): number {
    return this.options.batchSize ?? 2000;
  }

  /** An allocator starting above the largest id in the target table and in the source table. */
  async allocator(table: IdTable, source: TableSpec): Promise<IdAllocator> {
    const [here, there] = await Promise.all([this.repos.labelStudioImport.maxId(table), this.source.max(source.table, source.key)]);
    return new IdAllocator(Math.max(here, there) + 1);
  }

  /** Keeps each source id where it is free here; gives the others a new one. Returns source id → id here. */
  async placeIds(table: IdTable, sourceIds: readonly number[], allocator: IdAllocator): Promise<Map<number, number>> {
    const taken = await this.repos.labelStudioImport.takenIds(table, sourceIds);
    return new Map(sourceIds.map((id) => [id, taken.has(id) ? allocator.next() : id]));
  }

  /** Reads a table batch by batch (after `after`), reporting progress under `label`. */
  async *read<S extends RowSpec>(label: string, spec: TableSpec<S>, after?: number): AsyncIterable<Array<SourceRow<S>>> {
    const progress = this.options.progress;
    progress?.start(label, await this.source.count(spec.table));
    for await (const batch of this.source.batches(spec, this.batchSize, after)) {
      yield batch;
      progress?.advance(label, batch.length);
    }
    progress?.finish(label);
  }

  /** Text that fits the column here: NUL characters (PostgreSQL refuses them) removed, cut at `max` characters. */
  fit(value: string | null, max: number, what: string, fallback = ''): string {
    const text = (value ?? fallback).replace(NUL, '');
    // UTF-16 length is never below the character count: most values are decided without splitting them.
    if (text.length <= max || [...text].length <= max) return text;
    this.warn('value_truncated', `${what}: ${[...text].length} characters, kept ${max}`);
    return [...text].slice(0, max).join('');
  }

  warn(kind: WarningKind, example: string): void {
    this.report.warn(kind, example);
  }
}
