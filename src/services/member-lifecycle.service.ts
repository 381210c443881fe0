import { nowIso } from '#src/clock.js';
import type { AuditAction } from '#src/domain/audit.js';
import { AppError } from '#src/errors.js';
import type { MemberContext } from '#src/policies/action-context.js';
import { isActiveRole } from '#src/policies/permissions.js';
import { assertTarget } from '#src/policies/target-rules.js';
import type { MembershipService, MemberListEntry } from '#src/services/membership.service.js';
import type { ServiceDeps } from '#src/services/service-deps.js';
import type { Tx } from '#src/services/unit-of-work.js';
import type { MembershipRow, RoleCode, UserUpdate } from '#src/storage/schema.js';

/** Roles a role change may give: every code but the owner's (ownership moves by transfer). */
export const ASSIGNABLE_ROLES: readonly RoleCode[] = ['AD', 'MA', 'RE', 'AN', 'NO', 'DI'];
export const MEMBER_NOT_FOUND_MESSAGE = 'Member not found';
export const OWNER_CANNOT_LEAVE_MESSAGE = 'The owner cannot leave the organization: transfer ownership first.';

/** What a role change is, for the activity log. */
function transition(before: RoleCode, after: RoleCode): AuditAction {
  if (after === 'DI') return 'member.deactivated';
  if (before === 'DI' && isActiveRole(after)) return 'member.reactivated';
  if (before === 'NO' && isActiveRole(after)) return 'member.approved';
  return 'member.role_changed';
}

/**
 * What a membership keeps to give back at reactivation once it has `newRole`: a deactivation keeps the active role
 * it ends (never `NO`, `DI` or the owner's, which is never deactivated); staying deactivated keeps what was kept;
 * any other role keeps nothing.
 */
function roleKeptBy(membership: MembershipRow, newRole: RoleCode): RoleCode | null {
  if (newRole !== 'DI') return null;
  if (membership.role === 'DI') return membership.role_before_deactivation;
  return isActiveRole(membership.role) && membership.role !== 'OW' ? membership.role : null;
}

/** Refuses a transfer to the owner themself or to a member without access (pending, deactivated). */
export function assertOwnershipRecipient(ownerId: number, recipient: MembershipRow): void {
  if (recipient.user_id === ownerId) throw AppError.validation({ user_id: ['You already own this organization.'] });
  if (!isActiveRole(recipient.role)) {
    throw AppError.validation({ user_id: ['Ownership can only go to an active member: reactivate or approve them first.'] });
  }
}

