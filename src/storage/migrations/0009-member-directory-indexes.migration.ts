import { sql, type Kysely } from 'kysely';
import type { ColumnTypes } from '#src/storage/migrations/column-types.js';

/** Columns the members list sorts by; each index ends with `id`, the tie-breaker, so one index serves both directions. */
const SORTED_COLUMNS = ['username', 'email', 'first_name', 'last_name', 'date_joined'] as const;

/**
 * Indexes for the members list at 100,000 members: one per ordering (read in order, the list stops after a page instead
 * of sorting everyone), `last_activity` with never-active users last in both directions, and the substring search.
 */
export async function up(db: Kysely<unknown>, t: ColumnTypes): Promise<void> {
  for (const column of SORTED_COLUMNS) {
    await db.schema.createIndex(`users_${column}_order_idx`).on('users').columns([column, 'id']).execute();
  }
  // `last_activity is null` first in the key: never-active users sort after the others, ascending or descending.
  await db.schema
    .createIndex('users_last_activity_order_idx')
    .on('users')
    .expression(sql`(last_activity is null), last_activity, id`)
    .execute();
  await db.schema
    .createIndex('users_last_activity_desc_order_idx')
    .on('users')
    .expression(sql`(last_activity is null), last_activity desc, id desc`)
    .execute();
  // GET /api/users/ reads an organization's members by user id, 500 after the last one: a range of this index, where
  // the one on organization_id alone (ordered by row id) made every chunk sort all the members after it.
  await db.schema.createIndex('organization_members_org_user_idx').on('organization_members').columns(['organization_id', 'user_id']).execute();
  // The index above on username alone is served by the new (username, id) one.
  await db.schema.dropIndex('users_username_idx').execute();
  await t.createUserSearchIndex(db);
}
