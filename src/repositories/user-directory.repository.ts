import type { Kysely } from 'kysely';
import { USER_COLUMNS, type Database, type RoleCode, type UserRow } from '#src/storage/schema.js';

/** A user as seen from one organization: their row, their membership there, and their active organization's meta. */
export interface DirectoryEntry {
  user: UserRow;
  /** Their role in the viewing organization (kept when the membership is removed). */
  membershipRole: RoleCode;
  /** When their membership in the viewing organization was removed; null while they are a member. */
  membershipDeletedAt: string | null;
  /** Title and creator e-mail of the user's own active organization, when it has one. */
  activeOrganization: { title: string; ownerEmail: string } | null;
}

interface DirectoryRow extends UserRow {
  membership_role: RoleCode;
  membership_deleted_at: string | null;
  active_organization_title: string | null;
  active_organization_owner_email: string | null;
}

function toEntry(row: DirectoryRow): DirectoryEntry {
  const { membership_role, membership_deleted_at, active_organization_title, active_organization_owner_email, ...user } = row;
  return {
    user,
    membershipRole: membership_role,
    membershipDeletedAt: membership_deleted_at,
    activeOrganization:
      active_organization_title === null ? null : { title: active_organization_title, ownerEmail: active_organization_owner_email ?? '' },
  };
}

/**
 * The users of an organization (everyone with a membership there, removed or not) in ONE query each:
 * the list must cost the same number of statements for 3 members or 3,000.
 */
export class UserDirectoryRepository {
  constructor(private readonly db: Kysely<Database>) {}

  private base(organizationId: number) {
    return this.db
      .selectFrom('organization_members as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .leftJoin('organizations as ao', 'ao.id', 'u.active_organization_id')
      .leftJoin('users as owner', 'owner.id', 'ao.created_by_id')
      .select(USER_COLUMNS.map((column) => `u.${column}` as const))
      .select([
        'm.role as membership_role',
        'm.deleted_at as membership_deleted_at',
        'ao.title as active_organization_title',
        'owner.email as active_organization_owner_email',
      ])
      .where('m.organization_id', '=', organizationId);
  }

  /** Users with a membership in the organization, by id: the next `limit` after user `afterId` (keyset). */
  async listAfter(organizationId: number, afterId: number, limit: number): Promise<DirectoryEntry[]> {
    // By u.id (equal to m.user_id): SQLite then reads users in rowid order and stops at the limit, where ordering by
    // m.user_id made it sort every remaining member for each chunk.
    const rows = await this.base(organizationId).where('u.id', '>', afterId).orderBy('u.id').limit(limit).execute();
    return rows.map((row) => toEntry(row as DirectoryRow));
  }

  /** One user, if they have a membership (removed or not) in the organization. */
  async find(organizationId: number, userId: number): Promise<DirectoryEntry | undefined> {
    const row = await this.base(organizationId).where('u.id', '=', userId).executeTakeFirst();
    return row ? toEntry(row as DirectoryRow) : undefined;
  }
}
