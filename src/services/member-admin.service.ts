import { randomBytes } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { UNUSABLE_PASSWORD } from '#src/auth/password-hasher.js';
import { nowIso } from '#src/clock.js';
import { hotkeysProblem } from '#src/domain/hotkeys.js';
import { AppError, type ValidationErrors } from '#src/errors.js';
import type { MemberContext } from '#src/policies/action-context.js';
import { DEFAULT_MEMBER_ROLE } from '#src/policies/permissions.js';
import { assertTarget, type TargetFacts } from '#src/policies/target-rules.js';
import type { DirectoryEntry } from '#src/repositories/user-directory.repository.js';
import type { AccountService, NewAccount } from '#src/services/account.service.js';
import type { ProfileService } from '#src/services/profile.service.js';
import type { ServiceDeps } from '#src/services/service-deps.js';
import type { Tx } from '#src/services/unit-of-work.js';
import type { MembershipRow, RoleCode, UserRow } from '#src/storage/schema.js';

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

/** A new member checked and ready to insert: the password already hashed (or null: they cannot log in yet). */
export interface PreparedMember extends NewAccount {
  username: string;
  customHotkeys: string;
}

/** A deletion about to happen: who, their role in the organization, their live memberships, and the rule's facts. */
export interface Deletion {
  organizationId: number;
  user: UserRow;
  role: RoleCode;
  memberships: MembershipRow[];
  facts: TargetFacts;
}

