import type { Kysely } from 'kysely';
import type { Database } from '#src/storage/schema.js';

/** SQL for server-side web sessions. */
export class SessionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Ends every web session of a user; returns how many there were. */
  async deleteForUser(userId: number): Promise<number> {
    const result = await this.db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
