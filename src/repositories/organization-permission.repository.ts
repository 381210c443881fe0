import type { Kysely } from 'kysely';
import type { Database, RoleCode } from '#src/storage/schema.js';
import { orgTag, type ChangeSink } from '#src/repositories/read-cache.js';

export interface PermissionOverrideRow {
  id: number;
  organization_id: number;
  permission: string;
  roles: RoleCode[];
  created_at: string;
  updated_at: string;
}

const parseRoles = (text: string): RoleCode[] => {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? (value.filter((v) => typeof v === 'string') as RoleCode[]) : [];
  } catch {
    return [];
  }
};

/** SQL for an organization's overrides of the permission table (roles stored as a JSON array). */
export class OrganizationPermissionRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly changed: ChangeSink = () => undefined,
  ) {}

  async list(organizationId: number): Promise<PermissionOverrideRow[]> {
    const rows = await this.db.selectFrom('organization_permissions').selectAll().where('organization_id', '=', organizationId).orderBy('permission').execute();
    return rows.map((row) => ({ ...row, roles: parseRoles(row.roles) }));
  }

  async find(organizationId: number, permission: string): Promise<PermissionOverrideRow | undefined> {
    const row = await this.db
      .selectFrom('organization_permissions')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .where('permission', '=', permission)
      .executeTakeFirst();
    return row ? { ...row, roles: parseRoles(row.roles) } : undefined;
  }

  async insert(organizationId: number, permission: string, roles: readonly RoleCode[], at: string): Promise<void> {
    await this.db
      .insertInto('organization_permissions')
      .values({ organization_id: organizationId, permission, roles: JSON.stringify(roles), created_at: at, updated_at: at })
      .execute();
    this.changed(orgTag(organizationId));
  }

  async update(organizationId: number, permission: string, roles: readonly RoleCode[], at: string): Promise<void> {
    await this.db
      .updateTable('organization_permissions')
      .set({ roles: JSON.stringify(roles), updated_at: at })
      .where('organization_id', '=', organizationId)
      .where('permission', '=', permission)
      .execute();
    this.changed(orgTag(organizationId));
  }

  async delete(organizationId: number, permission?: string): Promise<number> {
    let query = this.db.deleteFrom('organization_permissions').where('organization_id', '=', organizationId);
    if (permission !== undefined) query = query.where('permission', '=', permission);
    const result = await query.executeTakeFirst();
    this.changed(orgTag(organizationId));
    return Number(result.numDeletedRows);
  }
}
