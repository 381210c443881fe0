import { sql, type Kysely, type Selectable } from 'kysely';
import type { AuthAttemptTable, Database } from '#src/storage/schema.js';

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

  /**
   * Counts an attempt unless the scope is locked at `now` or already holds `limit` attempts in the window; returns
   * the new count, or undefined when refused. One statement: concurrent attempts on every server queue on the row.
   */
  async admit(scope: string, now: string, windowStart: string, limit: number): Promise<number | undefined> {
    const lockServed = sql<boolean>`(auth_attempts.locked_until is not null and auth_attempts.locked_until <= ${now} and auth_attempts.failures >= ${limit})`;
    const restart = sql<boolean>`(auth_attempts.window_started_at < ${windowStart} or ${lockServed})`;
    const row = await this.db
      .insertInto('auth_attempts')
      .values({ scope, failures: 1, window_started_at: now, last_failure_at: now, locked_until: null })
      .onConflict((oc) =>
        oc
          .column('scope')
          .doUpdateSet({
            failures: sql<number>`case when ${restart} then 1 else auth_attempts.failures + 1 end`,
            window_started_at: sql<string>`case when ${restart} then ${now} else auth_attempts.window_started_at end`,
            last_failure_at: now,
            locked_until: sql<string | null>`case when ${restart} then null else auth_attempts.locked_until end`,
          })
          .where(sql<boolean>`(auth_attempts.locked_until is null or auth_attempts.locked_until <= ${now}) and (${restart} or auth_attempts.failures < ${limit})`),
      )
      .returning('failures')
      .executeTakeFirst();
    return row === undefined ? undefined : Number(row.failures);
  }

  /** Refuses the scope's attempts until `until`, unless a later lock is already there. */
  async lock(scope: string, until: string): Promise<void> {
    await this.db
      .updateTable('auth_attempts')
      .set({ locked_until: sql<string>`case when auth_attempts.locked_until is not null and auth_attempts.locked_until > ${until} then auth_attempts.locked_until else ${until} end` })
      .where('scope', '=', scope)
      .execute();
  }

  /** Takes back one counted attempt. */
  async forgive(scope: string): Promise<void> {
    await this.db.updateTable('auth_attempts').set({ failures: sql<number>`failures - 1` }).where('scope', '=', scope).where('failures', '>', 0).execute();
  }

  find(scope: string): Promise<Selectable<AuthAttemptTable> | undefined> {
    return this.db.selectFrom('auth_attempts').selectAll().where('scope', '=', scope).executeTakeFirst();
  }

  async delete(scope: string): Promise<void> {
    await this.db.deleteFrom('auth_attempts').where('scope', '=', scope).execute();
  }
}
