import { AppError } from '#src/errors.js';
import type { Actor } from '#src/policies/action-context.js';
import { HIGHER_GRANT_MESSAGE, OWNER_BY_TRANSFER_MESSAGE, ROLE_RANK } from '#src/policies/target-rules.js';
import type { RoleCode } from '#src/storage/schema.js';

/** Roles an e-mail invitation may give: active ones below the owner (an invitation is already an approval). */
export const EMAIL_INVITE_ROLES: readonly RoleCode[] = ['AD', 'MA', 'RE', 'AN'];

/**
 * Why this member may not invite someone as (or act on an invitation for) `role`, or null: the role must be one an
 * invitation gives, and — as with role changes — never above the inviter's own.
 */
export function inviteRoleRefusal(actor: Actor, role: string): AppError | null {
  if (role === 'OW') return AppError.validation({ role: [OWNER_BY_TRANSFER_MESSAGE] });
  if (!(EMAIL_INVITE_ROLES as readonly string[]).includes(role)) {
    return AppError.validation({ role: [`"${role}" is not a valid choice. Use one of: ${EMAIL_INVITE_ROLES.join(', ')}.`] });
  }
  if (ROLE_RANK[role as RoleCode] > ROLE_RANK[actor.role]) return AppError.forbidden(HIGHER_GRANT_MESSAGE);
  return null;
}

/** The roles this member may invite people as (what the invite form offers). */
export function invitableRoles(actor: Actor): RoleCode[] {
  return EMAIL_INVITE_ROLES.filter((role) => inviteRoleRefusal(actor, role) === null);
}
