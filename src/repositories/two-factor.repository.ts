import { sql, type Insertable, type Kysely } from 'kysely';
import type { Database, TwoFactorChallengeRow, TwoFactorChallengeTable, UserTwoFactorRow } from '#src/storage/schema.js';

/** SQL for two-factor sign-in: each user's authenticator, their recovery codes, and logins waiting for a code. */
export class TwoFactorRepository {
  constructor(private readonly db: Kysely<Database>) {}

  find(userId: number): Promise<UserTwoFactorRow | undefined> {
    return this.db.selectFrom('user_two_factor').selectAll().where('user_id', '=', userId).executeTakeFirst();
  }

  /** Enabled authenticators among these users (the People page's status), as user id → enabled at. */
  async enabledAmong(userIds: readonly number[]): Promise<Map<number, string>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('user_two_factor')
      .select(['user_id', 'enabled_at'])
      .where('user_id', 'in', userIds)
      .where('enabled_at', 'is not', null)
      .execute();
    return new Map(rows.flatMap((row) => (row.enabled_at === null ? [] : [[row.user_id, row.enabled_at]])));
  }

  /** Starts (or restarts) an enrolment that is not confirmed yet: a new secret, not enabled. */
  async savePending(userId: number, secretCiphertext: string, at: string): Promise<void> {
    await this.db
      .insertInto('user_two_factor')
      .values({ user_id: userId, secret_ciphertext: secretCiphertext, enabled_at: null, last_used_step: null, created_at: at })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ secret_ciphertext: secretCiphertext, enabled_at: null, last_used_step: null, created_at: at }))
      .execute();
  }

  /** Turns a pending enrolment on, with the step of the code that confirmed it; false when it was not pending. */
  async enable(userId: number, at: string, step: number): Promise<boolean> {
    const result = await this.db
      .updateTable('user_two_factor')
      .set({ enabled_at: at, last_used_step: step })
      .where('user_id', '=', userId)
      .where('enabled_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /**
   * Records `step` as used, only if it is later than the last one: false when another request used this step (or a
   * later one) first, so two requests racing with one code cannot both pass.
   */
  async useStep(userId: number, step: number): Promise<boolean> {
    const result = await this.db
      .updateTable('user_two_factor')
      .set({ last_used_step: step })
      .where('user_id', '=', userId)
      .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', step)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Removes the authenticator, the recovery codes and pending logins; true when there was an authenticator. */
  async deleteForUser(userId: number): Promise<boolean> {
    await this.db.deleteFrom('two_factor_recovery_codes').where('user_id', '=', userId).execute();
    await this.db.deleteFrom('two_factor_challenges').where('user_id', '=', userId).execute();
    const result = await this.db.deleteFrom('user_two_factor').where('user_id', '=', userId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Replaces every recovery code of the user with these hashes. */
  async replaceRecoveryCodes(userId: number, hashes: readonly string[], at: string): Promise<void> {
    await this.db.deleteFrom('two_factor_recovery_codes').where('user_id', '=', userId).execute();
    await this.db
      .insertInto('two_factor_recovery_codes')
      .values(hashes.map((code_hash) => ({ user_id: userId, code_hash, used_at: null, created_at: at })))
      .execute();
  }

  /** Marks an unused recovery code used; false when there is no such unused code (wrong, or used already). */
  async useRecoveryCode(userId: number, hash: string, at: string): Promise<boolean> {
    const result = await this.db
      .updateTable('two_factor_recovery_codes')
      .set({ used_at: at })
      .where('user_id', '=', userId)
      .where('code_hash', '=', hash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async unusedRecoveryCodes(userId: number): Promise<number> {
    const row = await this.db
      .selectFrom('two_factor_recovery_codes')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('user_id', '=', userId)
      .where('used_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async insertChallenge(challenge: Insertable<TwoFactorChallengeTable>): Promise<void> {
    await this.db.insertInto('two_factor_challenges').values(challenge).execute();
  }

  findChallenge(idHash: string): Promise<TwoFactorChallengeRow | undefined> {
    return this.db.selectFrom('two_factor_challenges').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
  }

  /** Counts one wrong code; returns the failures so far (0 when the challenge is gone). */
  async failChallenge(idHash: string): Promise<number> {
    const row = await this.db
      .updateTable('two_factor_challenges')
      .set({ failures: sql<number>`failures + 1` })
      .where('id_hash', '=', idHash)
      .returning('failures')
      .executeTakeFirst();
    return Number(row?.failures ?? 0);
  }

  /** Ends a pending login; false when it was already ended (used by a racing request, or expired and swept). */
  async deleteChallenge(idHash: string): Promise<boolean> {
    const result = await this.db.deleteFrom('two_factor_challenges').where('id_hash', '=', idHash).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Removes pending logins past their expiry (housekeeping, when a new one starts). */
  async deleteExpiredChallenges(now: string): Promise<void> {
    await this.db.deleteFrom('two_factor_challenges').where('expires_at', '<', now).execute();
  }
}
