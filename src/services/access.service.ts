import { AppError } from '#src/errors.js';
import { roleAllows, type Action } from '#src/policies/permissions.js';
import type { Repositories } from '#src/repositories/index.js';
import type { MembershipRow, RoleCode, UserRow } from '#src/storage/schema.js';

/** A user acting inside their active organization, with the role of their live membership there. */
export interface Actor {
  user: UserRow;
  organizationId: number;
  role: RoleCode;
  membership: MembershipRow;
}

/** Who may act where: resolves actors and checks the permission table. */
export class AccessService {
  constructor(private readonly repos: Repositories) {}

  /** The user as a member of their active organization; 403 when they have no live membership there. */
  async actorFor(user: UserRow): Promise<Actor> {
    const organizationId = user.active_organization_id;
    const membership = organizationId === null ? undefined : await this.repos.memberships.find(user.id, organizationId);
    if (organizationId === null || !membership || membership.deleted_at !== null) {
      throw AppError.forbidden('You are not a member of an organization.');
    }
    return { user, organizationId, role: membership.role, membership };
  }

  /** The user's role in their active organization, or undefined when they are not a live member there. */
  async roleOf(user: UserRow): Promise<RoleCode | undefined> {
    if (user.active_organization_id === null) return undefined;
    const membership = await this.repos.memberships.find(user.id, user.active_organization_id);
    return membership && membership.deleted_at === null ? membership.role : undefined;
  }

  /** Throws 403 unless the actor's role allows the action. */
  authorize(actor: Actor, action: Action): void {
    if (!roleAllows(actor.role, action)) throw AppError.forbidden();
  }

  can(actor: Actor, action: Action): boolean {
    return roleAllows(actor.role, action);
  }
}
