import { UNUSABLE_PASSWORD } from '#src/auth/password-hasher.js';
import { nowIso, type Clock } from '#src/clock.js';
import { emailProblem, normalizeEmail } from '#src/domain/email.js';
import { AppError } from '#src/errors.js';
import type { Repositories, UnitOfWork } from '#src/repositories/index.js';
import type { UserRow } from '#src/storage/schema.js';
import type { LegacyTokenService } from '#src/services/legacy-token.service.js';
import { dummyPasswordHash, hashPassword, verifyPassword } from '#src/services/password.service.js';

export interface NewUserInput {
  email: string;
  /** Omitted or null: the account cannot log in with a password until one is set. */
  password?: string | null;
  username?: string;
  firstName?: string;
  lastName?: string;
  phone?: string;
  allowNewsletters?: boolean | null;
  isStaff?: boolean;
  isSuperuser?: boolean;
  /** Legacy API token to give the user instead of a random one. */
  legacyToken?: string;
}

export const DUPLICATE_EMAIL_MESSAGE = 'user with this email address already exists.';

/** Accounts: creation, lookup, passwords. */
export class UserService {
  constructor(
    private readonly repos: Repositories,
    private readonly transaction: UnitOfWork,
    private readonly legacyTokens: LegacyTokenService,
    private readonly clock: Clock,
  ) {}

  findByEmail(email: string): Promise<UserRow | undefined> {
    return this.repos.users.findByEmail(normalizeEmail(email));
  }

  async getById(id: number): Promise<UserRow> {
    const user = await this.repos.users.findById(id);
    if (!user) throw AppError.notFound();
    return user;
  }

  /** Title and owner e-mail of the user's active organization (`active_organization_meta`). */
  async organizationMeta(user: UserRow): Promise<{ title: string; email: string } | undefined> {
    return user.active_organization_id === null ? undefined : this.repos.organizations.meta(user.active_organization_id);
  }

  /** Creates a user and its legacy API token in one transaction. */
  async createUser(input: NewUserInput, repos?: Repositories): Promise<UserRow> {
    const email = normalizeEmail(input.email);
    const problem = emailProblem(email);
    if (problem) throw AppError.validation({ email: [problem] });
    const password = input.password ? await hashPassword(input.password) : UNUSABLE_PASSWORD;
    const create = async (r: Repositories): Promise<UserRow> => {
      if (await r.users.findByEmail(email)) throw AppError.validation({ email: [DUPLICATE_EMAIL_MESSAGE] });
      const user = await r.users.insert({
        email,
        username: input.username ?? '',
        password,
        first_name: input.firstName ?? '',
        last_name: input.lastName ?? '',
        phone: input.phone ?? '',
        avatar: null,
        custom_hotkeys: '{}',
        is_staff: input.isStaff ?? false,
        is_superuser: input.isSuperuser ?? false,
        is_active: true,
        allow_newsletters: input.allowNewsletters ?? null,
        date_joined: nowIso(this.clock),
        last_login: null,
        last_activity: null,
        active_organization_id: null,
      });
      await this.legacyTokens.issue(user.id, input.legacyToken, r);
      return user;
    };
    return repos ? create(repos) : this.transaction(create);
  }

  /** Sets a new password and ends the user's web sessions; returns how many sessions were ended. */
  async setPassword(userId: number, newPassword: string): Promise<number> {
    const hash = await hashPassword(newPassword);
    return this.transaction(async (r) => {
      await r.users.update(userId, { password: hash });
      return r.sessions.deleteForUser(userId);
    });
  }

  /** True when `password` is the user's current password. */
  async isCurrentPassword(user: UserRow, password: string): Promise<boolean> {
    return (await verifyPassword(password, user.password)).ok;
  }

  /**
   * Checks e-mail and password; returns the active user or undefined. Unknown e-mails cost the same hash
   * as known ones. An older hash (Django PBKDF2) is replaced by argon2id on success.
   */
  async verifyCredentials(email: string, password: string): Promise<UserRow | undefined> {
    const user = await this.findByEmail(email);
    const check = await verifyPassword(password, user?.password ?? (await dummyPasswordHash()));
    if (!user || !check.ok || !user.is_active) return undefined;
    if (check.needsRehash) await this.repos.users.update(user.id, { password: await hashPassword(password) });
    return user;
  }
}
