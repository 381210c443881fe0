import type { Kysely } from 'kysely';

/**
 * The role a member had when they were deactivated (`AD`, `MA`, `RE` or `AN`), so that reactivating them gives it
 * back; null for everyone else. Members deactivated before this migration have none and are reactivated as before.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('organization_members').addColumn('role_before_deactivation', 'varchar(2)').execute();
}
