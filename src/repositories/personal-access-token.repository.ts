import type { Insertable, Kysely } from 'kysely';
import { chunksOf } from '#src/repositories/chunks.js';
import type { Database, PersonalAccessTokenRow, PersonalAccessTokenTable } from '#src/storage/schema.js';

/** SQL for personal access tokens: one row per issued token, holding `header.payload` only (never the signature). */
export class PersonalAccessTokenRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(token: Insertable<PersonalAccessTokenTable>): Promise<PersonalAccessTokenRow> {
    return this.db.insertInto('personal_access_tokens').values(token).returningAll().executeTakeFirstOrThrow();
  }

  /** Inserts many tokens at once (an import). */
  async insertMany(tokens: ReadonlyArray<Insertable<PersonalAccessTokenTable>>): Promise<void> {
    for (const chunk of chunksOf(tokens, 8)) await this.db.insertInto('personal_access_tokens').values(chunk).execute();
  }

  /** Replaces the hash an imported token is recognised by (an import re-run with the right key). */
  async setTokenHash(id: number, tokenHash: string): Promise<void> {
    await this.db.updateTable('personal_access_tokens').set({ token_hash: tokenHash }).where('id', '=', id).execute();
  }

  /** The stored rows of these jtis, by jti. */
  async findByJtis(jtis: readonly string[]): Promise<Map<string, PersonalAccessTokenRow>> {
    const out = new Map<string, PersonalAccessTokenRow>();
    for (const chunk of chunksOf([...new Set(jtis)], 1)) {
      for (const row of await this.db.selectFrom('personal_access_tokens').selectAll().where('jti', 'in', chunk).execute()) out.set(row.jti, row);
    }
    return out;
  }

  async deleteForUser(userId: number): Promise<void> {
    await this.db.deleteFrom('personal_access_tokens').where('user_id', '=', userId).execute();
  }

  findByJti(jti: string): Promise<PersonalAccessTokenRow | undefined> {
    return this.db.selectFrom('personal_access_tokens').selectAll().where('jti', '=', jti).executeTakeFirst();
  }

  /** The user's tokens that are neither expired nor blacklisted at `now`, oldest first. */
  listLive(userId: number, now: string): Promise<PersonalAccessTokenRow[]> {
    return this.db
      .selectFrom('personal_access_tokens')
      .selectAll()
      .where('user_id', '=', userId)
      .where('blacklisted_at', 'is', null)
      .where('expires_at', '>', now)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }

  /** Blacklists the token unless it already is; returns false when another request got there first. */
  async blacklist(id: number, at: string): Promise<boolean> {
    const result = await this.db
      .updateTable('personal_access_tokens')
      .set({ blacklisted_at: at })
      .where('id', '=', id)
      .where('blacklisted_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}
