import { UNUSABLE_PASSWORD } from '#src/auth/password-hasher.js';
import { nowIso, type Clock } from '#src/clock.js';
import { emailProblem, normalizeEmail } from '#src/domain/email.js';
import { AppError, type ValidationErrors } from '#src/errors.js';
import { hotkeysProblem } from '#src/domain/hotkeys.js';
import { DEFAULT_MEMBER_ROLE, roleAllows } from '#src/policies/permissions.js';
import type { Repositories, UnitOfWork } from '#src/repositories/index.js';
import type { DirectoryEntry } from '#src/repositories/user-directory.repository.js';
import type { UserRow, UserUpdate } from '#src/storage/schema.js';
import type { Actor } from '#src/services/access.service.js';
import type { AvatarFileStore } from '#src/services/avatar.service.js';
import type { LegacyTokenService } from '#src/services/legacy-token.service.js';
import {
  dummyPasswordHash,
  hashPassword,
  PASSWORD_LENGTH_MESSAGE,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  verifyPassword,
} from '#src/services/password.service.js';

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
export const EMAIL_READ_ONLY_MESSAGE = 'Cannot update read-only field: email';
export const OWNER_UNDELETABLE_MESSAGE = 'The organization owner cannot be deleted';
export const ONLY_OWNER_DELETES_MESSAGE = 'Only the organization owner can delete users';

/** Editable profile fields (PATCH /api/users/{id}/, /api/current-user). Absent fields stay as they are. */
export interface ProfileChanges {
  firstName?: string;
  lastName?: string;
  username?: string;
  phone?: string;
  allowNewsletters?: boolean | null;
  customHotkeys?: unknown;
  activeOrganizationId?: number;
  /** True when the body carried `email`: the rest is saved, then the call answers 405. */
  emailGiven?: boolean;
}

/** POST /api/users/. */
export interface NewMemberInput {
  email: string;
  username: string;
  password?: string | null;
  firstName?: string;
  lastName?: string;
  phone?: string;
  allowNewsletters?: boolean | null;
  customHotkeys?: unknown;
}

