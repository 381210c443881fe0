import type { Kysely } from 'kysely';
import type { ColumnTypes } from '#src/storage/migrations/column-types.js';

/**
 * The tables behind the ports (mail outbox, files kept in the database, attempt counters) and the invite token
 * sealed like the legacy tokens: the column now holds a keyed lookup hash, the token itself is encrypted beside it.
 * Rows migrated from plain tokens are sealed at start-up (the migration does not know the instance secret).
 */
export async function up(db: Kysely<unknown>, t: ColumnTypes): Promise<void> {
  await db.schema.alterTable('organizations').renameColumn('token', 'invite_lookup_hash').execute();
  await db.schema.alterTable('organizations').addColumn('invite_ciphertext', 'text').execute();

  await t
    .addId(db.schema.createTable('mail_outbox'))
    .addColumn('recipient', 'varchar(254)', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text_body', 'text', (c) => c.notNull())
    .addColumn('html_body', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', t.timestamp, (c) => c.notNull())
    // A sender leases a message until this time, so two servers never send it both.
    .addColumn('claimed_until', t.timestamp)
    .addColumn('sent_at', t.timestamp)
    .addColumn('last_error', 'text')
    .execute();
  await db.schema.createIndex('mail_outbox_pending_idx').on('mail_outbox').columns(['sent_at', 'next_attempt_at']).execute();

  await db.schema
    .createTable('stored_files')
    .addColumn('name', 'varchar(200)', (c) => c.primaryKey())
    .addColumn('content_type', 'varchar(100)', (c) => c.notNull())
    .addColumn('data', t.binary, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('auth_attempts')
    .addColumn('scope', 'varchar(300)', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('window_started_at', t.timestamp, (c) => c.notNull())
    .addColumn('last_failure_at', t.timestamp, (c) => c.notNull())
    .execute();
}
