import type { Insertable, Kysely } from 'kysely';
import type { Database, PasswordResetTokenRow, PasswordResetTokenTable } from '#src/storage/schema.js';

/** SQL for password-reset links (found by the keyed hash of their secret). */
export class PasswordResetRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: Insertable<PasswordResetTokenTable>): Promise<void> {
    await this.db.insertInto('password_reset_tokens').values(row).execute();
  }

  findByHash(tokenHash: string): Promise<PasswordResetTokenRow | undefined> {
    return this.db.selectFrom('password_reset_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  }

  /**
   * Uses the link: one UPDATE that re-checks it is unused and unexpired, so two requests racing with one link
   * never both succeed. True when this call used it.
   */
  async use(id: number, now: string): Promise<boolean> {
    const result = await this.db
      .updateTable('password_reset_tokens')
      .set({ used_at: now })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Marks every other unused link of the user used (the password just changed). */
  async useAllOf(userId: number, now: string): Promise<void> {
    await this.db.updateTable('password_reset_tokens').set({ used_at: now }).where('user_id', '=', userId).where('used_at', 'is', null).execute();
  }

  /** Forgets links that can no longer be used (expired before `before`). */
  async deleteExpired(before: string): Promise<number> {
    const result = await this.db.deleteFrom('password_reset_tokens').where('expires_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
