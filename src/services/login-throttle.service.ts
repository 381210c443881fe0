import { createHmac } from 'node:crypto';
import { isIP } from 'node:net';
import { normalizeEmail } from '#src/domain/email.js';
import { clientKey, plainAddress } from '#src/domain/network-address.js';
import { AppError } from '#src/errors.js';
import type { ActionContext, MemberContext } from '#src/policies/action-context.js';
import type { AttemptState } from '#src/ports/attempt-counter.port.js';
import type { ServiceDeps } from '#src/services/service-deps.js';
import type { Tx } from '#src/services/unit-of-work.js';
import type { UserRow } from '#src/storage/schema.js';

/** The longest wait between two attempts before the lockout itself. */
const MAX_DELAY_SECONDS = 60;
/** "No limit" for a counter kept only for its delays: PostgreSQL's integer bound. */
const NO_LIMIT = 2_147_483_647;

const minutes = (seconds: number): string => {
  const n = Math.max(1, Math.ceil(seconds / 60));
  return n === 1 ? '1 minute' : `${n} minutes`;
};

/** The refusals: the same words whether or not the e-mail is an account (a lockout must not tell who exists). */
export const accountLockedMessage = (seconds: number): string =>
  `Too many failed logins for this account. Try again in ${minutes(seconds)}, or ask an administrator to unlock it.`;
export const addressLockedMessage = (seconds: number): string =>
  `Too many failed logins from your network address. Try again in ${minutes(seconds)}.`;
export const throttledMessage = (seconds: number): string =>
  `Too many failed logins. Wait ${seconds === 1 ? '1 second' : `${seconds} seconds`} before trying again.`;

/** An account's lockout as an administrator sees it. */
export interface LockoutStatus {
  locked: boolean;
  lockedUntil: Date | undefined;
  /** Failed logins counted in the current window. */
  failures: number;
}

type Scope = { kind: 'account' | 'address'; key: string; limit: number };

/**
 * Login throttling, shared by every server through the attempt counters: each password check is counted before it
 * runs (so parallel guesses cannot all slip under the limit) and forgiven when it was right. Per account (the e-mail
 * typed, whether or not it is an account): after `delayAfter` failures each one makes the next wait (1 s, doubling,
 * at most a minute), and `accountFailures` lock it for `lockoutSeconds`. Per client address, `addressFailures` lock
 * the address. A refused attempt is answered before any password is checked, alike for every e-mail.
 */
export class LoginThrottleService {
  constructor(private readonly deps: ServiceDeps) {}

