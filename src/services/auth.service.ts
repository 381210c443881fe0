import { hashPassword } from '#src/auth/password-hasher.js';
import { signedClaims, type JwtClaims } from '#src/auth/jwt.js';
import { RecentMemo } from '#src/auth/recent-memo.js';
import { emailProblem, normalizeEmail } from '#src/domain/email.js';
import { passwordProblems } from '#src/domain/password-policy.js';
import { AppError } from '#src/errors.js';
import type { ActionContext } from '#src/policies/action-context.js';
import { DEACTIVATED_MESSAGE, PENDING_MESSAGE } from '#src/policies/actor-resolver.js';
import { isActiveRole } from '#src/policies/permissions.js';
import type { AccountService } from '#src/services/account.service.js';
import type { LegacyTokenService } from '#src/services/legacy-token.service.js';
import type { LoginThrottleService } from '#src/services/login-throttle.service.js';
import { DEFAULT_ORGANIZATION_TITLE, type OrganizationService } from '#src/services/organization.service.js';
import type { ServiceDeps } from '#src/services/service-deps.js';
import type { SessionService } from '#src/services/session.service.js';
import type { TwoFactorLoginService } from '#src/services/two-factor-login.service.js';
import type { Tx } from '#src/services/unit-of-work.js';
import type { UserRow } from '#src/storage/schema.js';

export const INVALID_LOGIN_MESSAGE = "The email and password you entered don't match.";
export const LEGACY_DISABLED_MESSAGE =
  'Authentication token no longer valid: legacy token authentication has been disabled for this organization';
export const SIGNUP_CLOSED_MESSAGE = 'Sign-up is by invitation only. Ask an administrator for an invite link.';
export const INVITE_INVALID_MESSAGE = 'The invite link is no longer valid. Ask for a new one.';

export interface SignupInput {
  email: string;
  password: string;
  allowNewsletters: boolean;
  inviteToken: string | undefined;
}

export interface LoginResult {
  user: UserRow;
  /** Value for the session cookie. */
  sessionCookie: string;
  /** How long the session may live (the organization's session policy): the lifetime of a kept cookie. */
  sessionMaxAgeSeconds: number;
}

/** A right password of a user with two-factor sign-in: no session yet, a pending login waiting for a code. */
export interface SecondFactorRequired {
  user: UserRow;
  /** Value for the pending-login cookie the second page reads. */
  challengeCookie: string;
}

/** A sign-up: logged in at once, or (an organization whose default role is pending) waiting for approval. */
export type SignupResult = (LoginResult & { pending: false }) | { user: UserRow; pending: true };

/** The services whose steps sign-up and login compose. */
export interface AuthCollaborators {
  accounts: AccountService;
  organizations: OrganizationService;
  sessions: SessionService;
  legacyTokens: LegacyTokenService;
  loginThrottle: LoginThrottleService;
  twoFactorLogin: TwoFactorLoginService;
}

/** Proving who someone is: tokens, login, sign-up, logout. */
export class AuthService {
  /** Access tokens whose signature checked out (expiry is checked on every use). */
  readonly #signed = new RecentMemo<JwtClaims | null>(4_096);

  constructor(
    private readonly deps: ServiceDeps,
    private readonly services: AuthCollaborators,
  ) {}

  /** The user of a legacy `Token` key, with Label Studio's 401 messages. */
  async userForLegacyToken(key: string): Promise<UserRow> {
    const { reads } = this.deps;
    const userId = await this.services.legacyTokens.userIdForKey(key);
    const user = userId === undefined ? undefined : await reads.user(userId);
    if (!user) throw new AppError('auth.invalid_token', 'Invalid token.');
    if (!user.is_active) throw new AppError('auth.invalid_token', 'User inactive or deleted.');
    // Without an active organization the key authenticates, and authorization answers 403 for everything.
    if (user.active_organization_id === null) return user;
    const org = await reads.organization(user.active_organization_id);
    if (!org?.legacy_api_tokens_enabled) throw new AppError('auth.invalid_token', LEGACY_DISABLED_MESSAGE);
    return user;
  }

  /** The user of a valid `Bearer` access token, when the organization allows personal access tokens. */
  async userForAccessToken(token: string): Promise<UserRow | undefined> {
    const { reads, clock, secrets } = this.deps;
    const claims = this.#signed.get(token, (value) => signedClaims(value, secrets.jwtKey) ?? null);
    if (claims?.token_type !== 'access' || claims.exp <= Math.floor(clock.now().getTime() / 1000)) return undefined;
    const user = await reads.user(claims.user_id);
    if (!user?.is_active || user.active_organization_id === null) return undefined;
    const org = await reads.organization(user.active_organization_id);
    return org?.api_tokens_enabled ? user : undefined;
  }

