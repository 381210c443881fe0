import type { Kysely } from 'kysely';
import type { ColumnTypes } from '#src/storage/migrations/column-types.js';

/**
 * What importing a Label Studio database needs: where each imported row went (so a re-run adds only what is new and
 * never duplicates), personal access tokens this instance did not sign (recognised by a hash of the whole token), and
 * the organization's PAT lifetime setting carried over from Label Studio's `jwt_auth_jwtsettings`.
 */
export async function up(db: Kysely<unknown>, t: ColumnTypes): Promise<void> {
  // One row per Label Studio installation imported; the high-water marks say which task and annotation ids a previous
  // run already handled (those tables are too large to record row by row).
  await db.schema
    .createTable('label_studio_import_sources')
    .addColumn('source_key', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('first_imported_at', t.timestamp, (c) => c.notNull())
    .addColumn('last_imported_at', t.timestamp, (c) => c.notNull())
    .addColumn('task_high_water', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('annotation_high_water', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  // Source id → target id: every imported user, organization, membership and project; for tasks and annotations
  // only those whose id was taken here and had to change.
  await db.schema
    .createTable('label_studio_import_ids')
    .addColumn('source_key', 'varchar(64)', (c) => c.notNull().references('label_studio_import_sources.source_key').onDelete('cascade'))
    .addColumn('entity', 'varchar(16)', (c) => c.notNull())
    .addColumn('source_id', 'integer', (c) => c.notNull())
    .addColumn('target_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('label_studio_import_ids_pk', ['source_key', 'entity', 'source_id'])
    .execute();

  // SHA-256 of the whole token, for PATs signed by another key (Label Studio's SECRET_KEY, which is not kept).
  await db.schema.alterTable('personal_access_tokens').addColumn('token_hash', 'varchar(64)').execute();
  await db.schema.alterTable('organizations').addColumn('api_token_ttl_days', 'integer', (c) => c.notNull().defaultTo(73000)).execute();
}
