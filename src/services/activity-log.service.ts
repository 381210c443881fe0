import { AUDIT_ACTIONS } from '#src/domain/audit.js';
import { AppError } from '#src/errors.js';
import { systemContext, type ActionContext, type MemberContext } from '#src/policies/action-context.js';
import type { ActivityLogFilter } from '#src/repositories/activity-log.repository.js';
import type { ServiceDeps } from '#src/services/service-deps.js';
import type { ActivityLogRow } from '#src/storage/schema.js';

export const NO_MORE_LOGS_MESSAGE = 'No more logs found';
/** `page_size=-1` ("all") answers at most this many; the export streams any number. */
export const ACTIVITY_LOG_ALL_LIMIT = 10_000;
/** Rows read per batch when streaming an export: memory stays flat however long the log. */
const EXPORT_BATCH = 1_000;

/** What the log is searched by, as the API and the CLI state it (all optional). */
export interface ActivityLogQuery {
  actorId?: number;
  projectId?: number;
  method?: string;
  actions?: string[];
  since?: string;
  until?: string;
  /** An expression over request URLs: words joined by AND or OR (AND binds when both appear, as Enterprise's). */
  search?: string;
}

/** Parses `a AND b` / `a OR b` / `a b` (all words) into the repository's URL terms. */
function urlTerms(search: string | undefined): ActivityLogFilter['urlTerms'] {
  const text = search?.trim();
  if (!text) return undefined;
  const any = /\sOR\s/.test(text) && !/\sAND\s/.test(text);
  const terms = text.split(/\s+(?:AND|OR)\s+|\s+/).filter((term) => term && term !== 'AND' && term !== 'OR');
  return { all: !any, terms };
}

/** The activity log: who did what, read by owners and administrators, exported, and kept for the retention period. */
export class ActivityLogService {
  constructor(private readonly deps: ServiceDeps) {}

  filterFor(organizationId: number, query: ActivityLogQuery): ActivityLogFilter {
    const unknown = (query.actions ?? []).filter((action) => !(AUDIT_ACTIONS as readonly string[]).includes(action));
    if (unknown.length > 0) throw AppError.validation({ action: [`Unknown action ${unknown.join(', ')}.`] });
    const method = query.method && query.method.toLowerCase() !== 'all' ? query.method.toUpperCase() : undefined;
    return {
      organizationId,
      actorId: query.actorId,
      projectId: query.projectId,
      actions: query.actions,
      method,
      since: query.since,
      until: query.until,
      urlTerms: urlTerms(query.search),
    };
  }

  /** One page, newest first, with the totals Enterprise's DataTables shape carries; 404 past the end. */
  async page(
    ctx: MemberContext,
    query: ActivityLogQuery,
    page: { number: number; size: number; beforeId?: number; oldestFirst?: boolean },
  ): Promise<{ rows: ActivityLogRow[]; total: number; filtered: number }> {
    const { repos } = this.deps;
    const filter = this.filterFor(ctx.actor.organizationId, query);
    const [total, filtered] = await Promise.all([repos.activityLog.count({ organizationId: ctx.actor.organizationId }), repos.activityLog.count(filter)]);
    const offset = page.beforeId === undefined ? (page.number - 1) * page.size : 0;
    // A page past the end is answered without asking the database to skip that far.
    const rows = offset >= filtered ? [] : await repos.activityLog.list(filter, page.size, offset, page.beforeId, page.oldestFirst === true);
    if (rows.length === 0 && (page.number > 1 || page.beforeId !== undefined)) throw AppError.notFound(NO_MORE_LOGS_MESSAGE);
    return { rows, total, filtered };
  }

  /** Every matching entry, newest first, in batches (keyset: no OFFSET scans, flat memory). */
  async *stream(organizationId: number, query: ActivityLogQuery): AsyncGenerator<ActivityLogRow> {
    const filter = this.filterFor(organizationId, query);
    let beforeId: number | undefined;
    for (;;) {
      const rows = await this.deps.repos.activityLog.list(filter, EXPORT_BATCH, 0, beforeId);
      for (const row of rows) yield row;
      if (rows.length < EXPORT_BATCH) return;
      beforeId = rows[rows.length - 1]?.id;
    }
  }

  /**
   * Deletes entries older than the retention period (LABEL_STUDIO_ACTIVITY_LOG_RETENTION_DAYS; 0 keeps everything).
   * Each organization that lost entries gets one `activity_log.purged` entry saying how many and up to when, in the
   * same transaction: a log that shrinks says so itself.
   */
  async purge(days = this.deps.config.security.activityLogRetentionDays, ctx: ActionContext = systemContext('activity log retention')): Promise<number> {
    if (days <= 0) return 0;
    const before = new Date(this.deps.clock.now().getTime() - days * 86_400_000).toISOString();
    return this.deps.uow.run(ctx, async (tx) => {
      const counts = await tx.repos.activityLog.countBeforeByOrganization(before);
      const deleted = await tx.repos.activityLog.deleteBefore(before);
      for (const { organizationId, count } of counts) {
        if (organizationId === null) continue;
        await tx.record({ action: 'activity_log.purged', organizationId, details: { deleted: count, before, retention_days: days } });
      }
      return deleted;
    });
  }
}
