import type { Kysely } from 'kysely';
import type { ColumnTypes } from '#src/storage/migrations/column-types.js';

/** Personal access tokens, and the projects, tasks and annotations that feed contributions. */
export async function up(db: Kysely<unknown>, t: ColumnTypes): Promise<void> {
  // One row per issued personal access token (simplejwt's OutstandingToken + BlacklistedToken in one).
  await t
    .addId(db.schema.createTable('personal_access_tokens'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('jti', 'varchar(64)', (c) => c.notNull().unique())
    /** `header.payload` without the signature: listable, not usable. */
    .addColumn('token_prefix', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .addColumn('blacklisted_at', t.timestamp)
    .execute();
  await db.schema.createIndex('personal_access_tokens_user_idx').on('personal_access_tokens').column('user_id').execute();

  await t
    .addId(db.schema.createTable('projects'))
    .addColumn('organization_id', 'integer', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('created_by_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('title', 'varchar(50)', (c) => c.notNull().defaultTo(''))
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('label_config', 'text', (c) => c.notNull().defaultTo('<View></View>'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('projects_org_idx').on('projects').columns(['organization_id', 'created_by_id']).execute();

  await t
    .addId(db.schema.createTable('tasks'))
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('meta', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('tasks_project_idx').on('tasks').column('project_id').execute();

  await t
    .addId(db.schema.createTable('annotations'))
    .addColumn('task_id', 'integer', (c) => c.notNull().references('tasks.id').onDelete('cascade'))
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('completed_by_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('result', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('was_cancelled', t.boolean, (c) => c.notNull().defaultTo(false))
    .addColumn('ground_truth', t.boolean, (c) => c.notNull().defaultTo(false))
    .addColumn('lead_time', 'double precision')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('annotations_task_idx').on('annotations').column('task_id').execute();
  await db.schema
    .createIndex('annotations_contrib_idx')
    .on('annotations')
    .columns(['completed_by_id', 'project_id'])
    .execute();

  await db.schema
    .createTable('project_hotkey_preferences')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('custom_hotkeys', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('project_hotkey_preferences_pk', ['user_id', 'project_id'])
    .execute();
}
