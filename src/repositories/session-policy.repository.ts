import type { Kysely, Selectable } from 'kysely';
import { orgTag, type ChangeSink } from '#src/repositories/read-cache.js';
import type { Database, SessionPolicyTable } from '#src/storage/schema.js';

export type SessionPolicyRow = Selectable<SessionPolicyTable>;

/** SQL for organizations' session policies: at most one row each. */
export class SessionPolicyRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly changed: ChangeSink = () => undefined,
  ) {}

  find(organizationId: number): Promise<SessionPolicyRow | undefined> {
    return this.db.selectFrom('session_policies').selectAll().where('organization_id', '=', organizationId).executeTakeFirst();
  }

  /** Forgets the organization's policy: the server's defaults apply again. */
  async remove(organizationId: number): Promise<void> {
    await this.db.deleteFrom('session_policies').where('organization_id', '=', organizationId).execute();
    this.changed(orgTag(organizationId));
  }

  /** Writes the organization's policy, creating it the first time. */
  async save(organizationId: number, minutes: { maxSessionAge: number; maxTimeBetweenActivity: number }, now: string): Promise<SessionPolicyRow> {
    this.changed(orgTag(organizationId));
    return this.db
      .insertInto('session_policies')
      .values({ organization_id: organizationId, max_session_age: minutes.maxSessionAge, max_time_between_activity: minutes.maxTimeBetweenActivity, created_at: now, updated_at: now })
      .onConflict((oc) =>
        oc.column('organization_id').doUpdateSet({ max_session_age: minutes.maxSessionAge, max_time_between_activity: minutes.maxTimeBetweenActivity, updated_at: now }),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
  }
}
