import type { Kysely } from 'kysely';
import type { ColumnTypes } from '#src/storage/migrations/column-types.js';

/**
 * Two-factor sign-in (TOTP): each user's authenticator secret (encrypted under the instance secret), their one-time
 * recovery codes (keyed hashes), the pending logins waiting for a code (hashed ids), and the organization setting
 * that requires it of every member.
 */
export async function up(db: Kysely<unknown>, t: ColumnTypes): Promise<void> {
  // One row per user who started enrolment; `enabled_at` is set once they confirmed a code. `last_used_step` is the
  // TOTP time step of the last accepted code: that step and earlier ones are refused (no replay).
  await db.schema
    .createTable('user_two_factor')
    .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('secret_ciphertext', 'text', (c) => c.notNull())
    .addColumn('enabled_at', t.timestamp)
    .addColumn('last_used_step', 'integer')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();

  await t
    .addId(db.schema.createTable('two_factor_recovery_codes'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('code_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('used_at', t.timestamp)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('two_factor_recovery_codes_user_hash_unique', ['user_id', 'code_hash'])
    .execute();

  // A login whose password was right, waiting for the second factor: the browser holds a random id, this table its
  // SHA-256. No session exists until the code is right.
  await db.schema
    .createTable('two_factor_challenges')
    .addColumn('id_hash', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('organization_id', 'integer', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('keep_logged_in', t.boolean, (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('two_factor_challenges_expiry_idx').on('two_factor_challenges').column('expires_at').execute();

  await db.schema.alterTable('organizations').addColumn('require_two_factor', t.boolean, (c) => c.notNull().defaultTo(false)).execute();
}
