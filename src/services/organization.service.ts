import { randomAlphanumeric } from '#src/auth/random-token.js';
import { nowIso, type Clock } from '#src/clock.js';
import type { Repositories, UnitOfWork } from '#src/repositories/index.js';
import type { OrganizationRow, RoleCode } from '#src/storage/schema.js';

export const DEFAULT_ORGANIZATION_TITLE = 'Label Studio';

/** Organizations and their memberships. */
export class OrganizationService {
  constructor(
    private readonly repos: Repositories,
    private readonly transaction: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  findFirst(): Promise<OrganizationRow | undefined> {
    return this.repos.organizations.findFirst();
  }

  /** Creates an organization owned by `creatorId` (role OW) and makes it the creator's active organization. */
  async createOrganization(
    title: string,
    creatorId: number,
    legacyApiTokensEnabled: boolean,
    repos?: Repositories,
  ): Promise<OrganizationRow> {
    const create = async (r: Repositories): Promise<OrganizationRow> => {
      const at = nowIso(this.clock);
      const org = await r.organizations.insert({
        title,
        token: randomAlphanumeric(40),
        created_by_id: creatorId,
        contact_info: null,
        allow_unsafe_instruction_tags: false,
        api_tokens_enabled: true,
        legacy_api_tokens_enabled: legacyApiTokensEnabled,
        created_at: at,
        updated_at: at,
      });
      await r.memberships.insert(creatorId, org.id, 'OW', at);
      await r.users.update(creatorId, { active_organization_id: org.id });
      return org;
    };
    return repos ? create(repos) : this.transaction(create);
  }

  /**
   * Adds a user to an organization with `role` and makes it their active organization. A user who already
   * has a membership keeps it as it is: a removed member is not restored by re-joining.
   */
  async addMember(organizationId: number, userId: number, role: RoleCode, repos?: Repositories): Promise<void> {
    const add = async (r: Repositories): Promise<void> => {
      const existing = await r.memberships.find(userId, organizationId);
      if (!existing) await r.memberships.insert(userId, organizationId, role, nowIso(this.clock));
      if (!existing || existing.deleted_at === null) {
        await r.users.update(userId, { active_organization_id: organizationId });
      }
    };
    return repos ? add(repos) : this.transaction(add);
  }
}