  /**
   * Runs `check` (a password verification: the user, or undefined when wrong) under the limits. Throws 429
   * `auth.locked_out` / `auth.throttled` with a Retry-After instead of running it while a limit holds.
   */
  async guard<T>(ctx: ActionContext, email: string, check: () => Promise<T | undefined>): Promise<T | undefined> {
    const scopes = this.#scopes(ctx, email);
    const admitted: Array<{ scope: Scope; attempts: number }> = [];
    for (const scope of scopes) {
      const admission = await this.deps.attempts.admit(scope.key, this.#window(), scope.limit);
      if (!admission.admitted) {
        await this.#forgive(admitted);
        throw await this.#refusal(scope);
      }
      admitted.push({ scope, attempts: admission.attempts });
    }
    let result: T | undefined;
    try {
      result = await check();
    } catch (error) {
      await this.#forgive(admitted);
      throw error;
    }
    if (result !== undefined) {
      for (const { scope } of admitted) {
        // A right password ends the account's run of failures; the address keeps its own (an attacker's own account
        // must not wash an address clean).
        if (scope.kind === 'account') await this.deps.attempts.clear(scope.key);
        else await this.deps.attempts.forgive(scope.key);
      }
      return result;
    }
    for (const { scope, attempts } of admitted) await this.#failed(ctx, email, scope, attempts);
    return undefined;
  }

  /** The lockout of an account of the caller's organization (404 for anyone else). */
  async memberStatus(ctx: MemberContext, userId: number): Promise<LockoutStatus> {
    const entry = await this.#member(ctx, userId);
    return this.status(entry.email);
  }

  /** The lockout of the account `email` names (an unknown e-mail may be locked too). */
  async status(email: string): Promise<LockoutStatus> {
    const state = await this.deps.attempts.state(this.#accountKey(email), this.#window());
    return { locked: state.lockedUntil !== undefined && this.#isLockout(state), lockedUntil: state.lockedUntil, failures: state.failures };
  }

  /** An administrator lifts the lockout (and forgets the failures) of a member of their organization. */
  async unlockMember(ctx: MemberContext, userId: number): Promise<LockoutStatus> {
    const entry = await this.#member(ctx, userId);
    await this.unlock(ctx, entry.email, ctx.actor.organizationId);
    return this.status(entry.email);
  }

  /**
   * Lifts the lockout of the account `email` names and forgets its failures (the operator: `label-studio users
   * unlock`). Recorded (`auth.unlocked`) when there was something to lift, in `organizationId` (default: the
   * account's active organization). Returns what was there and whether the e-mail is an account.
   */
  async unlock(ctx: ActionContext, email: string, organizationId?: number): Promise<{ wasLocked: boolean; failures: number; account: boolean }> {
    const normalized = normalizeEmail(email);
    const key = this.#accountKey(normalized);
    const state = await this.deps.attempts.state(key, this.#window());
    const wasLocked = state.lockedUntil !== undefined;
    await this.deps.attempts.clear(key);
    const user = await this.deps.repos.users.findByEmail(normalized);
    if (wasLocked || state.failures > 0) {
      await this.deps.uow.run(ctx, (tx) =>
        tx.record({
          action: 'auth.unlocked',
          organizationId: organizationId ?? user?.active_organization_id ?? null,
          target: user ? { type: 'user', id: user.id } : undefined,
          details: { scope: 'account', email: normalized, was_locked: wasLocked, failures: state.failures },
        }),
      );
    }
    return { wasLocked, failures: state.failures, account: user !== undefined };
  }

  /**
   * Step of a completed password reset: the account's failures and lockout go, in `tx` (whoever just proved they
   * hold the mailbox may log in at once). Per-address counts stay: a reset proves nothing about a network. Recorded
   * (`auth.unlocked`, as `users unlock` records it) when there was something to lift: `before` is the account's
   * `status`, read before the transaction (the counter reads outside it), only for the log.
   */
  async clearAccountIn(tx: Tx, user: Pick<UserRow, 'id' | 'email' | 'active_organization_id'>, before: LockoutStatus): Promise<void> {
    await tx.repos.authAttempts.delete(this.#accountKey(user.email));
    if (before.lockedUntil === undefined && before.failures === 0) return;
    await tx.record({
      action: 'auth.unlocked',
      actor: { id: user.id, email: user.email },
      organizationId: user.active_organization_id,
      target: { type: 'user', id: user.id },
      details: { scope: 'account', email: user.email, was_locked: before.lockedUntil !== undefined, failures: before.failures, via: 'password_reset' },
    });
  }

  /** Lifts a client address's lockout (the operator, for a shared office address). */
  async unlockAddress(ctx: ActionContext, address: string): Promise<{ wasLocked: boolean; failures: number }> {
    if (isIP(plainAddress(address.trim())) === 0) throw AppError.validation({ address: [`"${address}" is not an IP address.`] });
    const client = clientKey(address.trim());
    const key = `login:address:${client}`;
    const state = await this.deps.attempts.state(key, this.#window());
    await this.deps.attempts.clear(key);
    const wasLocked = state.lockedUntil !== undefined;
    if (wasLocked || state.failures > 0) {
      await this.deps.uow.run(ctx, (tx) =>
        tx.record({ action: 'auth.unlocked', organizationId: null, details: { scope: 'address', address: client, was_locked: wasLocked, failures: state.failures } }),
      );
    }
    return { wasLocked, failures: state.failures };
  }

  #window(): number {
    return this.deps.config.login.lockoutSeconds;
  }

  #accountKey(email: string): string {
    const digest = createHmac('sha256', this.deps.secrets.attemptScopeKey).update(normalizeEmail(email)).digest('hex');
    return `login:account:${digest}`;
  }

  #scopes(ctx: ActionContext, email: string): Scope[] {
    const { accountFailures, addressFailures, delayAfter } = this.deps.config.login;
    const scopes: Scope[] = [];
    if (accountFailures > 0 || delayAfter > 0) scopes.push({ kind: 'account', key: this.#accountKey(email), limit: accountFailures || NO_LIMIT });
    if (addressFailures > 0 && ctx.ip) scopes.push({ kind: 'address', key: `login:address:${clientKey(ctx.ip)}`, limit: addressFailures });
    return scopes;
  }

  /** True when the state is a lockout rather than a short wait. */
  #isLockout(state: AttemptState): boolean {
    const { accountFailures } = this.deps.config.login;
    return accountFailures > 0 && state.failures >= accountFailures;
  }

  async #forgive(admitted: Array<{ scope: Scope }>): Promise<void> {
    for (const { scope } of admitted) await this.deps.attempts.forgive(scope.key);
  }

  /** A wrong password: a wait before the next attempt, or the lockout once the limit is reached (recorded). */
  async #failed(ctx: ActionContext, email: string, scope: Scope, attempts: number): Promise<void> {
    const { lockoutSeconds, delayAfter } = this.deps.config.login;
    const now = this.deps.clock.now().getTime();
    if (attempts >= scope.limit) {
      const until = new Date(now + lockoutSeconds * 1000);
      await this.deps.attempts.lock(scope.key, until);
      await this.#recordLockout(ctx, email, scope, attempts, until);
    } else if (scope.kind === 'account' && delayAfter > 0 && attempts >= delayAfter) {
      await this.deps.attempts.lock(scope.key, new Date(now + this.#delaySeconds(attempts) * 1000));
    }
  }

  #delaySeconds(failures: number): number {
    return Math.min(MAX_DELAY_SECONDS, 2 ** (failures - this.deps.config.login.delayAfter));
  }

  /** `auth.locked_out`, in the account's organization (none for an e-mail that is not an account, or an address). */
  async #recordLockout(ctx: ActionContext, email: string, scope: Scope, failures: number, until: Date): Promise<void> {
    const normalized = normalizeEmail(email);
    const user = scope.kind === 'account' ? await this.deps.repos.users.findByEmail(normalized) : undefined;
    await this.deps.uow.run(ctx, (tx) =>
      tx.record({
        action: 'auth.locked_out',
        actor: user ? { id: user.id, email: user.email } : undefined,
        organizationId: user?.active_organization_id ?? null,
        target: user ? { type: 'user', id: user.id } : undefined,
        responseCode: 400,
        details: scope.kind === 'account' ? { scope: 'account', email: normalized, failures, until: until.toISOString() } : { scope: 'address', address: ctx.ip ? clientKey(ctx.ip) : null, failures, until: until.toISOString() },
      }),
    );
  }

  /** The refusal for a scope that did not admit the attempt, with how long to wait. */
  async #refusal(scope: Scope): Promise<AppError> {
    const state = await this.deps.attempts.state(scope.key, this.#window());
    const now = this.deps.clock.now().getTime();
    const lockout = scope.kind === 'address' || this.#isLockout(state) || state.lockedUntil === undefined;
    // Without a lock time the limit was reached by an attempt still being checked: its lockout is about to start.
    const seconds = state.lockedUntil ? Math.max(1, Math.ceil((state.lockedUntil.getTime() - now) / 1000)) : this.#window();
    const detail = !lockout ? throttledMessage(seconds) : scope.kind === 'address' ? addressLockedMessage(seconds) : accountLockedMessage(seconds);
    return new AppError(lockout ? 'auth.locked_out' : 'auth.throttled', detail, {
      validationErrors: { non_field_errors: [detail] },
      retryAfterSeconds: seconds,
    });
  }

  async #member(ctx: MemberContext, userId: number): Promise<{ email: string }> {
    const entry = await this.deps.repos.userDirectory.find(ctx.actor.organizationId, userId);
    // A removed member or a deleted account is no longer the organization's to unlock.
    if (!entry || entry.membershipDeletedAt !== null || entry.user.deleted_at !== null) throw AppError.notFound();
    return entry.user;
  }
}
