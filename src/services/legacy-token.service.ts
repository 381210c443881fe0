import { RecentMemo } from '#src/auth/recent-memo.js';
import { newLegacyTokenKey } from '#src/auth/random-token.js';
import { nowIso } from '#src/clock.js';
import { AppError } from '#src/errors.js';
import type { ActionContext, MemberContext } from '#src/policies/action-context.js';
import { TOKEN_TAKEN_MESSAGE } from '#src/repositories/database-faults.js';
import type { ServiceDeps } from '#src/services/service-deps.js';
import type { Tx } from '#src/services/unit-of-work.js';

export const SECRET_MISMATCH_MESSAGE =
  'The API token cannot be decrypted: the instance secret differs from the one it was created with ' +
  '(check SECRET_KEY or the secret_key file in the data directory).';

/** Label Studio's per-user legacy API token: retrievable by its owner, never stored in the clear. */
export class LegacyTokenService {
  /** Lookup hashes of the keys clients send again and again. */
  readonly #lookupHashes = new RecentMemo<string>(4_096);

  constructor(private readonly deps: ServiceDeps) {}

  /** Step: gives the user a new key (or the one supplied) and returns it; the previous key stops working at once. */
  async issue(tx: Tx, userId: number, key: string = newLegacyTokenKey()): Promise<string> {
    const box = this.deps.secrets.legacyTokens;
    const lookup = box.lookupHash(key);
    const holder = await tx.repos.legacyTokens.userIdFor(lookup);
    if (holder !== undefined && holder !== userId) throw AppError.validation({ token: [TOKEN_TAKEN_MESSAGE] }, 'user.token_taken');
    await tx.repos.legacyTokens.put(userId, lookup, box.encrypt(key), nowIso(this.deps.clock));
    return key;
  }

  /** Replaces the caller's key (POST /api/current-user/reset-token/). */
  reset(ctx: MemberContext): Promise<string> {
    return this.deps.uow.run(ctx, async (tx) => {
      const key = await this.issue(tx, ctx.actor.user.id);
      await tx.record({ action: 'token.legacy_reset', target: { type: 'user', id: ctx.actor.user.id } });
      return key;
    });
  }

  /** The user's current key, decrypted; issues one if the user has none yet (an account imported without one). */
  async reveal(ctx: ActionContext, userId: number): Promise<string> {
    const sealed = await this.deps.repos.legacyTokens.ciphertextFor(userId);
    if (sealed === undefined) return this.deps.uow.run(ctx, (tx) => this.issue(tx, userId));
    try {
      return this.deps.secrets.legacyTokens.decrypt(sealed);
    } catch {
      throw new AppError('secret.mismatch', SECRET_MISMATCH_MESSAGE);
    }
  }

  /**
   * The id of the user holding this key, if any. The lookup is by keyed hash, never by the key, so nothing about a stored
   * key shows in its timing (a key sent recently skips the hashing, whether it names anyone or not).
   */
  userIdForKey(key: string): Promise<number | undefined> {
    return this.deps.reads.legacyTokenHolder(this.#lookupHashes.get(key, (value) => this.deps.secrets.legacyTokens.lookupHash(value)));
  }
}
