import { AppError } from '#src/errors.js';
import type { Actor } from '#src/policies/action-context.js';
import { isConfigurable, roleAllows, type Permission, type PermissionOverrides } from '#src/policies/permissions.js';
import type { MemberAccess } from '#src/policies/route-access.js';
import type { CachedReads } from '#src/repositories/cached-reads.js';
import type { MembershipRow, UserRow } from '#src/storage/schema.js';

export const NOT_A_MEMBER_MESSAGE = 'You are not a member of an organization.';
export const DEACTIVATED_MESSAGE = 'Your access to this organization has been deactivated. Ask an administrator to reactivate it.';
export const PENDING_MESSAGE = 'Your membership in this organization is waiting for an administrator to activate it.';

/** Deactivated and pending members are members without access: refused with a message that says so. */
function refuseInactive(membership: MembershipRow): void {
  if (membership.role === 'DI') throw AppError.forbidden(DEACTIVATED_MESSAGE, 'membership.deactivated');
  if (membership.role === 'NO') throw AppError.forbidden(PENDING_MESSAGE, 'membership.pending');
}

const actorOf = (user: UserRow, membership: MembershipRow): Actor => ({
  user,
  organizationId: membership.organization_id,
  role: membership.role,
  membership,
});

/** Finds who a user is in an organization and checks the permission table: the one place authorization happens. */
export class ActorResolver {
  /** One overrides table per cached rows array, so its identity is stable while the cache holds the rows. */
  readonly #tables = new WeakMap<object, PermissionOverrides>();

  constructor(private readonly reads: CachedReads) {}

  /** The user as an active member of their active organization (403 otherwise, saying why). */
  async inActiveOrganization(user: UserRow): Promise<Actor> {
    const organizationId = user.active_organization_id;
    const membership = organizationId === null ? undefined : await this.reads.membership(user.id, organizationId);
    if (!membership || membership.deleted_at !== null) throw AppError.forbidden(NOT_A_MEMBER_MESSAGE, 'membership.none');
    refuseInactive(membership);
    return actorOf(user, membership);
  }

  /**
   * The user as an active member of the organization named by a URL (not necessarily their active one). A missing
   * organization is 404; someone without a live membership gets 403, or 404 when `outsiders` says so.
   */
  async inOrganization(user: UserRow, organizationId: number, outsiders: 'forbidden' | 'not_found'): Promise<Actor> {
    const organization = await this.reads.organization(organizationId);
    if (!organization) throw AppError.notFound();
    const membership = await this.reads.membership(user.id, organizationId);
    if (!membership || membership.deleted_at !== null) throw outsiders === 'forbidden' ? AppError.forbidden() : AppError.notFound();
    refuseInactive(membership);
    return actorOf(user, membership);
  }

  /** Resolves the actor a route declares and checks its permission. `params` are the route's parsed path parameters. */
  async authorize(user: UserRow, access: MemberAccess, params: Readonly<Record<string, unknown>>): Promise<Actor> {
    const scope = access.organization ?? 'active';
    const actor =
      scope === 'active'
        ? await this.inActiveOrganization(user)
        : await this.inOrganization(user, Number(params[scope.param]), scope.outsiders);
    if (!roleAllows(actor.role, access.permission, await this.overridesFor(actor.organizationId, access.permission))) {
      throw AppError.forbidden(access.denied);
    }
    return actor;
  }

  /**
   * The organization's overrides of the permission table; with `only`, just that permission's (one indexed read, and
   * none at all for a permission that cannot be customized).
   */
  async overridesFor(organizationId: number, only?: Permission): Promise<PermissionOverrides> {
    if (only !== undefined) {
      if (!isConfigurable(only)) return new Map();
      const row = (await this.reads.permissionOverrides(organizationId)).find((r) => r.permission === only);
      return new Map(row ? [[only, row.roles]] : []);
    }
    const rows = await this.reads.permissionOverrides(organizationId);
    let table = this.#tables.get(rows);
    if (!table) this.#tables.set(rows, (table = new Map(rows.map((row) => [row.permission, row.roles]))));
    return table;
  }
}
