import { AppError } from '#src/errors.js';
import type { Actor } from '#src/policies/action-context.js';
import { roleAllows, type Permission, type PermissionOverrides } from '#src/policies/permissions.js';
import type { RoleCode } from '#src/storage/schema.js';

/** Higher acts on lower or equal, never the reverse; pending and deactivated members outrank nobody. */
export const ROLE_RANK: Readonly<Record<RoleCode, number>> = { OW: 50, AD: 40, MA: 30, RE: 20, AN: 10, NO: 0, DI: 0 };

export const OWNER_PROTECTED_MESSAGE = 'Only the organization owner may change their own account.';
export const OWNER_UNDELETABLE_MESSAGE = 'The organization owner cannot be deleted';
export const SELF_DELETION_MESSAGE = 'You cannot delete your own account.';
export const OTHER_ORGANIZATION_MESSAGE = 'This user is a member of another organization and cannot be deleted from here.';
export const HIGHER_ROLE_MESSAGE = 'You cannot act on a member whose role is higher than yours.';
export const SELF_REMOVAL_MESSAGE = 'User cannot soft delete self';
export const OWN_ROLE_MESSAGE = 'You cannot change your own role.';
export const OWNER_ROLE_MESSAGE = "The owner's role changes only by transferring ownership.";
export const OWNER_BY_TRANSFER_MESSAGE = 'There is one owner: make someone the owner by transferring ownership.';
export const HIGHER_GRANT_MESSAGE = 'You cannot give a role higher than your own.';
export const OWN_TWO_FACTOR_MESSAGE = 'Turn your own two-factor sign-in off on your Account page.';
export const OWNER_TWO_FACTOR_MESSAGE = "Only the owner may change their own two-factor sign-in; an operator can reset it with label-studio users reset-2fa.";

/** What the rules need to know about the person acted on. */
export interface TargetFacts {
  userId: number;
  /** Their role in the actor's organization (their membership there, removed or not). */
  role: RoleCode;
  /** True when they created an organization: Label Studio never hard-deletes an organization's owner. */
  createdAnOrganization?: boolean;
  /** True when they still belong to an organization other than the actor's. */
  memberElsewhere?: boolean;
  /** The role they would get (role changes). */
  newRole?: RoleCode;
  /** While deactivated: the role they had, which reactivating gives back. */
  roleBeforeDeactivation?: RoleCode | null;
}

/** Who may act on whom. Each rule answers the refusal to raise, or null when the action may go ahead. */
export type TargetRule = 'change_user' | 'change_role' | 'remove_member' | 'delete_user' | 'reset_two_factor';

const higherRole = (actor: Actor, target: TargetFacts): boolean => ROLE_RANK[target.role] > ROLE_RANK[actor.role];

