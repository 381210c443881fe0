import { newRecoveryCodes, normalizeRecoveryCode } from '#src/auth/recovery-codes.js';
import { matchTotp, newTotpSecret, normalizeTotpCode, totpUri } from '#src/auth/totp.js';
import { nowIso } from '#src/clock.js';
import { AppError } from '#src/errors.js';
import type { ActionContext } from '#src/policies/action-context.js';
import type { AccountService } from '#src/services/account.service.js';
import type { ServiceDeps } from '#src/services/service-deps.js';
import type { Tx } from '#src/services/unit-of-work.js';
import type { UserRow, UserTwoFactorRow } from '#src/storage/schema.js';

/** The name authenticator apps show beside the account. */
export const TOTP_ISSUER = 'Label Studio';
export const ENROLMENT_REQUIRED_MESSAGE = 'Your organization requires two-factor sign-in. Set it up to continue.';
export const WRONG_CODE_MESSAGE = 'That code is not right. Enter the current 6-digit code from your app, or a recovery code.';
export const REPLAYED_CODE_MESSAGE = 'That code was already used. Wait for the next code from your app.';
const WRONG_PASSWORD_MESSAGE = 'That password is not right.';
const PROOF_MISSING_MESSAGE = 'Enter your password or a code from your app.';
export const SESSION_ONLY_MESSAGE = 'Two-factor sign-in is managed in the web app, signed in with your password; API tokens cannot change it.';

/** Where the user stands: what the Account page shows. */
export interface TwoFactorStatus {
  enabled: boolean;
  enabledAt: string | null;
  /** An enrolment was started and waits for its first code. */
  enrolling: boolean;
  recoveryCodesLeft: number;
  /** The active organization requires two-factor sign-in. */
  required: boolean;
}

/** What the app shows to enrol: the secret (also as text, for typing it in) and the URI the QR code holds. */
export interface Enrolment {
  secret: string;
  uri: string;
}

/** What a code turned out to be: a TOTP code (its step now used), a recovery code (now used), or neither. */
export type CodeOutcome = 'totp' | 'recovery_code' | 'replayed' | 'wrong';

/** Who asks to turn it off or to see new recovery codes proves it is them again: their password, or a code. */
export interface Proof {
  password?: string;
  code?: string;
}