/** A member's life in an organization: roles (deactivation and approval included), ownership, removal, leaving. */
export class MemberLifecycleService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly memberships: MembershipService,
  ) {}

  /**
   * Gives a member another role (Enterprise's `PATCH …/memberships {user_id, role}`): `DI` deactivates — every session
   * and token of theirs is refused from the next request — and any active role reactivates or approves, with the
   * tokens they had. Answers the member as the list shows them.
   */
  async changeRole(ctx: MemberContext, userId: number, role: string): Promise<MemberListEntry> {
    if (!(ASSIGNABLE_ROLES as readonly string[]).includes(role) && role !== 'OW') {
      throw AppError.validation({ role: [`"${role}" is not a valid choice. Use one of: ${ASSIGNABLE_ROLES.join(', ')}.`] });
    }
    const newRole = role as RoleCode;
    const membership = await this.liveMembership(ctx, userId);
    assertTarget('change_role', ctx.actor, { userId, role: membership.role, newRole });
    if (membership.role !== newRole) await this.deps.uow.run(ctx, (tx) => this.applyRole(tx, membership, newRole));
    return this.memberships.entry(ctx, userId);
  }

  /** The owner hands the organization to an active member, and becomes an administrator: there is always one owner. */
  async transferOwnership(ctx: MemberContext, userId: number): Promise<MemberListEntry> {
    const { actor } = ctx;
    const membership = await this.liveMembership(ctx, userId);
    assertOwnershipRecipient(actor.user.id, membership);
    await this.deps.uow.run(ctx, (tx) => this.handOver(tx, actor.membership, membership));
    return this.memberships.entry(ctx, userId);
  }

  /**
   * Removes a member (soft delete) with Label Studio's order of checks, then the `remove_member` target rule (never
   * yourself, never the owner, never a higher role). Their work stays; they are shown as "Deleted User".
   */
  async remove(ctx: MemberContext, userId: number): Promise<void> {
    const { actor } = ctx;
    if (actor.user.active_organization_id !== actor.organizationId) {
      throw AppError.forbidden('You can delete members only for your current active organization', 'membership.not_active_organization');
    }
    if (!(await this.deps.repos.users.findById(userId))) throw AppError.notFound();
    const membership = await this.deps.repos.memberships.find(userId, actor.organizationId);
    if (!membership) throw AppError.notFound();
    if (membership.deleted_at !== null) throw AppError.notFound(MEMBER_NOT_FOUND_MESSAGE);
    assertTarget('remove_member', actor, { userId, role: membership.role });
    await this.deps.uow.run(ctx, async (tx) => {
      const email = await this.detach(tx, membership);
      await tx.record({ action: 'member.removed', target: { type: 'user', id: userId }, details: { email, role: membership.role } });
    });
  }

  /** The caller leaves the organization (Label Studio #4984); the owner must hand it over first. */
  async leave(ctx: MemberContext): Promise<void> {
    const { actor } = ctx;
    if (actor.role === 'OW') throw AppError.forbidden(OWNER_CANNOT_LEAVE_MESSAGE, 'membership.last_owner');
    await this.deps.uow.run(ctx, async (tx) => {
      await this.detach(tx, actor.membership);
      await tx.record({ action: 'member.left', target: { type: 'user', id: actor.user.id }, details: { role: actor.role } });
    });
  }

  /**
   * Step: gives a membership another role and records what that is for the activity log (a deactivation, a
   * reactivation, an approval or a role change), in the membership's organization. A deactivation keeps the active
   * role it ends, for a reactivation to give back (`roleKeptBy`).
   */
  async applyRole(tx: Tx, membership: MembershipRow, newRole: RoleCode): Promise<void> {
    await tx.repos.memberships.setRole(membership.id, newRole, nowIso(this.deps.clock), roleKeptBy(membership, newRole));
    await tx.record({
      action: transition(membership.role, newRole),
      organizationId: membership.organization_id,
      target: { type: 'user', id: membership.user_id },
      details: { role: { before: membership.role, after: newRole } },
    });
  }

  /**
   * Step: `to` becomes the owner and `from` (the owner until now) an administrator, in one transaction, so there is
   * always exactly one owner. Label Studio names the owner as the organization's creator, so that moves too.
   */
  async handOver(tx: Tx, from: MembershipRow, to: MembershipRow): Promise<void> {
    const at = nowIso(this.deps.clock);
    const organizationId = to.organization_id;
    await tx.repos.memberships.setRole(to.id, 'OW', at);
    await tx.repos.memberships.setRole(from.id, 'AD', at);
    await tx.repos.organizations.update(organizationId, { created_by_id: to.user_id, updated_at: at });
    await tx.record({
      action: 'organization.ownership_transferred',
      organizationId,
      target: { type: 'user', id: to.user_id },
      details: { from: from.user_id, to: to.user_id, previous_role: to.role },
    });
  }

  /**
   * Step: ends a membership. The user's active organization moves to another live membership (or none); a user left
   * without any organization loses their avatar, whose file goes once the change is committed. Returns their e-mail.
   */
  private async detach(tx: Tx, membership: MembershipRow): Promise<string> {
    const userId = membership.user_id;
    await tx.repos.memberships.markDeleted(membership.id, nowIso(this.deps.clock));
    const user = await tx.repos.users.findById(userId);
    if (!user) throw AppError.notFound();
    const live = await tx.repos.memberships.listActiveForUser(userId);
    // Keep the active organization when it is still a live one; otherwise the first remaining, or none.
    const stillActive = live.some((m) => m.organization_id === user.active_organization_id);
    const next = stillActive ? user.active_organization_id : (live[0]?.organization_id ?? null);
    const changes: UserUpdate = {};
    if (next !== user.active_organization_id) changes.active_organization_id = next;
    if (next === null && user.avatar) {
      changes.avatar = null;
      await this.deps.files.remove(tx, user.avatar);
    }
    if (Object.keys(changes).length > 0) await tx.repos.users.update(userId, changes);
    return user.email;
  }

  private async liveMembership(ctx: MemberContext, userId: number): Promise<MembershipRow> {
    const membership = await this.deps.repos.memberships.find(userId, ctx.actor.organizationId);
    if (!membership || membership.deleted_at !== null) throw AppError.notFound(MEMBER_NOT_FOUND_MESSAGE);
    return membership;
  }
}
