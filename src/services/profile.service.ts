import { diffFields } from '#src/domain/audit.js';
import { hotkeysProblem } from '#src/domain/hotkeys.js';
import { AppError, type ValidationErrors } from '#src/errors.js';
import type { MemberContext } from '#src/policies/action-context.js';
import { isActiveRole, type Permission, type PermissionOverrides } from '#src/policies/permissions.js';
import { assertTarget } from '#src/policies/target-rules.js';
import type { DirectoryEntry } from '#src/repositories/user-directory.repository.js';
import type { ServiceDeps } from '#src/services/service-deps.js';
import type { Tx } from '#src/services/unit-of-work.js';
import type { MembershipRow, UserRow, UserUpdate } from '#src/storage/schema.js';

export const EMAIL_READ_ONLY_MESSAGE = 'Cannot update read-only field: email';
export const OWN_ACTIVE_ORGANIZATION_MESSAGE = 'Only the user themself may change their active organization.';

/** Editable profile fields (PATCH /api/users/{id}/, /api/current-user). Absent fields stay as they are. */
export interface ProfileChanges {
  firstName?: string;
  lastName?: string;
  username?: string;
  phone?: string;
  allowNewsletters?: boolean | null;
  customHotkeys?: unknown;
  activeOrganizationId?: number;
  /** True when the body carried `email`: the rest is saved, then the call answers 405 (Label Studio's order). */
  emailGiven?: boolean;
}

const emailReadOnly = () => new AppError('user.email_read_only', EMAIL_READ_ONLY_MESSAGE);

/** What a user's own account page and whoami show. */
export interface OwnAccount {
  user: UserRow;
  /** Title and owner e-mail of their active organization. */
  organizationMeta: { title: string; email: string } | undefined;
  /** Their live memberships, oldest first. */
  memberships: MembershipRow[];
  /** Their active organization's overrides of the permission table (what they may really do there). */
  overrides: PermissionOverrides;
  /** Permissions this server turns off for everyone (creating organizations, when the instance forbids it). */
  disabled: readonly Permission[];
}

/** People's profiles: your own, and (owners, administrators) other members' within the target rules. */
export class ProfileService {
  /** One array for every account: whoami's body is remembered while its parts stay the same objects. */
  readonly #disabled: readonly Permission[];

  constructor(private readonly deps: ServiceDeps) {
    this.#disabled = deps.config.security.allowOrganizationCreation ? [] : ['organizations.create'];
  }

  /** The caller's own account, with their memberships (whoami, GET /api/current-user). */
  async own(ctx: MemberContext): Promise<OwnAccount> {
    const { reads } = this.deps;
    const user = (await reads.user(ctx.actor.user.id)) ?? ctx.actor.user;
    const organizationId = user.active_organization_id;
    const [organizationMeta, memberships, overrides] = await Promise.all([
      organizationId === null ? undefined : reads.organizationMeta(organizationId),
      reads.liveMemberships(user.id),
      organizationId === null ? new Map<string, never>() : this.deps.actors.overridesFor(organizationId),
    ]);
    return { user, organizationMeta, memberships, overrides, disabled: this.#disabled };
  }

  /** One user of the actor's organization (removed members included); 404 for anyone else. */
  async findInOrganization(ctx: MemberContext, userId: number): Promise<DirectoryEntry> {
    const entry = await this.deps.repos.userDirectory.find(ctx.actor.organizationId, userId);
    if (!entry) throw AppError.notFound();
    return entry;
  }

  /**
   * A user the actor may change (themself, or per the `change_user` target rule). Someone removed from the
   * organization is no longer the organization's to change: 404, as for anyone outside it.
   */
  async findChangeable(ctx: MemberContext, userId: number): Promise<DirectoryEntry> {
    const entry = await this.findInOrganization(ctx, userId);
    if (entry.membershipDeletedAt !== null && userId !== ctx.actor.user.id) throw AppError.notFound();
    assertTarget('change_user', ctx.actor, { userId, role: entry.membershipRole });
    return entry;
  }

  /** PATCH /api/current-user: the caller's own profile. */
  async updateSelf(ctx: MemberContext, changes: ProfileChanges): Promise<OwnAccount> {
    await this.deps.uow.run(ctx, (tx) => this.apply(tx, ctx.actor.user, changes));
    if (changes.emailGiven) throw emailReadOnly();
    return this.own(ctx);
  }

  /** PATCH /api/users/{id}/: yourself, or another member within the target rules; never their active organization. */
  async updateUser(ctx: MemberContext, userId: number, changes: ProfileChanges): Promise<DirectoryEntry> {
    const { user } = await this.findChangeable(ctx, userId);
    if (userId !== ctx.actor.user.id && changes.activeOrganizationId !== undefined) {
      throw AppError.forbidden(OWN_ACTIVE_ORGANIZATION_MESSAGE);
    }
    await this.deps.uow.run(ctx, (tx) => this.apply(tx, user, changes));
    const entry = await this.findInOrganization(ctx, userId);
    if (changes.emailGiven) throw emailReadOnly();
    return entry;
  }

  /** Checks and writes profile changes in one UPDATE, with its log entry; every problem is reported at once. */
  private async apply(tx: Tx, user: UserRow, changes: ProfileChanges): Promise<void> {
    const userId = user.id;
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
      // Only a live membership with an active role: anything else would be a way in, or a way to lock yourself out.
      const membership = await tx.repos.memberships.find(userId, organizationId);
      if (membership?.deleted_at === null && isActiveRole(membership.role)) update.active_organization_id = organizationId;
      else problems.active_organization = [`Invalid pk "${organizationId}" - object does not exist.`];
    }
    if (Object.keys(problems).length > 0) throw AppError.validation(problems);
    const changed = diffFields(user, update);
    if (Object.keys(changed).length === 0) return;
    await tx.repos.users.update(userId, update);
    await tx.record({ action: 'user.profile_changed', target: { type: 'user', id: userId }, details: { changes: changed } });
  }
}
