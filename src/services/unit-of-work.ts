import type { Kysely } from 'kysely';
import { AppError } from '#src/errors.js';
import type { ActionContext } from '#src/policies/action-context.js';
import { faultToAppError } from '#src/repositories/database-faults.js';
import { createRepositories, type Repositories } from '#src/repositories/index.js';
import type { DatabaseFault } from '#src/storage/database.js';
import type { Database } from '#src/storage/schema.js';
import type { Logger } from '#src/ports/logger.port.js';

/** Work that must wait for the outcome of the transaction (deleting a replaced file, sending mail). */
export type DeferredStep = () => Promise<void>;

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
}

export interface UnitOfWork {
  /** Runs `work` in one transaction: it commits whole or not at all; constraint violations become AppErrors. */
  run<T>(context: ActionContext, work: (tx: Tx) => Promise<T>): Promise<T>;
}

/** The unit of work over the database; `classify` is the database factory's reading of driver errors. */
export function createUnitOfWork(
  db: Kysely<Database>,
  classify: (error: unknown) => DatabaseFault | undefined,
  logger: Logger,
): UnitOfWork {
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
      let result: T;
      try {
        result = await db.transaction().execute((trx) =>
          work({
            repos: createRepositories(trx),
            context,
            afterCommit: (step) => commitSteps.push(step),
            onRollback: (step) => rollbackSteps.push(step),
          }),
        );
      } catch (error) {
        await runSteps(rollbackSteps, 'after a rollback', context);
        if (error instanceof AppError) throw error;
        const fault = classify(error);
        throw fault ? faultToAppError(fault) : error;
      }
      await runSteps(commitSteps, 'after a commit', context);
      return result;
    },
  };
}
