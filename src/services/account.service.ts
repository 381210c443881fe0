import { dummyPasswordHash, hashPassword, UNUSABLE_PASSWORD, verifyPassword } from '#src/auth/password-hasher.js';
import { nowIso } from '#src/clock.js';
import { DUPLICATE_EMAIL_MESSAGE, emailProblem, normalizeEmail } from '#src/domain/email.js';
import { passwordProblems, type PasswordOwner } from '#src/domain/password-policy.js';
import { AppError } from '#src/errors.js';
import type { ActionContext } from '#src/policies/action-context.js';
import type { LegacyTokenService } from '#src/services/legacy-token.service.js';
import type { ServiceDeps } from '#src/services/service-deps.js';
import type { Tx } from '#src/services/unit-of-work.js';
import type { UserRow } from '#src/storage/schema.js';

/** A new account. The password arrives hashed: hashing inside a transaction would hold the database for ~50 ms. */
export interface NewAccount {
  email: string;
  /** An argon2id hash, or null: the account cannot log in with a password until one is set. */
  passwordHash: string | null;
  username?: string;
  firstName?: string;
  lastName?: string;
  phone?: string;
  allowNewsletters?: boolean | null;
  isStaff?: boolean;
  isSuperuser?: boolean;
  customHotkeys?: string;
  /** Legacy API token to give the user instead of a random one. */
  legacyToken?: string;
}

/** Accounts: creation, lookup, credentials, passwords. */
export class AccountService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly legacyTokens: LegacyTokenService,
  ) {}

  findByEmail(email: string): Promise<UserRow | undefined> {
    return this.deps.repos.users.findByEmail(normalizeEmail(email));
  }

  async getById(id: number): Promise<UserRow> {
    const user = await this.deps.repos.users.findById(id);
    if (!user) throw AppError.notFound();
    return user;
  }

  /** Title and owner e-mail of the user's active organization (`active_organization_meta`). */
  async organizationMeta(user: UserRow): Promise<{ title: string; email: string } | undefined> {
    return user.active_organization_id === null ? undefined : this.deps.repos.organizations.meta(user.active_organization_id);
  }

  /**
   * Checks a new password against the one rule (length, common, numeric, like the person's e-mail or names) and
   * hashes it; every problem is reported under `password`.
   */
  async hashNewPassword(password: string, owner: PasswordOwner): Promise<string> {
    const problems = await passwordProblems(password, owner);
    if (problems.length > 0) throw AppError.validation({ password: problems });
    return hashPassword(password);
  }

  /** Step: creates a user with their legacy API token. A taken e-mail is a 400 (also when two requests race). */
  async create(tx: Tx, input: NewAccount): Promise<UserRow> {
    const email = normalizeEmail(input.email);
    const problem = emailProblem(email);
    if (problem) throw AppError.validation({ email: [problem] });
    if (await tx.repos.users.findByEmail(email)) throw AppError.validation({ email: [DUPLICATE_EMAIL_MESSAGE] }, 'user.email_taken');
    const user = await tx.repos.users.insert({
      email,
      username: input.username ?? '',
      password: input.passwordHash ?? UNUSABLE_PASSWORD,
      first_name: input.firstName ?? '',
      last_name: input.lastName ?? '',
      phone: input.phone ?? '',
      avatar: null,
      custom_hotkeys: input.customHotkeys ?? '{}',
      is_staff: input.isStaff ?? false,
      is_superuser: input.isSuperuser ?? false,
      is_active: true,
      allow_newsletters: input.allowNewsletters ?? null,
      date_joined: nowIso(this.deps.clock),
      last_login: null,
      last_activity: null,
      active_organization_id: null,
    });
    await this.legacyTokens.issue(tx, user.id, input.legacyToken);
    return user;
  }

  /**
   * Sets a new password and ends the user's web sessions; returns how many were ended. `checkRules: false` only for
   * the start-up user of `init`/`start`, whose password the operator chose on the command line (Label Studio's rule).
   */
  async setPassword(ctx: ActionContext, userId: number, newPassword: string, options: { checkRules: boolean }): Promise<number> {
    const user = await this.getById(userId);
    const hash = options.checkRules
      ? await this.hashNewPassword(newPassword, { email: user.email, username: user.username, firstName: user.first_name, lastName: user.last_name })
      : await hashPassword(newPassword);
    return this.deps.uow.run(ctx, async (tx) => {
      await tx.repos.users.update(userId, { password: hash });
      const ended = await tx.repos.sessions.deleteForUser(userId);
      // Your own change, or someone resetting it for you (the CLI, later the recovery link).
      const action = ctx.principal?.id === userId ? 'user.password_changed' : 'user.password_reset';
      await tx.record({ action, target: { type: 'user', id: userId }, organizationId: user.active_organization_id, details: { sessions_ended: ended } });
      return ended;
    });
  }

  /** True when `password` is the user's current password. */
  async isCurrentPassword(userId: number, password: string): Promise<boolean> {
    const hash = await this.deps.repos.users.passwordHash(userId);
    return hash !== undefined && (await verifyPassword(password, hash)).ok;
  }

  /**
   * Checks e-mail and password; returns the active user or undefined. Unknown e-mails cost the same hash as known
   * ones. An older hash (Django PBKDF2) is replaced by argon2id on success.
   */
  async verifyCredentials(ctx: ActionContext, email: string, password: string): Promise<UserRow | undefined> {
    const credentials = await this.deps.repos.users.findCredentials(normalizeEmail(email));
    const check = await verifyPassword(password, credentials?.password ?? (await dummyPasswordHash()));
    if (!credentials || !check.ok) return undefined;
    const user = await this.deps.repos.users.findById(credentials.id);
    if (!user?.is_active) return undefined;
    if (check.needsRehash) {
      const hash = await hashPassword(password);
      await this.deps.uow.run(ctx, (tx) => tx.repos.users.update(user.id, { password: hash }));
    }
    return user;
  }
}