const RULES: Record<TargetRule, (actor: Actor, target: TargetFacts) => AppError | null> = {
  /** Profile and avatar: yourself always; the owner only themself; others with `users.change`, never a higher role. */
  change_user: (actor, target) => {
    if (target.userId === actor.user.id) return null;
    if (target.role === 'OW') return AppError.forbidden(OWNER_PROTECTED_MESSAGE, 'membership.owner_protected');
    if (!roleAllows(actor.role, 'users.change')) return AppError.forbidden();
    if (higherRole(actor, target)) return AppError.forbidden(HIGHER_ROLE_MESSAGE);
    return null;
  },
  /**
   * Role changes (deactivation, approval included): never your own, never the owner's (ownership moves only by
   * transfer, so there is always exactly one owner), never a higher role's, never to a role above your own.
   */
  change_role: (actor, target) => {
    if (target.userId === actor.user.id) return AppError.forbidden(OWN_ROLE_MESSAGE, 'membership.own_role');
    if (target.role === 'OW') return AppError.forbidden(OWNER_ROLE_MESSAGE, 'membership.owner_protected');
    if (target.newRole === 'OW') return AppError.validation({ role: [OWNER_BY_TRANSFER_MESSAGE] });
    if (higherRole(actor, target)) return AppError.forbidden(HIGHER_ROLE_MESSAGE);
    if (target.newRole && ROLE_RANK[target.newRole] > ROLE_RANK[actor.role]) return AppError.forbidden(HIGHER_GRANT_MESSAGE);
    return null;
  },
  /** Soft removal from the organization: never yourself (Label Studio's own 405 body), never the owner or a higher role. */
  remove_member: (actor, target) => {
    if (target.userId === actor.user.id) {
      return new AppError('membership.self_removal', SELF_REMOVAL_MESSAGE, { body: { detail: SELF_REMOVAL_MESSAGE } });
    }
    if (target.role === 'OW') return AppError.forbidden('The organization owner cannot be removed.', 'membership.owner_protected');
    if (higherRole(actor, target)) return AppError.forbidden(HIGHER_ROLE_MESSAGE);
    return null;
  },
  /** Deleting the account for good: never an organization's creator, never yourself, never someone another organization still has. */
  delete_user: (actor, target) => {
    if (target.createdAnOrganization) return AppError.forbidden(OWNER_UNDELETABLE_MESSAGE, 'membership.owner_protected');
    if (target.userId === actor.user.id) return AppError.forbidden(SELF_DELETION_MESSAGE, 'user.self_deletion');
    if (higherRole(actor, target)) return AppError.forbidden(HIGHER_ROLE_MESSAGE);
    if (target.memberElsewhere) return AppError.forbidden(OTHER_ORGANIZATION_MESSAGE, 'user.in_other_organization');
    return null;
  },
  /**
   * Resetting someone's second factor (they enrol again at their next login): never your own (the Account page asks
   * for your password or a code instead), never the owner's, never a higher role's.
   */
  reset_two_factor: (actor, target) => {
    if (target.userId === actor.user.id) return AppError.forbidden(OWN_TWO_FACTOR_MESSAGE);
    if (target.role === 'OW') return AppError.forbidden(OWNER_TWO_FACTOR_MESSAGE, 'membership.owner_protected');
    if (higherRole(actor, target)) return AppError.forbidden(HIGHER_ROLE_MESSAGE);
    return null;
  },
};

/** The refusal `rule` gives for this actor and target, or null. */
export function targetRefusal(rule: TargetRule, actor: Actor, target: TargetFacts): AppError | null {
  return RULES[rule](actor, target);
}

/** Throws the refusal, if any. */
export function assertTarget(rule: TargetRule, actor: Actor, target: TargetFacts): void {
  const refusal = targetRefusal(rule, actor, target);
  if (refusal) throw refusal;
}

/**
 * What a viewer may do to a member, as the People page offers it. `restore_role`: reactivate a deactivated member as
 * the role they had before (a role change the viewer may make to that role).
 */
export type MemberAction = 'change_user' | 'change_role' | 'restore_role' | 'remove' | 'delete' | 'reset_two_factor';

const ACTION_RULES: ReadonlyArray<readonly [MemberAction, TargetRule, Permission | null]> = [
  ['change_user', 'change_user', null],
  ['change_role', 'change_role', 'members.change_role'],
  ['remove', 'remove_member', 'members.delete'],
  ['delete', 'delete_user', 'users.delete'],
  ['reset_two_factor', 'reset_two_factor', 'members.two_factor'],
];

/**
 * The actions the actor may take on a live member: the permission table (with the organization's overrides) and the
 * target rules, so the web app offers exactly what the server will accept. Removed members get none.
 */
export function allowedActions(actor: Actor, overrides: PermissionOverrides, target: TargetFacts & { removed: boolean }): MemberAction[] {
  if (target.removed) return [];
  const actions = ACTION_RULES.flatMap(([action, rule, permission]): MemberAction[] =>
    (permission === null || roleAllows(actor.role, permission, overrides)) && targetRefusal(rule, actor, target) === null ? [action] : [],
  );
  const previous = target.role === 'DI' ? target.roleBeforeDeactivation : null;
  // Only when the viewer may give that role: nobody reactivates someone above their own role.
  if (previous && actions.includes('change_role') && targetRefusal('change_role', actor, { ...target, newRole: previous }) === null) {
    actions.splice(actions.indexOf('change_role') + 1, 0, 'restore_role');
  }
  return actions;
}
