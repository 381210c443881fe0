import { sql, type Kysely } from 'kysely';
import type { ColumnTypes } from '#src/storage/migrations/column-types.js';

/**
 * Sign-in safety: attempt counters that can lock a scope (an account, a client address) until a time; sessions that
 * say where they come from and carry an id their owner may name to revoke one (never the cookie's hash); and each
 * organization's session policy (Enterprise's idle and absolute timeouts, in minutes).
 */
export async function up(db: Kysely<unknown>, t: ColumnTypes): Promise<void> {
  await db.schema.alterTable('auth_attempts').addColumn('locked_until', t.timestamp).execute();

  await db.schema.alterTable('sessions').addColumn('public_id', 'varchar(32)').execute();
  await db.schema.alterTable('sessions').addColumn('ip', 'varchar(64)').execute();
  await db.schema.alterTable('sessions').addColumn('user_agent', 'varchar(512)').execute();
  // Sessions from before get an id from their hash: it names them to their owner and gives nothing away.
  await sql`update sessions set public_id = substr(id_hash, 1, 22) where public_id is null`.execute(db);
  await db.schema.createIndex('sessions_public_id_unique').on('sessions').column('public_id').unique().execute();

  await db.schema
    .createTable('session_policies')
    .addColumn('organization_id', 'integer', (c) => c.primaryKey().references('organizations.id').onDelete('cascade'))
    .addColumn('max_session_age', 'integer', (c) => c.notNull())
    .addColumn('max_time_between_activity', 'integer', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
}
