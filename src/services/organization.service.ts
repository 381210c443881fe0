import { randomAlphanumeric } from '#src/auth/random-token.js';
import { nowIso, type Clock } from '#src/clock.js';
import { emailProblem } from '#src/domain/email.js';
import { AppError } from '#src/errors.js';
import type { Repositories, UnitOfWork } from '#src/repositories/index.js';
import type { Actor } from '#src/services/access.service.js';
import type { OrganizationRow, OrganizationUpdate, RoleCode, UserRow } from '#src/storage/schema.js';

export const DEFAULT_ORGANIZATION_TITLE = 'Label Studio';

/** Writable organization fields; everything else a client sends is ignored. */
export interface OrganizationChanges {
  title?: string;
  contactInfo?: string | null;
}

/** What the caller of an organization URL sees when they are not a live member of it. */
export type OutsiderAnswer = 'forbidden' | 'not_found';

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

  /** Organizations where the user still has a live membership, by id. */
  listForUser(userId: number): Promise<OrganizationRow[]> {
    return this.repos.memberships.listOrganizationsOfUser(userId);
  }

  /**
   * The user acting in the organization named by a URL (not necessarily their active one). A missing
   * organization is 404; a user without a live membership there gets 403, or 404 when `outsiders` says so.
   */
  async actorIn(user: UserRow, organizationId: number, outsiders: OutsiderAnswer): Promise<Actor> {
    const organization = await this.repos.organizations.findById(organizationId);
    if (!organization) throw AppError.notFound();
    const membership = await this.repos.memberships.find(user.id, organizationId);
    if (!membership || membership.deleted_at !== null) {
      throw outsiders === 'forbidden' ? AppError.forbidden() : AppError.notFound();
    }
    return { user, organizationId, role: membership.role, membership };
  }

  /** The organization with the ids of all its members (removed ones included, as Label Studio lists them). */
  async detail(organizationId: number): Promise<{ organization: OrganizationRow; userIds: number[] }> {
    const organization = await this.repos.organizations.findById(organizationId);
    if (!organization) throw AppError.notFound();
    return { organization, userIds: await this.repos.memberships.userIdsOf(organizationId) };
  }

  /** Changes title and/or contact e-mail (a blank title or a malformed e-mail is a 400); returns the result. */
  async update(organizationId: number, changes: OrganizationChanges): Promise<{ organization: OrganizationRow; userIds: number[] }> {
    const update: OrganizationUpdate = {};
    const errors: Record<string, string[]> = {};
    if (changes.title !== undefined) {
      const title = changes.title.trim();
      if (title === '') errors.title = ['This field may not be blank.'];
      update.title = title;
    }
    if (changes.contactInfo !== undefined) {
      const contact = changes.contactInfo === null ? null : changes.contactInfo.trim();
      const problem = contact ? emailProblem(contact) : null;
      if (problem) errors.contact_info = [problem];
      update.contact_info = contact;
    }
    if (Object.keys(errors).length > 0) throw AppError.validation(errors);
    if (Object.keys(update).length > 0) {
      await this.repos.organizations.update(organizationId, { ...update, updated_at: nowIso(this.clock) });
    }
    return this.detail(organizationId);
  }

  /** The organization's current invite token. */
  async inviteToken(organizationId: number): Promise<string> {
    const organization = await this.repos.organizations.findById(organizationId);
    if (!organization) throw AppError.notFound();
    return organization.token;
  }

  /** Replaces the invite token: sign-up links with the old one stop working at once. */
  async resetInviteToken(organizationId: number): Promise<string> {
    const token = randomAlphanumeric(40);
    await this.repos.organizations.update(organizationId, { token, updated_at: nowIso(this.clock) });
    return token;
  }
}
