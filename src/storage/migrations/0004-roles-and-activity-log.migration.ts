import type { Kysely } from 'kysely';
import type { ColumnTypes } from '#src/storage/migrations/column-types.js';

/**
 * Roles and the activity log: the role invite-link sign-ups get, per-organization permission overrides, the log of
 * every state-changing action (written in the transaction of the change), and deleted accounts kept as "Deleted User"
 * so their work stays attributed.
 */
export async function up(db: Kysely<unknown>, t: ColumnTypes): Promise<void> {
  await db.schema.alterTable('organizations').addColumn('default_role', 'varchar(2)', (c) => c.notNull().defaultTo('AN')).execute();
  await db.schema.alterTable('users').addColumn('deleted_at', t.timestamp).execute();

  await t
    .addId(db.schema.createTable('organization_permissions'))
    .addColumn('organization_id', 'integer', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('permission', 'varchar(64)', (c) => c.notNull())
    /** JSON array of role codes. */
    .addColumn('roles', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('organization_permissions_org_permission_unique', ['organization_id', 'permission'])
    .execute();

  await t
    .addId(db.schema.createTable('activity_log'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('organization_id', 'integer')
    // No foreign keys: the log outlives what it names (a deleted organization, a removed project).
    .addColumn('actor_id', 'integer')
    .addColumn('actor_email', 'varchar(254)', (c) => c.notNull().defaultTo(''))
    .addColumn('action', 'varchar(64)', (c) => c.notNull())
    .addColumn('target_type', 'varchar(32)')
    .addColumn('target_id', 'integer')
    .addColumn('project_id', 'integer')
    .addColumn('request_method', 'varchar(10)', (c) => c.notNull())
    .addColumn('request_url', 'text', (c) => c.notNull())
    .addColumn('response_code', 'varchar(3)', (c) => c.notNull())
    .addColumn('auth_method', 'varchar(16)', (c) => c.notNull())
    .addColumn('ip_address', 'varchar(64)')
    .addColumn('user_agent', 'text')
    .addColumn('request_id', 'varchar(64)', (c) => c.notNull())
    /** JSON: what changed (before/after), secrets redacted. */
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  // Listing newest first per organization, filtered by actor or action, stays an index walk at millions of rows.
  await db.schema.createIndex('activity_log_org_idx').on('activity_log').columns(['organization_id', 'id']).execute();
  await db.schema.createIndex('activity_log_actor_idx').on('activity_log').columns(['organization_id', 'actor_id', 'id']).execute();
  await db.schema.createIndex('activity_log_action_idx').on('activity_log').columns(['organization_id', 'action', 'id']).execute();
  await db.schema.createIndex('activity_log_time_idx').on('activity_log').column('created_at').execute();
  await db.schema.createIndex('organization_members_role_idx').on('organization_members').columns(['organization_id', 'role']).execute();
}