/** Accounts: creation, lookup, passwords. */
export class UserService {
  constructor(
    private readonly repos: Repositories,
    private readonly transaction: UnitOfWork,
    private readonly legacyTokens: LegacyTokenService,
    private readonly clock: Clock,
    private readonly avatarFiles?: AvatarFileStore,
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

  /** Everyone with a membership (removed or not) in the actor's organization, by id, in one query. */
  listInOrganization(actor: Actor): Promise<DirectoryEntry[]> {
    return this.repos.userDirectory.list(actor.organizationId);
  }

  /** One user of the actor's organization (removed members included); 404 for anyone else. */
  async findInOrganization(actor: Actor, userId: number): Promise<DirectoryEntry> {
    const entry = await this.repos.userDirectory.find(actor.organizationId, userId);
    if (!entry) throw AppError.notFound();
    return entry;
  }

  /** A user the actor may change: themself, or anyone in their organization for owners and administrators. */
  async findChangeable(actor: Actor, userId: number): Promise<DirectoryEntry> {
    const entry = await this.findInOrganization(actor, userId);
    if (userId !== actor.user.id && !roleAllows(actor.role, 'users.change_others')) throw AppError.forbidden();
    return entry;
  }

  /**
   * Creates a user who joins the actor's organization with the default role (whatever organization the body
   * names), with a password when one is given so they can log in.
   */
  async createMember(actor: Actor, input: NewMemberInput): Promise<DirectoryEntry> {
    const username = input.username.trim();
    const problems: ValidationErrors = {};
    if (!username) problems.username = ['This field may not be blank.'];
    const passwordLength = input.password == null ? undefined : [...input.password].length;
    if (passwordLength !== undefined && (passwordLength < PASSWORD_MIN_LENGTH || passwordLength > PASSWORD_MAX_LENGTH)) {
      problems.password = [PASSWORD_LENGTH_MESSAGE];
    }
    const hotkeys = input.customHotkeys === undefined ? null : hotkeysProblem(input.customHotkeys);
    if (hotkeys) problems.custom_hotkeys = [hotkeys];
    if (Object.keys(problems).length > 0) throw AppError.validation(problems);
    const id = await this.transaction(async (r) => {
      const user = await this.createUser(
        {
          email: input.email,
          password: input.password,
          username,
          firstName: input.firstName?.trim(),
          lastName: input.lastName?.trim(),
          phone: input.phone?.trim(),
          allowNewsletters: input.allowNewsletters,
        },
        r,
      );
      await r.memberships.insert(user.id, actor.organizationId, DEFAULT_MEMBER_ROLE, nowIso(this.clock));
      await r.users.update(user.id, {
        active_organization_id: actor.organizationId,
        custom_hotkeys: JSON.stringify(input.customHotkeys ?? {}),
      });
      return user.id;
    });
    return this.findInOrganization(actor, id);
  }

  /** PATCH /api/users/{id}/: saves the changes, then answers 405 if `email` was sent (Label Studio's order). */
  async updateInOrganization(actor: Actor, userId: number, changes: ProfileChanges): Promise<DirectoryEntry> {
    await this.findChangeable(actor, userId);
    await this.applyProfile(userId, changes);
    const entry = await this.findInOrganization(actor, userId);
    if (changes.emailGiven) throw new AppError('method_not_allowed', 405, EMAIL_READ_ONLY_MESSAGE);
    return entry;
  }

  /** PATCH /api/current-user: the caller's own profile, the same rules. */
  async updateSelf(user: UserRow, changes: ProfileChanges): Promise<UserRow> {
    await this.applyProfile(user.id, changes);
    if (changes.emailGiven) throw new AppError('method_not_allowed', 405, EMAIL_READ_ONLY_MESSAGE);
    return this.getById(user.id);
  }

  /**
   * Hard-deletes a user of the actor's organization. Owners of an organization are never deleted; only the
   * owner role deletes; nobody deletes themself; and a user who still belongs to another organization is
   * refused, so one organization cannot erase another's member.
   */
  async deleteFromOrganization(actor: Actor, userId: number): Promise<void> {
    const entry = await this.findInOrganization(actor, userId);
    if (await this.repos.userDirectory.createdAnOrganization(userId)) throw AppError.forbidden(OWNER_UNDELETABLE_MESSAGE);
    if (!roleAllows(actor.role, 'users.delete')) throw AppError.forbidden(ONLY_OWNER_DELETES_MESSAGE);
    if (userId === actor.user.id) throw AppError.forbidden('You cannot delete your own account.');
    const memberships = await this.repos.memberships.listActiveForUser(userId);
    if (memberships.some((m) => m.organization_id !== actor.organizationId)) {
      throw AppError.forbidden('This user is a member of another organization and cannot be deleted from here.');
    }
    await this.repos.userDirectory.remove(userId);
    await this.avatarFiles?.remove(entry.user.avatar);
  }

  /** Checks and writes profile changes in one UPDATE; every problem is reported at once. */
  private async applyProfile(userId: number, changes: ProfileChanges): Promise<void> {
    const update: UserUpdate = {};
    const problems: ValidationErrors = {};
    if (changes.firstName !== undefined) update.first_name = changes.firstName.trim();
    if (changes.lastName !== undefined) update.last_name = changes.lastName.trim();
    if (changes.phone !== undefined) update.phone = changes.phone.trim();
    if (changes.allowNewsletters !== undefined) update.allow_newsletters = changes.allowNewsletters;
    if (changes.username !== undefined) {
      const username = changes.username.trim();
      if (username) update.username = username;
      else problems.username = ['This field may not be blank.'];
    }
    if (changes.customHotkeys !== undefined) {
      const problem = hotkeysProblem(changes.customHotkeys);
      if (problem) problems.custom_hotkeys = [problem];
      else update.custom_hotkeys = JSON.stringify(changes.customHotkeys);
    }
    const organizationId = changes.activeOrganizationId;
    if (organizationId !== undefined) {
      // Only an organization where the user is still a member: anything else would be a way in.
      const membership = await this.repos.memberships.find(userId, organizationId);
      if (membership?.deleted_at === null) update.active_organization_id = organizationId;
      else problems.active_organization = [`Invalid pk "${organizationId}" - object does not exist.`];
    }
    if (Object.keys(problems).length > 0) throw AppError.validation(problems);
    if (Object.keys(update).length > 0) await this.repos.users.update(userId, update);
  }
}