/** The users of an organization as administrators manage them: list, create, delete for good. */
export class MemberAdminService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly accounts: AccountService,
    private readonly profiles: ProfileService,
  ) {}

  /**
   * Everyone with a membership (removed or not) in the actor's organization, by id, in chunks of a fixed size read one
   * after the other (keyset on the user id): any number of users, in bounded memory, never holding the event loop.
   */
  async *list(ctx: MemberContext): AsyncGenerator<DirectoryEntry[]> {
    const { userDirectory } = this.deps.repos;
    let after = 0;
    for (;;) {
      const chunk = await userDirectory.listAfter(ctx.actor.organizationId, after, this.deps.streamChunkRows);
      if (chunk.length > 0) yield chunk;
      const last = chunk[chunk.length - 1];
      if (!last || chunk.length < this.deps.streamChunkRows) return;
      after = last.user.id;
      await nextTurn();
    }
  }

  find(ctx: MemberContext, userId: number): Promise<DirectoryEntry> {
    return this.profiles.findInOrganization(ctx, userId);
  }

  /**
   * Creates a user who joins the actor's organization with the default role (whatever organization the body
   * names), with a password when one is given so they can log in.
   */
  async create(ctx: MemberContext, input: NewMemberInput): Promise<DirectoryEntry> {
    const prepared = await this.prepareNewMember(input);
    const user = await this.deps.uow.run(ctx, (tx) => this.addNewMember(tx, ctx.actor.organizationId, prepared, DEFAULT_MEMBER_ROLE));
    return this.profiles.findInOrganization(ctx, user.id);
  }

  /**
   * Checks a new member's fields and the password rule, and hashes the password: everything that comes before the
   * transaction (hashing inside it would hold the database). Every problem is reported at once.
   */
  async prepareNewMember(input: NewMemberInput): Promise<PreparedMember> {
    const username = input.username.trim();
    const problems: ValidationErrors = {};
    if (!username) problems.username = ['This field may not be blank.'];
    const hotkeys = input.customHotkeys === undefined ? null : hotkeysProblem(input.customHotkeys);
    if (hotkeys) problems.custom_hotkeys = [hotkeys];
    let passwordHash: string | null = null;
    if (input.password != null) {
      try {
        passwordHash = await this.accounts.hashNewPassword(input.password, {
          email: input.email,
          username,
          firstName: input.firstName,
          lastName: input.lastName,
        });
      } catch (error) {
        if (!(error instanceof AppError) || !error.validationErrors) throw error;
        Object.assign(problems, error.validationErrors);
      }
    }
    if (Object.keys(problems).length > 0) throw AppError.validation(problems);
    return {
      email: input.email,
      passwordHash,
      username,
      firstName: input.firstName?.trim(),
      lastName: input.lastName?.trim(),
      phone: input.phone?.trim(),
      allowNewsletters: input.allowNewsletters,
      customHotkeys: JSON.stringify(input.customHotkeys ?? {}),
    };
  }

  /** Step: creates the account, a membership with `role` in the organization (now their active one), and the log entry. */
  async addNewMember(tx: Tx, organizationId: number, member: PreparedMember, role: RoleCode): Promise<UserRow> {
    const created = await this.accounts.create(tx, member);
    await tx.repos.memberships.insert(created.id, organizationId, role, nowIso(this.deps.clock));
    await tx.repos.users.update(created.id, { active_organization_id: organizationId });
    await tx.record({ action: 'user.created', organizationId, target: { type: 'user', id: created.id }, details: { email: created.email, role } });
    return created;
  }

  /**
   * Deletes an account for good, within the `delete_user` target rule (never an organization's creator, never
   * yourself, never a higher role, never someone another organization still has). The row stays as "Deleted User" so
   * everything they made stays attributed; their e-mail is freed, their password, tokens and sessions end, and they
   * need a new invitation to return. Their avatar file goes once the deletion is committed.
   */
  async delete(ctx: MemberContext, userId: number): Promise<void> {
    const entry = await this.profiles.findInOrganization(ctx, userId);
    // Someone already deleted, or no longer a member here, is not this organization's to delete.
    if (entry.membershipDeletedAt !== null || entry.user.deleted_at !== null) throw AppError.notFound();
    const deletion = await this.planDeletion(ctx.actor.organizationId, entry);
    assertTarget('delete_user', ctx.actor, deletion.facts);
    await this.deps.uow.run(ctx, (tx) => this.erase(tx, deletion));
  }

  /** What deleting this user of the organization involves, with the facts the deletion rules judge it by. */
  async planDeletion(organizationId: number, entry: DirectoryEntry): Promise<Deletion> {
    const { repos } = this.deps;
    const userId = entry.user.id;
    const memberships = await repos.memberships.listActiveForUser(userId);
    return {
      organizationId,
      user: entry.user,
      role: entry.membershipRole,
      memberships,
      facts: {
        userId,
        role: entry.membershipRole,
        createdAnOrganization: await repos.users.createdAnOrganization(userId),
        memberElsewhere: memberships.some((m) => m.organization_id !== organizationId),
      },
    };
  }

  /** Step: anonymises the account ("Deleted User"), ends its memberships, tokens and sessions, and logs it. */
  async erase(tx: Tx, deletion: Deletion): Promise<void> {
    const { user } = deletion;
    const userId = user.id;
    const at = nowIso(this.deps.clock);
    await tx.repos.users.update(userId, {
      email: `deleted-${userId}-${randomBytes(6).toString('hex')}@deleted.invalid`,
      username: `deleted-${userId}`,
      first_name: '',
      last_name: '',
      phone: '',
      avatar: null,
      custom_hotkeys: '{}',
      password: UNUSABLE_PASSWORD,
      is_active: false,
      allow_newsletters: null,
      active_organization_id: null,
      deleted_at: at,
    });
    for (const membership of deletion.memberships) await tx.repos.memberships.markDeleted(membership.id, at);
    await tx.repos.legacyTokens.deleteForUser(userId);
    await tx.repos.personalTokens.deleteForUser(userId);
    await tx.repos.sessions.deleteForUser(userId);
    await tx.repos.twoFactor.deleteForUser(userId);
    if (user.avatar) await this.deps.files.remove(tx, user.avatar);
    await tx.record({
      action: 'user.deleted',
      organizationId: deletion.organizationId,
      target: { type: 'user', id: userId },
      details: { email: user.email, role: deletion.role },
    });
  }
}
