import { nowIso } from '#src/clock.js';
import { AppError } from '#src/errors.js';
import type { MemberContext } from '#src/policies/action-context.js';
import { CONFIGURABLE_PERMISSIONS, isConfigurable, PERMISSIONS, type ConfigurablePermission, type Permission } from '#src/policies/permissions.js';
import type { PermissionOverrideRow } from '#src/repositories/organization-permission.repository.js';
import type { ServiceDeps } from '#src/services/service-deps.js';
import type { Tx } from '#src/services/unit-of-work.js';
import type { RoleCode } from '#src/storage/schema.js';

export const PERMISSION_NOT_FOUND_MESSAGE = 'Permission not found for organization';

/** A configurable permission as the catalogue describes it: its default roles and the roles it may be given. */
export interface PermissionOption extends ConfigurablePermission {
  permission: Permission;
  default: readonly RoleCode[];
}

/** An organization's override, with the catalogue's data for its key. */
export interface PermissionOverride extends PermissionOption {
  id: number;
  organizationId: number;
  roles: readonly RoleCode[];
}

function optionOf(permission: Permission, entry: ConfigurablePermission): PermissionOption {
  return { permission, default: PERMISSIONS[permission], ...entry };
}

/** The catalogue of configurable permissions, in the table's order. */
export function permissionOptions(): PermissionOption[] {
  return (Object.keys(PERMISSIONS) as Permission[]).flatMap((permission) => {
    const entry = CONFIGURABLE_PERMISSIONS[permission];
    return entry ? [optionOf(permission, entry)] : [];
  });
}

/**
 * Customizable permissions (Enterprise's `organizations.permissions`): an owner moves configurable permissions between
 * roles; an override applies to the API and the pages from the next request; deleting it restores the default.
 * The table in policies/ stays the one source of the defaults.
 */
export class PermissionService {
  constructor(private readonly deps: ServiceDeps) {}

  async list(ctx: MemberContext): Promise<PermissionOverride[]> {
    const rows = await this.deps.repos.permissionOverrides.list(ctx.actor.organizationId);
    return rows.flatMap((row) => (isConfigurable(row.permission) ? [this.overrideOf(row)] : []));
  }

  async get(ctx: MemberContext, key: string): Promise<PermissionOverride> {
    return this.overrideOf(await this.existing(ctx, key));
  }

  /** Creates the override of `key` (400 when it exists already or the key cannot be customized). */
  async create(ctx: MemberContext, key: string, roles: readonly string[] | undefined): Promise<PermissionOverride> {
    const option = this.option(key);
    const organizationId = ctx.actor.organizationId;
    const granted = this.checkRoles(option, roles ?? option.default);
    await this.deps.uow.run(ctx, async (tx) => {
      if (await tx.repos.permissionOverrides.find(organizationId, option.permission)) {
        throw AppError.validation({ permission: ['This permission is already customized: change it with PUT or PATCH.'] });
      }
      await tx.repos.permissionOverrides.insert(organizationId, option.permission, granted, nowIso(this.deps.clock));
      await this.record(tx, ctx, option.permission, option.default, granted);
    });
    return this.get(ctx, option.permission);
  }

  /** Replaces the roles of an existing override (PUT, PATCH); 404 when `key` has none. */
  async update(ctx: MemberContext, key: string, roles: readonly string[] | undefined): Promise<PermissionOverride> {
    const current = await this.existing(ctx, key);
    if (roles === undefined) return this.overrideOf(current);
    const option = this.option(key);
    const granted = this.checkRoles(option, roles);
    await this.deps.uow.run(ctx, async (tx) => {
      await tx.repos.permissionOverrides.update(ctx.actor.organizationId, option.permission, granted, nowIso(this.deps.clock));
      await this.record(tx, ctx, option.permission, current.roles, granted);
    });
    return this.get(ctx, option.permission);
  }

  /** Deletes the override of `key`: the permission is back to its default. */
  async reset(ctx: MemberContext, key: string): Promise<void> {
    const current = await this.existing(ctx, key);
    const option = this.option(key);
    await this.deps.uow.run(ctx, async (tx) => {
      await tx.repos.permissionOverrides.delete(ctx.actor.organizationId, option.permission);
      await this.record(tx, ctx, option.permission, current.roles, option.default);
    });
  }

  /** "Reset to defaults": every override goes. Returns how many there were. */
  async resetAll(ctx: MemberContext): Promise<number> {
    return this.deps.uow.run(ctx, async (tx) => {
      const removed = await tx.repos.permissionOverrides.delete(ctx.actor.organizationId);
      if (removed > 0) await tx.record({ action: 'organization.permissions_reset', target: { type: 'organization', id: ctx.actor.organizationId }, details: { removed } });
      return removed;
    });
  }

  private option(key: string): PermissionOption {
    const entry = isConfigurable(key) ? CONFIGURABLE_PERMISSIONS[key] : undefined;
    if (!isConfigurable(key) || !entry) {
      throw AppError.validation({ permission: [`"${key}" is not a configurable permission. See /permissions/options.`] });
    }
    return optionOf(key, entry);
  }

  private async existing(ctx: MemberContext, key: string): Promise<PermissionOverrideRow> {
    const row = isConfigurable(key) ? await this.deps.repos.permissionOverrides.find(ctx.actor.organizationId, key) : undefined;
    if (!row) throw AppError.notFound(PERMISSION_NOT_FOUND_MESSAGE);
    return row;
  }

  /** The roles to store: known options only, never pending or deactivated members; the owner always holds it. */
  private checkRoles(option: PermissionOption, roles: readonly string[]): RoleCode[] {
    const refused = roles.filter((role) => !(option.options as readonly string[]).includes(role));
    if (refused.length > 0) {
      throw AppError.validation({ roles: [`${option.permission} can be given to ${option.options.join(', ')} only (not ${refused.join(', ')}).`] });
    }
    return [...new Set<RoleCode>(['OW', ...(roles as RoleCode[])])];
  }

  private overrideOf(row: PermissionOverrideRow): PermissionOverride {
    return { ...this.option(row.permission), id: row.id, organizationId: row.organization_id, roles: row.roles };
  }

  private async record(
    tx: Tx,
    ctx: MemberContext,
    permission: Permission,
    before: readonly RoleCode[],
    after: readonly RoleCode[],
  ): Promise<void> {
    await tx.record({
      action: 'organization.permission_changed',
      target: { type: 'permission' },
      organizationId: ctx.actor.organizationId,
      details: { permission, roles: { before, after } },
    });
  }
}
