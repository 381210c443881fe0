import type { Kysely } from 'kysely';
import { AppError } from '#src/errors.js';
import { redactSecrets, type AuditAction } from '#src/domain/audit.js';
import type { ActionContext } from '#src/policies/action-context.js';
import { faultToAppError } from '#src/repositories/database-faults.js';
import { createRepositories, type Repositories } from '#src/repositories/index.js';
import type { ReadCache } from '#src/repositories/read-cache.js';
import type { DatabaseHandle } from '#src/storage/database.js';
import type { Database, IdTable, NewActivityLog } from '#src/storage/schema.js';
import type { Clock } from '#src/clock.js';
import type { Logger } from '#src/ports/logger.port.js';

/** Work that must wait for the outcome of the transaction (deleting a replaced file, sending mail). */
export type DeferredStep = () => Promise<void>;

/** One entry of the activity log, as a use case states it; who, how and from where come from the context. */
export interface AuditEvent {
  action: AuditAction;
  /** Default: the actor's organization, else the principal's active one. */
  organizationId?: number | null;
  target?: { type: 'user' | 'organization' | 'token' | 'project' | 'permission' | 'invite'; id?: number | null };
  projectId?: number | null;
  /** What changed (before/after) and anything worth keeping; secrets are redacted whatever their depth. */
  details?: Record<string, unknown>;
  /** Who acted when the context has no principal yet (a login, a sign-up). */
  actor?: { id: number; email: string };
  /** The status answered, when it is not the route's success (a refused login). */
  responseCode?: number;
}

/** Query parameters that carry secrets (an invite link's token): never written to the log. */
function redactUrl(url: string): string {
  return url.replace(/([?&](?:token|refresh|access|key)=)[^&#]*/gi, '$1[redacted]');
}

/**
 * One use case's transaction: repositories bound to it, the context of who acts (for the audit trail), and the
 * steps to run once it commits or rolls back. Composable steps take it as a required argument and never open their own.
 */
export interface Tx {
  readonly repos: Repositories;
  readonly context: ActionContext;
  /** Runs after the commit (never if the transaction rolls back); a failure is logged, the change stays. */
  afterCommit(step: DeferredStep): void;
  /** Runs if the transaction rolls back: undoes what lives outside the database (a file already written). */
  onRollback(step: DeferredStep): void;
  /** Writes an activity-log entry in this transaction: the entry exists exactly when the change does. */
  record(event: AuditEvent): Promise<void>;
  /**
   * After inserting rows with explicit ids (an import): the database numbers later rows after them. Call it last,
   * just before the work returns: on PostgreSQL the sequence move survives a rollback (harmless gaps).
   */
  advanceIdSequences(tables: readonly IdTable[]): Promise<void>;
  /**
   * Says that cached reads of these tags (`userTag(id)`, `orgTag(id)`, `ALL_TAGS`) are out of date once this commits:
   * this server drops them at once, every other server within a second. Repositories' write methods already name
   * what they write; call it for a change they cannot see (see docs/architecture.md, "The read cache").
   */
  invalidate(...tags: string[]): void;
}

export interface UnitOfWork {
  /** Runs `work` in one transaction: it commits whole or not at all; constraint violations become AppErrors. */
  run<T>(context: ActionContext, work: (tx: Tx) => Promise<T>): Promise<T>;
}

/** The row for an event: the context says who, how and from where; the event what. */
function logEntry(context: ActionContext, event: AuditEvent, at: string): NewActivityLog {
  const actor = event.actor ?? (context.principal ? { id: context.principal.id, email: context.principal.email } : undefined);
  return {
    created_at: at,
    organization_id: event.organizationId !== undefined ? event.organizationId : (context.actor?.organizationId ?? context.principal?.active_organization_id ?? null),
    actor_id: actor?.id ?? null,
    actor_email: actor?.email ?? '',
    action: event.action,
    target_type: event.target?.type ?? null,
    target_id: event.target?.id ?? null,
    project_id: event.projectId ?? null,
    request_method: context.method,
    request_url: redactUrl(context.url),
    response_code: String(event.responseCode ?? context.successStatus),
    auth_method: context.via,
    ip_address: context.ip,
    user_agent: context.userAgent?.slice(0, 1000) ?? null,
    request_id: context.requestId,
    details: JSON.stringify(redactSecrets(event.details ?? {})),
  };
}

/** The unit of work over the database; the database factory reads driver errors and knows the dialect's sequences. */
export function createUnitOfWork(
  db: Kysely<Database>,
  database: Pick<DatabaseHandle, 'classifyError' | 'advanceIdSequences' | 'changes' | 'memberSearch'>,
  logger: Logger,
  clock: Clock,
  cache?: ReadCache,
): UnitOfWork {
  const classify = (error: unknown) => database.classifyError(error);
  const runSteps = async (steps: DeferredStep[], when: string, context: ActionContext): Promise<void> => {
    for (const step of steps) {
      try {
        await step();
      } catch (error) {
        logger.error({ err: error, requestId: context.requestId }, `a step ${when} failed`);
      }
    }
  };
  return {
    async run<T>(context: ActionContext, work: (tx: Tx) => Promise<T>): Promise<T> {
      const commitSteps: DeferredStep[] = [];
      const rollbackSteps: DeferredStep[] = [];
      const tags = new Set<string>();
      const changed = (...named: string[]): void => {
        for (const tag of named) tags.add(tag);
      };
      let result: T;
      try {
        result = await db.transaction().execute(async (trx) => {
          const repos = createRepositories(trx, { changed, memberSearch: database.memberSearch });
          const value = await work({
            repos,
            context,
            afterCommit: (step) => commitSteps.push(step),
            onRollback: (step) => rollbackSteps.push(step),
            record: (event) => repos.activityLog.insert(logEntry(context, event, clock.now().toISOString())),
            advanceIdSequences: (tables) => database.advanceIdSequences(trx, tables),
            invalidate: changed,
          });
          // Other servers hear of it when (and only if) this commits.
          if (tags.size > 0) await database.changes.publish(trx, [...tags]);
          return value;
        });
      } catch (error) {
        await runSteps(rollbackSteps, 'after a rollback', context);
        if (error instanceof AppError) throw error;
        const fault = classify(error);
        throw fault ? faultToAppError(fault) : error;
      }
      // Before anything else, so the next request on this server reads what was just committed.
      if (tags.size > 0) cache?.invalidate(tags);
      await runSteps(commitSteps, 'after a commit', context);
      return result;
    },
  };
}
