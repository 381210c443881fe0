import { sql, type Kysely } from 'kysely';
import type { Database } from '#src/storage/schema.js';

/** SQL for failure counters: one row per scope, incremented atomically so concurrent servers never lose a count. */
export class AuthAttemptRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Adds a failure at `now`; a window that started before `windowStart` starts over. Returns the new count. */
  async increment(scope: string, now: string, windowStart: string): Promise<number> {
    const expired = sql<boolean>`auth_attempts.window_started_at < ${windowStart}`;
    const row = await this.db
      .insertInto('auth_attempts')
      .values({ scope, failures: 1, window_started_at: now, last_failure_at: now })
      .onConflict((oc) =>
        oc.column('scope').doUpdateSet({
          failures: sql<number>`case when ${expired} then 1 else auth_attempts.failures + 1 end`,
          window_started_at: sql<string>`case when ${expired} then ${now} else auth_attempts.window_started_at end`,
          last_failure_at: now,
        }),
      )
      .returning('failures')
      .executeTakeFirstOrThrow();
    return Number(row.failures);
  }

  /** Failures counted since `windowStart`. */
  async count(scope: string, windowStart: string): Promise<number> {
    const row = await this.db
      .selectFrom('auth_attempts')
      .select('failures')
      .where('scope', '=', scope)
      .where('window_started_at', '>=', windowStart)
      .executeTakeFirst();
    return Number(row?.failures ?? 0);
  }

  async delete(scope: string): Promise<void> {
    await this.db.deleteFrom('auth_attempts').where('scope', '=', scope).execute();
  }
}
