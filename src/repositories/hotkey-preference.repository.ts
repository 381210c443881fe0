import type { Kysely } from 'kysely';
import { chunksOf } from '#src/repositories/chunks.js';
import type { Database } from '#src/storage/schema.js';

/** Per-user, per-project hotkey overrides (project_hotkey_preferences), plus the one project fact they need. */
export class HotkeyPreferenceRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The organization a project belongs to, or undefined when there is no such project. */
  async projectOrganizationId(projectId: number): Promise<number | undefined> {
    const row = await this.db.selectFrom('projects').select('organization_id').where('id', '=', projectId).executeTakeFirst();
    return row?.organization_id;
  }

  /** The stored JSON text of the override, if any. */
  async find(userId: number, projectId: number): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('project_hotkey_preferences')
      .select('custom_hotkeys')
      .where('user_id', '=', userId)
      .where('project_id', '=', projectId)
      .executeTakeFirst();
    return row?.custom_hotkeys;
  }

  async put(userId: number, projectId: number, customHotkeys: string): Promise<void> {
    await this.db
      .insertInto('project_hotkey_preferences')
      .values({ user_id: userId, project_id: projectId, custom_hotkeys: customHotkeys })
      .onConflict((oc) => oc.columns(['user_id', 'project_id']).doUpdateSet({ custom_hotkeys: customHotkeys }))
      .execute();
  }

  /** Inserts overrides, leaving any that exist as they are (an import run twice changes nothing); returns how many were new. */
  async insertMissing(rows: ReadonlyArray<{ user_id: number; project_id: number; custom_hotkeys: string }>): Promise<number> {
    let inserted = 0;
    for (const chunk of chunksOf(rows, 3)) {
      const result = await this.db
        .insertInto('project_hotkey_preferences')
        .values(chunk)
        .onConflict((oc) => oc.columns(['user_id', 'project_id']).doNothing())
        .executeTakeFirst();
      inserted += Number(result.numInsertedOrUpdatedRows ?? 0);
    }
    return inserted;
  }

  async remove(userId: number, projectId: number): Promise<void> {
    await this.db.deleteFrom('project_hotkey_preferences').where('user_id', '=', userId).where('project_id', '=', projectId).execute();
  }
}
