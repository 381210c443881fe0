import { sql, type Kysely } from 'kysely';
import type { ColumnTypes } from '#src/storage/migrations/column-types.js';

/**
 * Forgotten passwords and e-mail invitations. Neither table holds a usable link: each stores a keyed hash of its
 * secret (HMAC under a key derived from the instance secret), so a database copy sends nobody anywhere.
 */
export async function up(db: Kysely<unknown>, t: ColumnTypes): Promise<void> {
  await t
    .addId(db.schema.createTable('password_reset_tokens'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique())
    // Keyed hash of the password hash the link was issued against: any password change makes the link useless.
    .addColumn('password_fingerprint', 'varchar(64)', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .addColumn('used_at', t.timestamp)
    .execute();
  await db.schema.createIndex('password_reset_tokens_user_idx').on('password_reset_tokens').column('user_id').execute();

  await t
    .addId(db.schema.createTable('email_invitations'))
    .addColumn('organization_id', 'integer', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('email', 'varchar(254)', (c) => c.notNull())
    .addColumn('role', 'varchar(2)', (c) => c.notNull())
    .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('invited_by_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .addColumn('last_sent_at', t.timestamp, (c) => c.notNull())
    .addColumn('send_count', 'integer', (c) => c.notNull())
    .addColumn('accepted_at', t.timestamp)
    .addColumn('accepted_user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('revoked_at', t.timestamp)
    .execute();
  // One open invitation per address and organization: sending again renews it instead of adding another.
  await db.schema
    .createIndex('email_invitations_open_idx')
    .on('email_invitations')
    .columns(['organization_id', 'email'])
    .unique()
    .where(sql.ref('status'), '=', 'pending')
    .execute();
  await db.schema.createIndex('email_invitations_org_idx').on('email_invitations').columns(['organization_id', 'created_at']).execute();
}