  /**
   * Logs in by e-mail and password. The active organization becomes one where the user is an active member; a user
   * removed from every organization cannot log in (Label Studio let them back in), and a deactivated or pending one
   * is told so.
   */
  async login(ctx: ActionContext, email: string, password: string, keepLoggedIn: boolean): Promise<LoginResult | SecondFactorRequired> {
    const normalized = normalizeEmail(email);
    if (normalized.length > 255) throw AppError.validation({ email: ['Email is too long'] });
    const user = await this.#checkPassword(ctx, normalized, password);
    const invalid = () => AppError.validation({ non_field_errors: [INVALID_LOGIN_MESSAGE] }, 'auth.invalid_credentials');
    if (!user) return this.#refuse(ctx, normalized, invalid());
    const live = await this.deps.repos.memberships.listActiveForUser(user.id);
    const usable = live.filter((m) => isActiveRole(m.role));
    const active = usable.find((m) => m.organization_id === user.active_organization_id) ?? usable[0];
    if (!active) {
      if (live.some((m) => m.role === 'DI')) {
        const refusal = new AppError('membership.deactivated', DEACTIVATED_MESSAGE, { validationErrors: { non_field_errors: [DEACTIVATED_MESSAGE] } });
        return this.#refuse(ctx, normalized, refusal, user);
      }
      if (live.some((m) => m.role === 'NO')) {
        const refusal = new AppError('membership.pending', PENDING_MESSAGE, { validationErrors: { non_field_errors: [PENDING_MESSAGE] } });
        return this.#refuse(ctx, normalized, refusal, user);
      }
      return this.#refuse(ctx, normalized, invalid(), user);
    }
    // Second factor: a user with two-factor sign-in gets a pending login, and the session opens only with a right
    // code (loginWithSecondFactor).
    const challengeCookie = await this.services.twoFactorLogin.challenge(ctx, user, active.organization_id, keepLoggedIn);
    if (challengeCookie !== undefined) return { user, challengeCookie };
    const sessionCookie = await this.deps.uow.run(ctx, async (tx) => {
      const cookie = await this.#startSession(tx, user.id, active.organization_id, keepLoggedIn);
      await tx.record({ action: 'auth.logged_in', actor: { id: user.id, email: user.email }, organizationId: active.organization_id, target: { type: 'user', id: user.id } });
      return cookie;
    });
    const sessionMaxAgeSeconds = await this.services.sessions.maxAgeSeconds(active.organization_id);
    return { user: await this.services.accounts.getById(user.id), sessionCookie, sessionMaxAgeSeconds };
  }

