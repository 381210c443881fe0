import type { Kysely } from 'kysely';
import type { Database } from '#src/storage/schema.js';

/** SQL for legacy API tokens, held only as ciphertext plus a keyed lookup hash. */
export class LegacyTokenRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Replaces the user's token (a user has exactly one). */
  async put(userId: number, lookupHash: string, ciphertext: string, at: string): Promise<void> {
    await this.db
      .insertInto('legacy_tokens')
      .values({ user_id: userId, lookup_hash: lookupHash, ciphertext, created_at: at })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ lookup_hash: lookupHash, ciphertext, created_at: at }))
      .execute();
  }

  async deleteForUser(userId: number): Promise<void> {
    await this.db.deleteFrom('legacy_tokens').where('user_id', '=', userId).execute();
  }

  async ciphertextFor(userId: number): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('legacy_tokens')
      .select('ciphertext')
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row?.ciphertext;
  }

  async userIdFor(lookupHash: string): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('legacy_tokens')
      .select('user_id')
      .where('lookup_hash', '=', lookupHash)
      .executeTakeFirst();
    return row?.user_id;
  }
}
