import { DUPLICATE_EMAIL_MESSAGE, emailProblem, normalizeEmail } from '#src/domain/email.js';
import { AppError } from '#src/errors.js';
import type { ActionContext } from '#src/policies/action-context.js';
import { assertOperatorTarget } from '#src/policies/operator-rules.js';
import { DEFAULT_MEMBER_ROLE, isActiveRole } from '#src/policies/permissions.js';
import { OWNER_BY_TRANSFER_MESSAGE } from '#src/policies/target-rules.js';
import type { MemberFilter, MemberWithUser } from '#src/repositories/membership.repository.js';
import type { AccountService } from '#src/services/account.service.js';
import type { ActivityLogQuery, ActivityLogService } from '#src/services/activity-log.service.js';
import type { Deletion, MemberAdminService } from '#src/services/member-admin.service.js';
import { ASSIGNABLE_ROLES, assertOwnershipRecipient, type MemberLifecycleService } from '#src/services/member-lifecycle.service.js';
import type { ServiceDeps } from '#src/services/service-deps.js';
import type { ActivityLogRow, MembershipRow, OrganizationRow, RoleCode, UserRow } from '#src/storage/schema.js';

export const NO_ORGANIZATION_MESSAGE = 'There is no organization yet: run "label-studio init" first.';

const ROLE_CODES: readonly RoleCode[] = ['OW', 'AD', 'MA', 'RE', 'AN', 'NO', 'DI'];
/** Roles a new user may start with: a deactivated newcomer makes no sense, and there is one owner already. */
const NEW_USER_ROLES: readonly RoleCode[] = ['AD', 'MA', 'RE', 'AN', 'NO'];
/** Roles an activation gives (the owner's moves only by transfer). */
const ACTIVATION_ROLES: readonly RoleCode[] = ['AD', 'MA', 'RE', 'AN'];

/** Reads a role code in any case among `allowed`; OW is refused with its reason (ownership moves only by transfer). */
function roleCode(raw: string, allowed: readonly RoleCode[]): RoleCode {
  const code = raw.trim().toUpperCase();
  if ((allowed as readonly string[]).includes(code)) return code as RoleCode;
  if (code === 'OW') throw AppError.validation({ role: [OWNER_BY_TRANSFER_MESSAGE] });
  throw AppError.validation({ role: [`"${raw}" is not a valid choice. Use one of: ${allowed.join(', ')}.`] });
}

/** How messages name an organization: its title and id (titles need not be unique). */
export function describeOrganization(organization: OrganizationRow): string {
  return `"${organization.title}" (organization ${organization.id})`;
}

/** A member as the operator sees them: the organization, the account and the membership there. */
export interface OperatorMember {
  organization: OrganizationRow;
  user: UserRow;
  membership: MembershipRow;
}

/** The outcome of a role change; `previousRole` equals the current role when nothing changed. */
export interface RoleChange extends OperatorMember {
  previousRole: RoleCode;
}

export interface NewUserInput {
  email: string;
  /** Absent or empty: the account cannot log in until a password is set. */
  password?: string;
  /** Default: Annotator, as for every other way in. */
  role?: string;
  firstName?: string;
  lastName?: string;
}

export interface OwnershipTransfer {
  organization: OrganizationRow;
  owner: OperatorMember;
  previousOwner: OperatorMember;
}

export interface OperatorDeletion extends Deletion {
  organization: OrganizationRow;
}

export interface ActivityLogExport {
  organization: OrganizationRow;
  /** How many entries match when the export starts (the progress total). */
  total: number;
  entries: AsyncGenerator<ActivityLogRow>;
}

export interface OperatorCollaborators {
  accounts: AccountService;
  members: MemberAdminService;
  lifecycle: MemberLifecycleService;
  activityLog: ActivityLogService;
}

/**
 * The operator at the command line: trusted, with no member actor, so no permission table and no role ranks. Each
 * use case takes the command's ActionContext (`cliContext`) and the organization (by id, default the first), reuses
 * the member use cases' transaction steps, keeps the invariants (operator-rules.ts), and records every change in the
 * organization's activity log as the CLI's.
 */
