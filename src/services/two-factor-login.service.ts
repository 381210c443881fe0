import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '#src/errors.js';
import type { ActionContext } from '#src/policies/action-context.js';
import { isActiveRole } from '#src/policies/permissions.js';
import type { ServiceDeps } from '#src/services/service-deps.js';
import { REPLAYED_CODE_MESSAGE, WRONG_CODE_MESSAGE, type TwoFactorService } from '#src/services/two-factor.service.js';
import type { Tx } from '#src/services/unit-of-work.js';
import type { UserRow } from '#src/storage/schema.js';

/** How long the second page waits for a code after the password was right. */
export const CHALLENGE_TTL_SECONDS = 300;
/** Wrong codes that end one pending login (back to the password). */
export const CHALLENGE_MAX_FAILURES = 5;
/** Wrong codes per account within the window after which codes are refused until it passes, whatever the login. */
export const ACCOUNT_MAX_FAILURES = 10;
export const ACCOUNT_FAILURE_WINDOW_SECONDS = 900;

export const CHALLENGE_EXPIRED_MESSAGE = 'Your sign-in has expired. Log in again.';
export const TOO_MANY_WRONG_CODES_MESSAGE = 'Too many wrong codes. Log in again.';
export const ACCOUNT_THROTTLED_MESSAGE = 'Too many wrong codes for this account. Try again in 15 minutes.';

/**
 * The outcome of the second step: who logs in where, or the refusal. `two_factor.invalid_code` leaves the pending
 * login open for another try; `two_factor.challenge_invalid` and `two_factor.too_many_attempts` ended it.
 */
export type ChallengeOutcome =
  | { ok: true; user: UserRow; organizationId: number; keepLoggedIn: boolean; method: 'totp' | 'recovery_code' }
  | { ok: false; refusal: AppError };

const hashId = (value: string): string => createHash('sha256').update(value).digest('hex');
const failureScope = (userId: number) => `two-factor:user:${userId}`;

/**
 * The login's second step: after a right password, a user with two-factor sign-in gets a short-lived pending login
 * (the browser holds a random id, the database its SHA-256) instead of a session; the session opens only once a code
 * is right. Wrong codes are counted per pending login and per account.
 */
export class TwoFactorLoginService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly twoFactor: TwoFactorService,
  ) {}

  /** A pending login for a user with two-factor sign-in (its cookie value), or undefined for everyone else. */
  async challenge(ctx: ActionContext, user: UserRow, organizationId: number, keepLoggedIn: boolean): Promise<string | undefined> {
    const row = await this.deps.repos.twoFactor.find(user.id);
    if (row?.enabled_at == null) return undefined;
    const cookie = randomBytes(32).toString('base64url');
    const now = this.deps.clock.now();
    await this.deps.uow.run(ctx, async (tx) => {
      await tx.repos.twoFactor.deleteExpiredChallenges(now.toISOString());
      await tx.repos.twoFactor.insertChallenge({
        id_hash: hashId(cookie),
        user_id: user.id,
        organization_id: organizationId,
        keep_logged_in: keepLoggedIn,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + CHALLENGE_TTL_SECONDS * 1000).toISOString(),
      });
    });
    return cookie;
  }

  /** True while the pending login behind this cookie can still be completed (the second page shows its form). */
  async isPending(cookie: string | undefined): Promise<boolean> {
    if (!cookie) return false;
    const challenge = await this.deps.repos.twoFactor.findChallenge(hashId(cookie));
    return challenge !== undefined && new Date(challenge.expires_at) > this.deps.clock.now();
  }

  /** Ends a pending login (the user went back to the password form). */
  async abandon(ctx: ActionContext, cookie: string | undefined): Promise<void> {
    if (!cookie) return;
    await this.deps.uow.run(ctx, (tx) => tx.repos.twoFactor.deleteChallenge(hashId(cookie)));
  }

  /**
   * Step: checks the code of a pending login. Right: the pending login is used up, the code spent, and the caller
   * opens the session in the same transaction. Wrong: counted and logged in the same transaction, which the caller
   * lets commit (the outcome is returned, not thrown) before refusing.
   */
  async pass(tx: Tx, cookie: string | undefined, input: string): Promise<ChallengeOutcome> {
    const idHash = cookie ? hashId(cookie) : undefined;
    const challenge = idHash ? await tx.repos.twoFactor.findChallenge(idHash) : undefined;
    const expired = (refusal = new AppError('two_factor.challenge_invalid', CHALLENGE_EXPIRED_MESSAGE)): ChallengeOutcome => ({ ok: false, refusal });
    if (!idHash || !challenge) return expired();
    const now = this.deps.clock.now();
    if (new Date(challenge.expires_at) <= now) {
      await tx.repos.twoFactor.deleteChallenge(idHash);
      return expired();
    }
    const user = await tx.repos.users.findById(challenge.user_id);
    const membership = await tx.repos.memberships.find(challenge.user_id, challenge.organization_id);
    const row = await tx.repos.twoFactor.find(challenge.user_id);
    // Deactivated, removed or reset while the second page was open: start again from the password.
    if (!user?.is_active || !membership || membership.deleted_at !== null || !isActiveRole(membership.role) || row?.enabled_at == null) {
      await tx.repos.twoFactor.deleteChallenge(idHash);
      return expired();
    }
    const scope = failureScope(user.id);
    const windowStart = new Date(now.getTime() - ACCOUNT_FAILURE_WINDOW_SECONDS * 1000).toISOString();
    if ((await tx.repos.authAttempts.count(scope, windowStart)) >= ACCOUNT_MAX_FAILURES) {
      await tx.repos.twoFactor.deleteChallenge(idHash);
      return expired(new AppError('two_factor.too_many_attempts', ACCOUNT_THROTTLED_MESSAGE));
    }

    const outcome = await this.twoFactor.checkCode(tx, row, input);
    const actor = { id: user.id, email: user.email };
    if (outcome === 'wrong' || outcome === 'replayed') {
      await tx.repos.authAttempts.increment(scope, now.toISOString(), windowStart);
      const failures = await tx.repos.twoFactor.failChallenge(idHash);
      const ended = failures >= CHALLENGE_MAX_FAILURES;
      if (ended) await tx.repos.twoFactor.deleteChallenge(idHash);
      await tx.record({
        action: 'auth.two_factor_failed',
        actor,
        organizationId: challenge.organization_id,
        target: { type: 'user', id: user.id },
        responseCode: 400,
        details: { reason: outcome, failures, login_ended: ended },
      });
      if (ended) return expired(new AppError('two_factor.challenge_invalid', TOO_MANY_WRONG_CODES_MESSAGE));
      const message = outcome === 'replayed' ? REPLAYED_CODE_MESSAGE : WRONG_CODE_MESSAGE;
      return { ok: false, refusal: AppError.validation({ code: [message] }, 'two_factor.invalid_code') };
    }
    // Used once: a second request racing with the same pending login finds it gone.
    if (!(await tx.repos.twoFactor.deleteChallenge(idHash))) return expired();
    await tx.repos.authAttempts.delete(scope);
    if (outcome === 'recovery_code') {
      await tx.record({
        action: 'auth.recovery_code_used',
        actor,
        organizationId: challenge.organization_id,
        target: { type: 'user', id: user.id },
        details: { recovery_codes_left: await tx.repos.twoFactor.unusedRecoveryCodes(user.id) },
      });
    }
    return { ok: true, user, organizationId: challenge.organization_id, keepLoggedIn: challenge.keep_logged_in, method: outcome };
  }
}
