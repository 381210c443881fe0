import { readUnverifiedClaims, verifyJwt } from '#src/auth/jwt.js';
import type { AppConfig } from '#src/config.js';
import type { Clock } from '#src/clock.js';
import { emailProblem, normalizeEmail } from '#src/domain/email.js';
import { AppError } from '#src/errors.js';
import { DEFAULT_MEMBER_ROLE } from '#src/policies/permissions.js';
import type { Repositories, UnitOfWork } from '#src/repositories/index.js';
import type { UserRow } from '#src/storage/schema.js';
import type { LegacyTokenService } from '#src/services/legacy-token.service.js';
import { DEFAULT_ORGANIZATION_TITLE, type OrganizationService } from '#src/services/organization.service.js';
import { PASSWORD_LENGTH_MESSAGE, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '#src/services/password.service.js';
import type { SessionService } from '#src/services/session.service.js';
import type { UserService } from '#src/services/user.service.js';

export const INVALID_LOGIN_MESSAGE = "The email and password you entered don't match.";
export const LEGACY_DISABLED_MESSAGE =
  'Authentication token no longer valid: legacy token authentication has been disabled for this organization';

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
}

/** Proving who someone is: tokens, login, sign-up. */
export class AuthService {
  constructor(
    private readonly repos: Repositories,
    private readonly transaction: UnitOfWork,
    private readonly users: UserService,
    private readonly organizations: OrganizationService,
    private readonly legacyTokens: LegacyTokenService,
    private readonly sessions: SessionService,
    private readonly clock: Clock,
    private readonly jwtKey: Buffer,
    private readonly config: Pick<AppConfig, 'disableSignupWithoutLink'>,
  ) {}

  /** The user of a legacy `Token` key, with Label Studio's 401 messages. */
  async userForLegacyToken(key: string): Promise<UserRow> {
    const userId = await this.legacyTokens.userIdForKey(key);
    const user = userId === undefined ? undefined : await this.repos.users.findById(userId);
    if (!user) throw AppError.unauthenticated('Invalid token.');
    if (!user.is_active) throw AppError.unauthenticated('User inactive or deleted.');
    // A user removed from every organization still authenticates (their own account), and gets 403 on
    // anything organization-scoped; otherwise the organization decides whether legacy tokens are allowed.
    if (user.active_organization_id === null) return user;
    const org = await this.repos.organizations.findById(user.active_organization_id);
    if (!org?.legacy_api_tokens_enabled) throw AppError.unauthenticated(LEGACY_DISABLED_MESSAGE);
    return user;
  }

  /** The user of a valid `Bearer` access token, when the organization allows personal access tokens. */
  async userForAccessToken(token: string): Promise<UserRow | undefined> {
    const claims = verifyJwt(token, this.jwtKey, Math.floor(this.clock.now().getTime() / 1000));
    if (claims?.token_type !== 'access') return undefined;
    const user = await this.repos.users.findById(claims.user_id);
    if (!user?.is_active || user.active_organization_id === null) return undefined;
    const org = await this.repos.organizations.findById(user.active_organization_id);
    return org?.api_tokens_enabled ? user : undefined;
  }

  /** Claims of a token without verifying it (for shape checks only). */
  peekClaims(token: string) {
    return readUnverifiedClaims(token);
  }

  /**
   * Logs in by e-mail and password. The active organization becomes one where the user is still a member;
   * a user removed from every organization cannot log in (Label Studio let them back in).
   */
  async login(email: string, password: string, keepLoggedIn: boolean): Promise<LoginResult> {
    const normalized = normalizeEmail(email);
    if (normalized.length > 255) throw AppError.validation({ email: ['Email is too long'] });
    const user = await this.users.verifyCredentials(normalized, password);
    if (!user) throw AppError.validation({ non_field_errors: [INVALID_LOGIN_MESSAGE] });
    const live = await this.repos.memberships.listActiveForUser(user.id);
    const active = live.find((m) => m.organization_id === user.active_organization_id) ?? live[0];
    if (!active) throw AppError.validation({ non_field_errors: [INVALID_LOGIN_MESSAGE] });
    const now = this.clock.now().toISOString();
    await this.repos.users.update(user.id, { last_login: now, last_activity: now, active_organization_id: active.organization_id });
    const sessionCookie = await this.sessions.start(user.id, keepLoggedIn);
    return { user: { ...user, last_login: now, last_activity: now, active_organization_id: active.organization_id }, sessionCookie };
  }

  /** Web sign-up (§5.1): invite-token gating, password rules, membership, then a logged-in session. */
  async signup(input: SignupInput): Promise<LoginResult> {
    const target = input.inviteToken
      ? await this.repos.organizations.findByToken(input.inviteToken)
      : await this.repos.organizations.findFirst();
    const anyOrg = target ?? (await this.repos.organizations.findFirst());
    if (input.inviteToken && !target) throw AppError.forbidden('The invite link is no longer valid. Ask for a new one.');
    if (this.config.disableSignupWithoutLink && !input.inviteToken) {
      throw AppError.forbidden('Sign-up is by invitation only. Ask an administrator for an invite link.');
    }
    const email = normalizeEmail(input.email);
    const errors: Record<string, string[]> = {};
    const emailIssue = input.email.trim() === '' ? 'Invalid email' : emailProblem(email);
    if (emailIssue) errors.email = [emailIssue];
    if (input.password.length < PASSWORD_MIN_LENGTH || input.password.length > PASSWORD_MAX_LENGTH) {
      errors.password = [PASSWORD_LENGTH_MESSAGE];
    }
    if (!errors.email && (await this.repos.users.findByEmail(email))) errors.email = ['User with this email already exists'];
    if (Object.keys(errors).length > 0) throw AppError.validation(errors);

    const user = await this.transaction(async (repos) => {
      const created = await this.users.createUser(
        { email, password: input.password, username: email.split('@')[0] ?? '', allowNewsletters: input.allowNewsletters },
        repos,
      );
      if (anyOrg) await this.organizations.addMember(anyOrg.id, created.id, DEFAULT_MEMBER_ROLE, repos);
      else await this.organizations.createOrganization(DEFAULT_ORGANIZATION_TITLE, created.id, false, repos);
      return created;
    });
    return this.login(user.email, input.password, true);
  }

  async logout(sessionCookie: string | undefined): Promise<void> {
    if (sessionCookie) await this.sessions.end(sessionCookie);
  }
}