  /**
   * The password check of a login, under the login limits (per account and per client address, shared by every
   * server): a locked-out or throttled attempt is refused (429) before any password is checked.
   */
  #checkPassword(ctx: ActionContext, email: string, password: string): Promise<UserRow | undefined> {
    return this.services.loginThrottle.guard(ctx, email, () => this.services.accounts.verifyCredentials(ctx, email, password));
  }

  /**
   * The login's second step: the code (or a recovery code) for a pending login. Right, the session opens in the same
   * transaction that spends the code; wrong, the failure is counted and logged, then refused.
   */
  async loginWithSecondFactor(ctx: ActionContext, challengeCookie: string | undefined, code: string): Promise<LoginResult & { keepLoggedIn: boolean }> {
    const outcome = await this.deps.uow.run(ctx, async (tx) => {
      const passed = await this.services.twoFactorLogin.pass(tx, challengeCookie, code);
      if (!passed.ok) return passed;
      const { user, organizationId } = passed;
      const sessionCookie = await this.#startSession(tx, user.id, organizationId, passed.keepLoggedIn);
      await tx.record({ action: 'auth.logged_in', actor: { id: user.id, email: user.email }, organizationId, target: { type: 'user', id: user.id }, details: { second_factor: passed.method } });
      return { ok: true as const, userId: user.id, organizationId, sessionCookie, keepLoggedIn: passed.keepLoggedIn };
    });
    if (!outcome.ok) throw outcome.refusal;
    const { sessionCookie, keepLoggedIn } = outcome;
    const sessionMaxAgeSeconds = await this.services.sessions.maxAgeSeconds(outcome.organizationId);
    return { user: await this.services.accounts.getById(outcome.userId), sessionCookie, sessionMaxAgeSeconds, keepLoggedIn };
  }

  /** Web sign-up (§5.1): invite-token gating, the password rule, membership, then a logged-in session. */
  async signup(ctx: ActionContext, input: SignupInput): Promise<SignupResult> {
    const { organizations, accounts } = this.services;
    const target = input.inviteToken ? await organizations.findByInviteToken(input.inviteToken) : await organizations.findFirst();
    if (input.inviteToken && !target) throw AppError.forbidden(INVITE_INVALID_MESSAGE, 'auth.invite_invalid');
    if (this.deps.config.security.disableSignupWithoutLink && !input.inviteToken) {
      throw AppError.forbidden(SIGNUP_CLOSED_MESSAGE, 'auth.signup_closed');
    }
    const email = normalizeEmail(input.email);
    const errors: Record<string, string[]> = {};
    const emailIssue = input.email.trim() === '' ? 'Invalid email' : emailProblem(email);
    if (emailIssue) errors.email = [emailIssue];
    const passwordIssues = await passwordProblems(input.password, { email });
    if (passwordIssues.length > 0) errors.password = passwordIssues;
    if (!errors.email && (await accounts.findByEmail(email))) errors.email = ['User with this email already exists'];
    if (Object.keys(errors).length > 0) throw AppError.validation(errors);
    const passwordHash = await hashPassword(input.password);

    // The new user is logged in from the same transaction: the password was just hashed, verifying it again would only cost time.
    const { userId, sessionCookie } = await this.deps.uow.run(ctx, async (tx): Promise<{ userId: number; sessionCookie: string | undefined }> => {
      const created = await accounts.create(tx, {
        email,
        passwordHash,
        username: email.split('@')[0] ?? '',
        allowNewsletters: input.allowNewsletters,
      });
      const org = target ?? (await organizations.create(tx, DEFAULT_ORGANIZATION_TITLE, created.id));
      // Sign-ups get the organization's default role; with `NO` they wait for an administrator's approval.
      if (target) await organizations.addMember(tx, target.id, created.id, target.default_role);
      const role = target ? target.default_role : 'OW';
      const actor = { id: created.id, email: created.email };
      if (!target) await tx.record({ action: 'organization.created', actor, organizationId: org.id, target: { type: 'organization', id: org.id } });
      await tx.record({ action: 'auth.signed_up', actor, organizationId: org.id, target: { type: 'user', id: created.id }, details: { invited: input.inviteToken !== undefined, role } });
      return { userId: created.id, sessionCookie: isActiveRole(role) ? await this.#startSession(tx, created.id, org.id, true) : undefined };
    });
    const user = await accounts.getById(userId);
    if (sessionCookie === undefined) return { user, pending: true };
    return { user, sessionCookie, sessionMaxAgeSeconds: await this.services.sessions.maxAgeSeconds(user.active_organization_id), pending: false };
  }

  async logout(ctx: ActionContext, sessionCookie: string | undefined): Promise<void> {
    if (!sessionCookie) return;
    await this.deps.uow.run(ctx, async (tx) => {
      await this.services.sessions.end(tx, sessionCookie);
      if (ctx.principal) await tx.record({ action: 'auth.logged_out', target: { type: 'user', id: ctx.principal.id } });
    });
  }

  /**
   * Records a refused login in a transaction of its own (the refusal itself changes nothing), then throws the
   * refusal. Unknown e-mails are logged against no organization: no organization's log may learn of them.
   */
  async #refuse(ctx: ActionContext, email: string, refusal: AppError, user?: UserRow): Promise<never> {
    await this.deps.uow.run(ctx, (tx) =>
      tx.record({
        action: 'auth.login_failed',
        actor: user ? { id: user.id, email: user.email } : undefined,
        organizationId: user?.active_organization_id ?? null,
        target: user ? { type: 'user', id: user.id } : undefined,
        responseCode: refusal.status,
        details: { email, reason: refusal.code },
      }),
    );
    throw refusal;
  }

  /** Stamps the login and opens a session in `organizationId`. */
  async #startSession(tx: Tx, userId: number, organizationId: number, keepLoggedIn: boolean): Promise<string> {
    const now = this.deps.clock.now().toISOString();
    await tx.repos.users.update(userId, { last_login: now, last_activity: now, active_organization_id: organizationId });
    return this.services.sessions.start(tx, userId, keepLoggedIn);
  }
}
