import { sql, type Kysely } from 'kysely';
import type { ColumnTypes } from '#src/storage/migrations/column-types.js';

/** Users, organizations, memberships, legacy tokens and web sessions. */
export async function up(db: Kysely<unknown>, t: ColumnTypes): Promise<void> {
  // users.active_organization_id has no foreign key: the two tables point at each other and SQLite
  // cannot add a constraint afterwards; the organization service keeps it consistent instead.
  await t
    .addId(db.schema.createTable('users'))
    .addColumn('email', 'varchar(254)', (c) => c.notNull())
    .addColumn('username', 'varchar(256)', (c) => c.notNull().defaultTo(''))
    .addColumn('password', 'varchar(256)', (c) => c.notNull())
    .addColumn('first_name', 'varchar(256)', (c) => c.notNull().defaultTo(''))
    .addColumn('last_name', 'varchar(256)', (c) => c.notNull().defaultTo(''))
    .addColumn('phone', 'varchar(256)', (c) => c.notNull().defaultTo(''))
    .addColumn('avatar', 'varchar(512)')
    .addColumn('custom_hotkeys', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('is_staff', t.boolean, (c) => c.notNull().defaultTo(false))
    .addColumn('is_superuser', t.boolean, (c) => c.notNull().defaultTo(false))
    .addColumn('is_active', t.boolean, (c) => c.notNull().defaultTo(true))
    .addColumn('allow_newsletters', t.boolean)
    .addColumn('date_joined', t.timestamp, (c) => c.notNull())
    .addColumn('last_login', t.timestamp)
    .addColumn('last_activity', t.timestamp)
    .addColumn('active_organization_id', 'integer')
    .execute();
  await db.schema.createIndex('users_email_unique').on('users').expression(sql`lower(email)`).unique().execute();
  await db.schema.createIndex('users_username_idx').on('users').column('username').execute();

  await t
    .addId(db.schema.createTable('organizations'))
    .addColumn('title', 'varchar(1000)', (c) => c.notNull())
    .addColumn('token', 'varchar(256)', (c) => c.notNull().unique())
    .addColumn('created_by_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('contact_info', 'varchar(254)')
    .addColumn('allow_unsafe_instruction_tags', t.boolean, (c) => c.notNull().defaultTo(false))
    .addColumn('api_tokens_enabled', t.boolean, (c) => c.notNull().defaultTo(true))
    .addColumn('legacy_api_tokens_enabled', t.boolean, (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();

  await t
    .addId(db.schema.createTable('organization_members'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('organization_id', 'integer', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('role', 'varchar(2)', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('deleted_at', t.timestamp)
    .addUniqueConstraint('organization_members_user_org_unique', ['user_id', 'organization_id'])
    .execute();
  await db.schema
    .createIndex('organization_members_org_idx')
    .on('organization_members')
    .columns(['organization_id', 'deleted_at'])
    .execute();

  await db.schema
    .createTable('legacy_tokens')
    .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('lookup_hash', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('ciphertext', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('last_seen_at', t.timestamp, (c) => c.notNull())
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .addColumn('keep_logged_in', t.boolean, (c) => c.notNull().defaultTo(true))
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();
}