/** Two-factor sign-in of one's own account: enrolment, recovery codes, turning it off; and the code check itself. */
export class TwoFactorService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly accounts: AccountService,
  ) {}

  async status(user: UserRow): Promise<TwoFactorStatus> {
    const { repos } = this.deps;
    const row = await repos.twoFactor.find(user.id);
    const enabled = row?.enabled_at != null;
    return {
      enabled,
      enabledAt: row?.enabled_at ?? null,
      enrolling: row !== undefined && !enabled,
      recoveryCodesLeft: enabled ? await repos.twoFactor.unusedRecoveryCodes(user.id) : 0,
      required: user.active_organization_id !== null && (await this.#required(user.active_organization_id)),
    };
  }

  /** True when the organization requires two-factor sign-in and the user has not enabled it: they must enrol first. */
  async mustEnrol(user: UserRow, organizationId: number): Promise<boolean> {
    if (!(await this.#required(organizationId))) return false;
    const row = await this.deps.repos.twoFactor.find(user.id);
    return row?.enabled_at == null;
  }

  /** Starts (or restarts) enrolment with a new secret, kept sealed until a code confirms it. */
  async startEnrolment(ctx: ActionContext): Promise<Enrolment> {
    const user = sessionUser(ctx);
    const existing = await this.deps.repos.twoFactor.find(user.id);
    if (existing?.enabled_at != null) throw alreadyEnabled();
    const secret = await newTotpSecret();
    const sealed = this.deps.secrets.twoFactor.encrypt(secret);
    // Nothing is on yet, so nothing to log: the activity log records the confirmation.
    await this.deps.uow.run(ctx, (tx) => tx.repos.twoFactor.savePending(user.id, sealed, nowIso(this.deps.clock)));
    return { secret, uri: await totpUri(secret, TOTP_ISSUER, user.email) };
  }

  /** Confirms enrolment with a code from the app; answers the recovery codes, shown this once. */
  async confirmEnrolment(ctx: ActionContext, input: string): Promise<string[]> {
    const user = sessionUser(ctx);
    const row = await this.deps.repos.twoFactor.find(user.id);
    if (!row) throw new AppError('two_factor.not_enrolling', 'Start the set-up first: there is no authenticator waiting for a code.');
    if (row.enabled_at !== null) throw alreadyEnabled();
    const code = normalizeTotpCode(input);
    const step = code === undefined ? undefined : await matchTotp(this.#secretOf(row), code, this.deps.clock.now());
    if (step === undefined) throw AppError.validation({ code: ['That code is not right. Enter the 6-digit code your app shows now.'] }, 'two_factor.invalid_code');
    const codes = newRecoveryCodes();
    await this.deps.uow.run(ctx, async (tx) => {
      const at = nowIso(this.deps.clock);
      // A racing confirmation (another tab) already turned it on: this one must not replace its recovery codes.
      if (!(await tx.repos.twoFactor.enable(user.id, at, step))) throw alreadyEnabled();
      await this.#storeRecoveryCodes(tx, user.id, codes);
      await tx.record({ action: 'user.two_factor_enabled', target: { type: 'user', id: user.id } });
    });
    return codes;
  }

  /** Turns two-factor sign-in off, after the password or a code. */
  async disable(ctx: ActionContext, proof: Proof): Promise<void> {
    const user = sessionUser(ctx);
    const row = await this.#enabledRow(user.id);
    await this.#withProof(ctx, user, row, proof, async (tx, via) => {
      await tx.repos.twoFactor.deleteForUser(user.id);
      await tx.record({ action: 'user.two_factor_disabled', target: { type: 'user', id: user.id }, details: { confirmed_with: via } });
    });
  }

  /** Replaces the recovery codes (the old ones stop working), after the password or a code; answers the new ones. */
  async regenerateRecoveryCodes(ctx: ActionContext, proof: Proof): Promise<string[]> {
    const user = sessionUser(ctx);
    const row = await this.#enabledRow(user.id);
    const codes = newRecoveryCodes();
    await this.#withProof(ctx, user, row, proof, async (tx, via) => {
      await this.#storeRecoveryCodes(tx, user.id, codes);
      await tx.record({ action: 'user.recovery_codes_regenerated', target: { type: 'user', id: user.id }, details: { confirmed_with: via } });
    });
    return codes;
  }

  /**
   * Step: checks a code typed by the user: a TOTP code within one step of now and later than the last one accepted
   * (its step is then recorded), or an unused recovery code (then used up). Either is spent in `tx`.
   */
  async checkCode(tx: Tx, row: UserTwoFactorRow, input: string): Promise<CodeOutcome> {
    const code = normalizeTotpCode(input);
    if (code !== undefined) {
      const step = await matchTotp(this.#secretOf(row), code, this.deps.clock.now());
      if (step === undefined) return 'wrong';
      return (await tx.repos.twoFactor.useStep(row.user_id, step)) ? 'totp' : 'replayed';
    }
    const recovery = normalizeRecoveryCode(input);
    if (recovery === undefined) return 'wrong';
    const used = await tx.repos.twoFactor.useRecoveryCode(row.user_id, this.deps.secrets.twoFactor.lookupHash(recovery), nowIso(this.deps.clock));
    return used ? 'recovery_code' : 'wrong';
  }

  /**
   * Runs `change` in one transaction once the user proved it is them: the password (checked before the transaction,
   * as hashing would hold the database) or a code (spent in the same transaction as the change).
   */
  async #withProof(ctx: ActionContext, user: UserRow, row: UserTwoFactorRow, proof: Proof, change: (tx: Tx, via: 'password' | CodeOutcome) => Promise<void>): Promise<void> {
    if (proof.password) {
      if (!(await this.accounts.isCurrentPassword(user.id, proof.password))) throw AppError.validation({ password: [WRONG_PASSWORD_MESSAGE] }, 'auth.invalid_credentials');
      await this.deps.uow.run(ctx, (tx) => change(tx, 'password'));
      return;
    }
    if (!proof.code) throw AppError.validation({ code: [PROOF_MISSING_MESSAGE] }, 'two_factor.invalid_code');
    const code = proof.code;
    const refusal = await this.deps.uow.run(ctx, async (tx) => {
      const outcome = await this.checkCode(tx, row, code);
      if (outcome === 'wrong' || outcome === 'replayed') {
        await tx.record({ action: 'auth.two_factor_failed', target: { type: 'user', id: user.id }, responseCode: 400, details: { reason: outcome } });
        return outcome;
      }
      if (outcome === 'recovery_code') await tx.record({ action: 'auth.recovery_code_used', target: { type: 'user', id: user.id } });
      await change(tx, outcome);
      return undefined;
    });
    if (refusal) throw AppError.validation({ code: [refusal === 'replayed' ? REPLAYED_CODE_MESSAGE : WRONG_CODE_MESSAGE] }, 'two_factor.invalid_code');
  }

  async #enabledRow(userId: number): Promise<UserTwoFactorRow> {
    const row = await this.deps.repos.twoFactor.find(userId);
    if (row?.enabled_at == null) throw new AppError('two_factor.not_enabled', 'Two-factor sign-in is not on for your account.');
    return row;
  }

  async #storeRecoveryCodes(tx: Tx, userId: number, codes: readonly string[]): Promise<void> {
    const box = this.deps.secrets.twoFactor;
    const hashes = codes.map((code) => box.lookupHash(normalizeRecoveryCode(code) ?? code));
    await tx.repos.twoFactor.replaceRecoveryCodes(userId, hashes, nowIso(this.deps.clock));
  }

  #secretOf(row: UserTwoFactorRow): string {
    try {
      return this.deps.secrets.twoFactor.decrypt(row.secret_ciphertext);
    } catch {
      throw new AppError('secret.mismatch', 'The two-factor secret cannot be read: the instance secret (SECRET_KEY) is not the one it was sealed with.');
    }
  }

  async #required(organizationId: number): Promise<boolean> {
    return (await this.deps.repos.organizations.findById(organizationId))?.require_two_factor === true;
  }
}

/**
 * The user of a signed-in browser. Two-factor sign-in guards the password login, so only such a session may change
 * it: an API token (which it does not guard) must not be able to enrol an authenticator or remove one.
 */
function sessionUser(ctx: ActionContext): UserRow {
  if (!ctx.principal) throw AppError.unauthenticated();
  if (ctx.via !== 'session') throw AppError.forbidden(SESSION_ONLY_MESSAGE, 'two_factor.session_required');
  return ctx.principal;
}

const alreadyEnabled = () =>
  new AppError('two_factor.already_enabled', 'Two-factor sign-in is already on. Turn it off first to use another authenticator.');
