import { sql, type Kysely } from 'kysely';
import { chunksOf } from '#src/repositories/chunks.js';
import type { Database, IdTable, ImportedEntity } from '#src/storage/schema.js';

/** How far a previous run handled a source's large tables. */
export interface HighWater {
  task: number;
  annotation: number;
}

/** SQL for the import's ledger (where each Label Studio row went) and the id bookkeeping of explicit-id inserts. */
export class LabelStudioImportRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Registers a run for the source (creating its row the first time); returns the marks of previous runs. */
  async startRun(sourceKey: string, description: string, at: string): Promise<HighWater> {
    const row = await this.db
      .selectFrom('label_studio_import_sources')
      .select(['task_high_water', 'annotation_high_water'])
      .where('source_key', '=', sourceKey)
      .executeTakeFirst();
    if (row) {
      await this.db.updateTable('label_studio_import_sources').set({ description, last_imported_at: at }).where('source_key', '=', sourceKey).execute();
      return { task: row.task_high_water, annotation: row.annotation_high_water };
    }
    await this.db
      .insertInto('label_studio_import_sources')
      .values({ source_key: sourceKey, description, first_imported_at: at, last_imported_at: at, task_high_water: 0, annotation_high_water: 0 })
      .execute();
    return { task: 0, annotation: 0 };
  }

  async setHighWater(sourceKey: string, marks: HighWater): Promise<void> {
    await this.db
      .updateTable('label_studio_import_sources')
      .set({ task_high_water: marks.task, annotation_high_water: marks.annotation })
      .where('source_key', '=', sourceKey)
      .execute();
  }

  /** Where earlier runs put these source rows: source id → target id, for those recorded. */
  async targets(sourceKey: string, entity: ImportedEntity, sourceIds: readonly number[]): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    for (const chunk of chunksOf([...new Set(sourceIds)], 1)) {
      const rows = await this.db
        .selectFrom('label_studio_import_ids')
        .select(['source_id', 'target_id'])
        .where('source_key', '=', sourceKey)
        .where('entity', '=', entity)
        .where('source_id', 'in', chunk)
        .execute();
      for (const row of rows) out.set(row.source_id, row.target_id);
    }
    return out;
  }

  /** Every recorded row of one kind for the source: source id → target id (the small tables only). */
  async allTargets(sourceKey: string, entity: ImportedEntity): Promise<Map<number, number>> {
    const rows = await this.db
      .selectFrom('label_studio_import_ids')
      .select(['source_id', 'target_id'])
      .where('source_key', '=', sourceKey)
      .where('entity', '=', entity)
      .execute();
    return new Map(rows.map((row) => [row.source_id, row.target_id]));
  }

  async record(sourceKey: string, entity: ImportedEntity, pairs: ReadonlyArray<readonly [number, number]>): Promise<void> {
    for (const chunk of chunksOf(pairs, 4)) {
      await this.db
        .insertInto('label_studio_import_ids')
        .values(chunk.map(([source_id, target_id]) => ({ source_key: sourceKey, entity, source_id, target_id })))
        .execute();
    }
  }

  /** The ids among `ids` already used in `table`. */
  async takenIds(table: IdTable, ids: readonly number[]): Promise<Set<number>> {
    const taken = new Set<number>();
    for (const chunk of chunksOf([...new Set(ids)], 1)) {
      const { rows } = await sql<{ id: number }>`SELECT id FROM ${sql.table(table)} WHERE id IN (${sql.join(chunk)})`.execute(this.db);
      for (const row of rows) taken.add(Number(row.id));
    }
    return taken;
  }

  /** The largest id used in `table` (0 when empty). */
  async maxId(table: IdTable): Promise<number> {
    const { rows } = await sql<{ n: number | string | null }>`SELECT max(id) AS n FROM ${sql.table(table)}`.execute(this.db);
    return Number(rows[0]?.n ?? 0);
  }
}
