import type { Kysely } from 'kysely';
import { chunksOf } from '#src/repositories/chunks.js';
import type { Database } from '#src/storage/schema.js';
import { userTag, type ChangeSink } from '#src/repositories/read-cache.js';

/** SQL for legacy API tokens, held only as ciphertext plus a keyed lookup hash. */
export class LegacyTokenRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly changed: ChangeSink = () => undefined,
  ) {}

  /** Replaces the user's token (a user has exactly one). */
  async put(userId: number, lookupHash: string, ciphertext: string, at: string): Promise<void> {
    await this.db
      .insertInto('legacy_tokens')
      .values({ user_id: userId, lookup_hash: lookupHash, ciphertext, created_at: at })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ lookup_hash: lookupHash, ciphertext, created_at: at }))
      .execute();
    this.changed(userTag(userId));
  }

  /** Inserts sealed tokens of many users at once (an import). */
  async insertMany(rows: ReadonlyArray<{ user_id: number; lookup_hash: string; ciphertext: string; created_at: string }>): Promise<void> {
    for (const chunk of chunksOf(rows, 4)) await this.db.insertInto('legacy_tokens').values(chunk).execute();
  }

  /** Lookup hash → holder, for those of the hashes in use. */
  async holders(lookupHashes: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const chunk of chunksOf([...new Set(lookupHashes)], 1)) {
      const rows = await this.db.selectFrom('legacy_tokens').select(['lookup_hash', 'user_id']).where('lookup_hash', 'in', chunk).execute();
      for (const row of rows) out.set(row.lookup_hash, row.user_id);
    }
    return out;
  }

  /** User → lookup hash of their current token, for those of the users who have one. */
  async lookupsOf(userIds: readonly number[]): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    for (const chunk of chunksOf([...new Set(userIds)], 1)) {
      const rows = await this.db.selectFrom('legacy_tokens').select(['user_id', 'lookup_hash']).where('user_id', 'in', chunk).execute();
      for (const row of rows) out.set(row.user_id, row.lookup_hash);
    }
    return out;
  }

  async deleteForUser(userId: number): Promise<void> {
    await this.db.deleteFrom('legacy_tokens').where('user_id', '=', userId).execute();
    this.changed(userTag(userId));
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
