import { randomBytes } from 'node:crypto';
import { nowIso } from '#src/clock.js';
import { normalizeEmail } from '#src/domain/email.js';
import { AppError } from '#src/errors.js';
import type { ActionContext } from '#src/policies/action-context.js';
import type { AccountService } from '#src/services/account.service.js';
import type { LoginThrottleService } from '#src/services/login-throttle.service.js';
import { passwordResetMail } from '#src/services/mail-templates.js';
import { publicLink } from '#src/services/public-link.js';
import type { ServiceDeps } from '#src/services/service-deps.js';
import type { PasswordResetTokenRow, UserRow } from '#src/storage/schema.js';

export const RESET_REQUESTED_MESSAGE =
  'If an account exists for that e-mail address, we have sent it a link to choose a new password. Check your inbox (and the spam folder).';
export const RESET_LINK_INVALID_MESSAGE = 'This password reset link is invalid: it has expired or was already used. Ask for a new one.';
export const RESET_MAIL_DISABLED_MESSAGE =
  'This server cannot send e-mail, so it cannot send you a reset link. Ask an administrator to set a new password for you (label-studio reset_password).';
export const RESET_THROTTLED_MESSAGE = 'Too many password reset requests from your network. Try again in an hour.';

/** Requests per account (by e-mail address, known or not) and per client address, within an hour. */
export const RESET_LIMITS = { perAccount: 5, perClient: 20, windowSeconds: 3600 } as const;

/** Where the link leads: the page that asks for the new password. */
export const RESET_CONFIRM_PATH = '/user/password-reset/confirm/';

/**
 * Forgotten passwords: a single-use, time-limited link by e-mail. The link's secret is stored only as a keyed hash
 * (HMAC under a key derived from the instance secret), and the link is bound to the password it was issued for, so
 * any password change makes it useless. A request answers the same, after the same work, whether or not the address
 * is an account.
 */
export class PasswordResetService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly accounts: AccountService,
    private readonly throttle: LoginThrottleService,
  ) {}

  get enabled(): boolean {
    return this.deps.mailer.enabled;
  }

  /**
   * Sends a reset link to the address if it is an active account. Every request counts against its address and its
   * client; over the address's limit nothing more is sent, silently (so the answer never tells); over the client's
   * limit the request is refused (which says nothing about any account).
   */
  async request(ctx: ActionContext, rawEmail: string): Promise<void> {
    const { deps } = this;
    if (!deps.mailer.enabled) throw new AppError('mail.not_configured', RESET_MAIL_DISABLED_MESSAGE);
    const email = normalizeEmail(rawEmail);
    if (!email || email.length > 254 || !email.includes('@')) throw AppError.validation({ email: ['Enter a valid email address.'] });
    const { perAccount, perClient, windowSeconds } = RESET_LIMITS;
    const fromClient = await deps.attempts.recordFailure(`password-reset:client:${ctx.ip ?? 'unknown'}`, windowSeconds);
    if (fromClient > perClient) throw new AppError('request.rate_limited', RESET_THROTTLED_MESSAGE);
    const forAccount = await deps.attempts.recordFailure(`password-reset:account:${email}`, windowSeconds);

    // The same steps whichever way it goes: a secret and its hash, one lookup, one transaction.
    const token = randomBytes(32).toString('base64url');
    const tokenHash = deps.secrets.passwordResets.lookupHash(token);
    const found = await deps.repos.users.findCredentials(email);
    const user = found ? await deps.repos.users.findById(found.id) : undefined;
    const sendable = user !== undefined && found !== undefined && user.is_active && user.deleted_at === null && forAccount <= perAccount;
    const now = deps.clock.now();
    const validFor = deps.config.mail.passwordResetSeconds;
    await deps.uow.run(ctx, async (tx) => {
      if (sendable) {
        await tx.repos.passwordResets.insert({
          user_id: user.id,
          token_hash: tokenHash,
          password_fingerprint: deps.secrets.passwordResets.lookupHash(found.password),
          created_at: now.toISOString(),
          expires_at: new Date(now.getTime() + validFor * 1000).toISOString(),
          used_at: null,
        });
        const link = publicLink(deps.config, RESET_CONFIRM_PATH, { token });
        await deps.mailer.send(tx, passwordResetMail(user.email, link, validFor));
      }
      // Unknown addresses are logged against no organization: no organization's log may learn of them.
      await tx.record({
        action: 'user.password_reset_requested',
        organizationId: user?.active_organization_id ?? null,
        target: user ? { type: 'user', id: user.id } : undefined,
        details: { email, sent: sendable, ...(user && !sendable && forAccount > perAccount ? { reason: 'rate_limited' } : {}) },
      });
    });
  }

  /** The account a link is for (the page shows the e-mail); throws when the link cannot be used. */
  async check(token: string): Promise<UserRow> {
    return (await this.#usable(token)).user;
  }

  /**
   * Sets the new password through a link: the password rule applies, the link is used up (as is every other link of
   * the account), every web session of the user ends, and the account's login lockout is lifted (they just proved
   * they hold the mailbox). API tokens stay: they belong to scripts, and the Account page revokes them. Returns the
   * account.
   */
  async complete(ctx: ActionContext, token: string, password: string): Promise<UserRow> {
    const { deps } = this;
    const { row, user } = await this.#usable(token);
    const hash = await this.accounts.hashNewPassword(password, { email: user.email, username: user.username, firstName: user.first_name, lastName: user.last_name });
    const lockout = await this.throttle.status(user.email);
    await deps.uow.run(ctx, async (tx) => {
      const at = nowIso(deps.clock);
      if (!(await tx.repos.passwordResets.use(row.id, at))) throw new AppError('auth.reset_link_invalid', RESET_LINK_INVALID_MESSAGE);
      await tx.repos.users.update(user.id, { password: hash });
      await tx.repos.passwordResets.useAllOf(user.id, at);
      const ended = await tx.repos.sessions.deleteForUser(user.id);
      await tx.record({
        action: 'user.password_reset',
        actor: { id: user.id, email: user.email },
        organizationId: user.active_organization_id,
        target: { type: 'user', id: user.id },
        details: { sessions_ended: ended, via: 'email_link' },
      });
      await this.throttle.clearAccountIn(tx, user, lockout);
    });
    return user;
  }

  /** Forgets links expired for a day or more (the server's hourly housekeeping). */
  purgeExpired(): Promise<number> {
    return this.deps.repos.passwordResets.deleteExpired(new Date(this.deps.clock.now().getTime() - 86_400_000).toISOString());
  }

  async #usable(token: string): Promise<{ row: PasswordResetTokenRow; user: UserRow }> {
    const { deps } = this;
    const invalid = new AppError('auth.reset_link_invalid', RESET_LINK_INVALID_MESSAGE);
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw invalid;
    const row = await deps.repos.passwordResets.findByHash(deps.secrets.passwordResets.lookupHash(token));
    if (!row || row.used_at !== null || new Date(row.expires_at) <= deps.clock.now()) throw invalid;
    const user = await deps.repos.users.findById(row.user_id);
    const passwordHash = await deps.repos.users.passwordHash(row.user_id);
    if (!user || !user.is_active || user.deleted_at !== null || passwordHash === undefined) throw invalid;
    // The password changed since the link was sent (another reset, the CLI, the account page): the link is void.
    if (deps.secrets.passwordResets.lookupHash(passwordHash) !== row.password_fingerprint) throw invalid;
    return { row, user };
  }
}
