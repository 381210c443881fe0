import { newLegacyTokenKey } from '#src/auth/random-token.js';
import type { SecretBox } from '#src/auth/secret-box.js';
import { nowIso, type Clock } from '#src/clock.js';
import { AppError } from '#src/errors.js';
import type { Repositories } from '#src/repositories/index.js';

/** Label Studio's per-user legacy API token: retrievable by its owner, never stored in the clear. */
export class LegacyTokenService {
  constructor(
    private readonly repos: Repositories,
    private readonly box: SecretBox,
    private readonly clock: Clock,
  ) {}

  /** Gives the user a new key (or the one supplied) and returns it; the previous key stops working at once. */
  async issue(userId: number, key: string = newLegacyTokenKey(), repos: Repositories = this.repos): Promise<string> {
    const lookup = this.box.lookupHash(key);
    const holder = await repos.legacyTokens.userIdFor(lookup);
    if (holder !== undefined && holder !== userId) {
      throw AppError.validation({ token: ['This token is already used by another user.'] });
    }
    await repos.legacyTokens.put(userId, lookup, this.box.encrypt(key), nowIso(this.clock));
    return key;
  }

  /** The user's current key, decrypted; issues one if the user has none yet. */
  async reveal(userId: number): Promise<string> {
    const sealed = await this.repos.legacyTokens.ciphertextFor(userId);
    if (sealed === undefined) return this.issue(userId);
    try {
      return this.box.decrypt(sealed);
    } catch {
      throw new AppError(
        'internal_error',
        500,
        'The API token cannot be decrypted: the instance secret differs from the one it was created with ' +
          '(check SECRET_KEY or the secret_key file in the data directory).',
      );
    }
  }

  /** The id of the user holding this key, if any. The lookup is by keyed hash, so it takes the same time whatever the key. */
  userIdForKey(key: string): Promise<number | undefined> {
    return this.repos.legacyTokens.userIdFor(this.box.lookupHash(key));
  }
}
