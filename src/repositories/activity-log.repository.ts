import type { Kysely } from 'kysely';
import type { ActivityLogRow, Database, NewActivityLog } from '#src/storage/schema.js';

/** What the activity log is searched by; all optional. */
export interface ActivityLogFilter {
  organizationId: number;
  actorId?: number;
  projectId?: number;
  actions?: readonly string[];
  method?: string;
  since?: string;
  until?: string;
  /** Words that must all (AND) or any (OR) occur in the request URL. */
  urlTerms?: { all: boolean; terms: readonly string[] };
}

/** SQL for the activity log: appended in use cases' transactions, read newest first by id (keyset, no OFFSET scans). */
export class ActivityLogRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(entry: NewActivityLog): Promise<void> {
    await this.db.insertInto('activity_log').values(entry).execute();
  }

  private filtered(filter: ActivityLogFilter) {
    let query = this.db.selectFrom('activity_log').where('organization_id', '=', filter.organizationId);
    if (filter.actorId !== undefined) query = query.where('actor_id', '=', filter.actorId);
    if (filter.projectId !== undefined) query = query.where('project_id', '=', filter.projectId);
    if (filter.actions?.length) query = query.where('action', 'in', [...filter.actions]);
    if (filter.method) query = query.where('request_method', '=', filter.method);
    if (filter.since) query = query.where('created_at', '>=', filter.since);
    if (filter.until) query = query.where('created_at', '<=', filter.until);
    const url = filter.urlTerms;
    if (url && url.terms.length > 0) {
      const likes = url.terms.map((term) => `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      query = query.where((eb) => {
        const parts = likes.map((pattern) => eb('request_url', 'like', pattern));
        return url.all ? eb.and(parts) : eb.or(parts);
      });
    }
    return query;
  }

  async count(filter: ActivityLogFilter): Promise<number> {
    const row = await this.filtered(filter).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Entries newest first (or oldest first); `beforeId` continues after the last one of the previous batch. */
  list(filter: ActivityLogFilter, limit: number, offset: number, beforeId?: number, oldestFirst = false): Promise<ActivityLogRow[]> {
    let query = this.filtered(filter).selectAll();
    if (beforeId !== undefined) query = query.where('id', oldestFirst ? '>' : '<', beforeId);
    return query.orderBy('id', oldestFirst ? 'asc' : 'desc').limit(limit).offset(offset).execute();
  }

  /** Deletes entries older than `before` (the retention setting); returns how many. */
  /** How many entries older than `before` each organization has (what a purge is about to delete). */
  async countBeforeByOrganization(before: string): Promise<Array<{ organizationId: number | null; count: number }>> {
    const rows = await this.db
      .selectFrom('activity_log')
      .select(['organization_id', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('created_at', '<', before)
      .groupBy('organization_id')
      .execute();
    return rows.map((row) => ({ organizationId: row.organization_id, count: Number(row.n) }));
  }

  async deleteBefore(before: string): Promise<number> {
    const result = await this.db.deleteFrom('activity_log').where('created_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
