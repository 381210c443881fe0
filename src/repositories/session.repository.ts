import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database, SessionTable } from '#src/storage/schema.js';
import { userTag, type ChangeSink } from '#src/repositories/read-cache.js';

export type SessionRow = Selectable<SessionTable>;

/** SQL for server-side web sessions. */
export class SessionRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly changed: ChangeSink = () => undefined,
  ) {}

  /**
   * Ends every web session of a user but the one of `keepIdHash` (none kept without it), and every login of theirs
   * still waiting for its second factor: whatever ends their sessions (a new password, signing out elsewhere, a
   * deletion) must not leave a half-made one to finish. Returns how many sessions ended.
   */
  async deleteForUser(userId: number, keepIdHash?: string): Promise<number> {
    let query = this.db.deleteFrom('sessions').where('user_id', '=', userId);
    if (keepIdHash !== undefined) query = query.where('id_hash', '!=', keepIdHash);
    const result = await query.executeTakeFirst();
    await this.db.deleteFrom('two_factor_challenges').where('user_id', '=', userId).execute();
    this.changed(userTag(userId));
    return Number(result.numDeletedRows);
  }

  async insert(session: Insertable<SessionTable>): Promise<void> {
    await this.db.insertInto('sessions').values(session).execute();
  }

  find(idHash: string): Promise<SessionRow | undefined> {
    return this.db.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
  }

  async touch(idHash: string, lastSeenAt: string, expiresAt: string, ip: string | null): Promise<void> {
    await this.db.updateTable('sessions').set({ last_seen_at: lastSeenAt, expires_at: expiresAt, ip }).where('id_hash', '=', idHash).execute();
  }

  /** A user's sessions, most recently used first. */
  listForUser(userId: number): Promise<SessionRow[]> {
    return this.db.selectFrom('sessions').selectAll().where('user_id', '=', userId).orderBy('last_seen_at', 'desc').orderBy('created_at', 'desc').execute();
  }

  /** One of the user's sessions by the id its owner sees. */
  findByPublicId(userId: number, publicId: string): Promise<SessionRow | undefined> {
    return this.db.selectFrom('sessions').selectAll().where('user_id', '=', userId).where('public_id', '=', publicId).executeTakeFirst();
  }

  async delete(idHash: string): Promise<void> {
    const rows = await this.db.deleteFrom('sessions').where('id_hash', '=', idHash).returning('user_id').execute();
    for (const row of rows) this.changed(userTag(row.user_id));
  }

  /** Removes sessions past their expiry (housekeeping, run now and then). */
  async deleteExpired(now: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('expires_at', '<', now).execute();
  }
}
