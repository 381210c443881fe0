import type { Kysely } from 'kysely';
import type { Database, MembershipRow, RoleCode } from '#src/storage/schema.js';

/** SQL for organization memberships (soft-deleted rows keep `deleted_at`). */
export class MembershipRepository {
  constructor(private readonly db: Kysely<Database>) {}

  find(userId: number, organizationId: number): Promise<MembershipRow | undefined> {
    return this.db
      .selectFrom('organization_members')
      .selectAll()
      .where('user_id', '=', userId)
      .where('organization_id', '=', organizationId)
      .executeTakeFirst();
  }

  insert(userId: number, organizationId: number, role: RoleCode, at: string): Promise<MembershipRow> {
    return this.db
      .insertInto('organization_members')
      .values({ user_id: userId, organization_id: organizationId, role, created_at: at, updated_at: at, deleted_at: null })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** The user's live memberships, oldest first. */
  listActiveForUser(userId: number): Promise<MembershipRow[]> {
    return this.db
      .selectFrom('organization_members')
      .selectAll()
      .where('user_id', '=', userId)
      .where('deleted_at', 'is', null)
      .orderBy('id')
      .execute();
  }
}