export class OperatorService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly services: OperatorCollaborators,
  ) {}

  /** The organization a command acts in: the one named, or the first (where `init` and sign-ups put people). */
  async organization(id?: number): Promise<OrganizationRow> {
    const { organizations } = this.deps.repos;
    const found = id === undefined ? await organizations.findFirst() : await organizations.findById(id);
    if (!found) throw AppError.notFound(id === undefined ? NO_ORGANIZATION_MESSAGE : `Organization ${id} not found.`);
    return found;
  }

  /** Live members, in the order they joined, optionally only some roles and those matching a search. */
  async listMembers(organizationId: number | undefined, query: { roles?: readonly string[]; search?: string }): Promise<{ organization: OrganizationRow; members: MemberWithUser[] }> {
    const organization = await this.organization(organizationId);
    const { memberships } = this.deps.repos;
    const filter: MemberFilter = {
      deleted: false,
      roles: query.roles?.map((role) => roleCode(role, ROLE_CODES)),
      search: query.search?.trim() || undefined,
    };
    const count = await memberships.countMembers(organization.id, filter);
    const members =
      count === 0
        ? []
        : await memberships.listMembers({ organizationId: organization.id, ...filter, order: { column: 'date_joined', descending: false }, limit: count, offset: 0 });
    return { organization, members };
  }

  /** A live member of the organization, found by e-mail (any case). */
  async member(organizationId: number | undefined, email: string): Promise<OperatorMember> {
    const organization = await this.organization(organizationId);
    const user = await this.userByEmail(email);
    const membership = await this.deps.repos.memberships.find(user.id, organization.id);
    if (!membership) throw AppError.notFound(`${user.email} is not a member of ${describeOrganization(organization)}.`);
    if (membership.deleted_at !== null) throw AppError.notFound(`${user.email} was removed from ${describeOrganization(organization)}.`);
    return { organization, user, membership };
  }

  /** What can be checked before a password is asked for: the organization, the role, a valid e-mail nobody has. */
  async checkNewUser(organizationId: number | undefined, input: { email: string; role?: string }): Promise<{ organization: OrganizationRow; email: string; role: RoleCode }> {
    const organization = await this.organization(organizationId);
    const role = roleCode(input.role ?? DEFAULT_MEMBER_ROLE, NEW_USER_ROLES);
    const email = normalizeEmail(input.email);
    const problem = emailProblem(email);
    if (problem) throw AppError.validation({ email: [problem] });
    if (await this.services.accounts.findByEmail(email)) throw AppError.validation({ email: [DUPLICATE_EMAIL_MESSAGE] }, 'user.email_taken');
    return { organization, email, role };
  }

  /** Creates an account that joins the organization (as its active one); the password follows the one rule. */
  async createUser(ctx: ActionContext, organizationId: number | undefined, input: NewUserInput): Promise<OperatorMember> {
    const { members } = this.services;
    const { organization, email, role } = await this.checkNewUser(organizationId, input);
    const prepared = await members.prepareNewMember({
      email,
      // The API asks for a username; from a shell the e-mail's local part is the natural one.
      username: email.slice(0, email.indexOf('@')),
      password: input.password || null,
      firstName: input.firstName,
      lastName: input.lastName,
    });
    const user = await this.deps.uow.run(ctx, (tx) => members.addNewMember(tx, organization.id, prepared, role));
    return this.member(organization.id, user.email);
  }

  /** Gives a member another role (never OW: ownership moves by transfer; never the owner's role). */
  async setRole(ctx: ActionContext, organizationId: number | undefined, email: string, role: string): Promise<RoleChange> {
    const newRole = roleCode(role, ASSIGNABLE_ROLES);
    return this.changeRole(ctx, await this.member(organizationId, email), newRole);
  }

  /** Deactivates a member: every session and token of theirs is refused from their next request. Never the owner. */
  async deactivate(ctx: ActionContext, organizationId: number | undefined, email: string): Promise<RoleChange> {
    return this.changeRole(ctx, await this.member(organizationId, email), 'DI');
  }

  /**
   * Gives a deactivated or pending member an active role: the one told, else the role a deactivated member had
   * before (kept at deactivation), else Annotator. A member who is already active keeps their role: changing it is
   * `setRole`'s job, and re-running an activation must not demote anyone.
   */
  async activate(ctx: ActionContext, organizationId: number | undefined, email: string, role?: string): Promise<RoleChange> {
    const told = role === undefined ? undefined : roleCode(role, ACTIVATION_ROLES);
    const member = await this.member(organizationId, email);
    const { membership } = member;
    if (isActiveRole(membership.role)) return { ...member, previousRole: membership.role };
    const kept = membership.role === 'DI' ? membership.role_before_deactivation : null;
    return this.changeRole(ctx, member, told ?? kept ?? DEFAULT_MEMBER_ROLE);
  }

  /** Who `deleteUser` would delete, checked against the invariants: what a command shows before it asks to confirm. */
  async deletionTarget(organizationId: number | undefined, email: string): Promise<OperatorDeletion> {
    const organization = await this.organization(organizationId);
    const user = await this.userByEmail(email);
    // Removed members included: their account can still be erased here, as through the API.
    const entry = await this.deps.repos.userDirectory.find(organization.id, user.id);
    if (!entry) throw AppError.notFound(`${user.email} is not a member of ${describeOrganization(organization)}.`);
    const deletion = await this.services.members.planDeletion(organization.id, entry);
    assertOperatorTarget('delete_user', deletion.facts);
    return { ...deletion, organization };
  }

  /** Deletes an account for good; it stays as "Deleted User" so their work stays attributed. */
  async deleteUser(ctx: ActionContext, organizationId: number | undefined, email: string): Promise<OperatorDeletion> {
    const deletion = await this.deletionTarget(organizationId, email);
    await this.deps.uow.run(ctx, (tx) => this.services.members.erase(tx, deletion));
    return deletion;
  }

  /** The transfer `transferOwnership` would make, checked: the new owner and the owner until now. */
  async ownershipTransfer(organizationId: number | undefined, email: string): Promise<OwnershipTransfer> {
    const recipient = await this.member(organizationId, email);
    const { organization } = recipient;
    if (recipient.membership.role === 'OW') throw AppError.validation({ to: [`${recipient.user.email} already owns ${describeOrganization(organization)}.`] });
    const previousOwner = await this.owner(organization);
    assertOwnershipRecipient(previousOwner.user.id, recipient.membership);
    return { organization, owner: recipient, previousOwner };
  }

  /** Makes a member the owner; the owner until now becomes an administrator (there is always exactly one). */
  async transferOwnership(ctx: ActionContext, organizationId: number | undefined, email: string): Promise<OwnershipTransfer> {
    const { organization, owner, previousOwner } = await this.ownershipTransfer(organizationId, email);
    await this.deps.uow.run(ctx, (tx) => this.services.lifecycle.handOver(tx, previousOwner.membership, owner.membership));
    return {
      organization,
      owner: await this.member(organization.id, owner.user.email),
      previousOwner: await this.member(organization.id, previousOwner.user.email),
    };
  }

  /**
   * Removes a user's second factor (authenticator and recovery codes): the way back in for someone locked out, the
   * owner included. Logged in their active organization's activity log, as the CLI's.
   */
  async resetTwoFactor(ctx: ActionContext, email: string): Promise<UserRow> {
    const user = await this.userByEmail(email);
    await this.deps.uow.run(ctx, async (tx) => {
      if (!(await tx.repos.twoFactor.deleteForUser(user.id))) throw new AppError('two_factor.not_enabled', `${user.email} does not use two-factor sign-in.`);
      await tx.record({ action: 'user.two_factor_reset', organizationId: user.active_organization_id, target: { type: 'user', id: user.id }, details: { email: user.email } });
    });
    return user;
  }

  /** Every matching entry of the organization's activity log, newest first, streamed; unknown actions are refused. */
  async activityLogExport(organizationId: number | undefined, query: ActivityLogQuery): Promise<ActivityLogExport> {
    const organization = await this.organization(organizationId);
    const { activityLog } = this.services;
    const total = await this.deps.repos.activityLog.count(activityLog.filterFor(organization.id, query));
    return { organization, total, entries: activityLog.stream(organization.id, query) };
  }

  /**
   * Deletes activity-log entries older than `days` (default: the configured retention), in every organization, as
   * the server's hourly purge does. Zero would mean "keep everything", so it is refused rather than read as "all".
   */
  async purgeActivityLog(ctx: ActionContext, days?: number): Promise<{ days: number; deleted: number }> {
    const keep = days ?? this.deps.config.security.activityLogRetentionDays;
    if (!Number.isInteger(keep) || keep < 1) {
      const why =
        days === undefined
          ? 'No retention is configured (LABEL_STUDIO_ACTIVITY_LOG_RETENTION_DAYS is 0: keep everything): give the number of days to keep.'
          : 'Give a whole number of days to keep, at least 1.';
      throw AppError.validation({ days: [why] });
    }
    return { days: keep, deleted: await this.services.activityLog.purge(keep, ctx) };
  }

  private async changeRole(ctx: ActionContext, member: OperatorMember, newRole: RoleCode): Promise<RoleChange> {
    const { organization, user, membership } = member;
    assertOperatorTarget('change_role', { userId: user.id, role: membership.role, newRole });
    if (membership.role === newRole) return { ...member, previousRole: membership.role };
    await this.deps.uow.run(ctx, (tx) => this.services.lifecycle.applyRole(tx, membership, newRole));
    return { ...(await this.member(organization.id, user.email)), previousRole: membership.role };
  }

  private async owner(organization: OrganizationRow): Promise<OperatorMember> {
    const [row] = await this.deps.repos.memberships.listMembers({
      organizationId: organization.id,
      roles: ['OW'],
      deleted: false,
      order: { column: 'date_joined', descending: false },
      limit: 1,
      offset: 0,
    });
    if (!row) throw AppError.notFound(`${describeOrganization(organization)} has no owner to hand over from.`);
    return { organization, ...row };
  }

  private async userByEmail(email: string): Promise<UserRow> {
    const user = await this.services.accounts.findByEmail(email);
    if (!user) throw AppError.notFound(`No user with the e-mail ${normalizeEmail(email)}.`);
    return user;
  }
}
