import { randomAlphanumeric } from '#src/auth/random-token.js';
import { nowIso } from '#src/clock.js';
import { diffFields } from '#src/domain/audit.js';
import { emailProblem } from '#src/domain/email.js';
import { AppError } from '#src/errors.js';
import type { ActionContext, MemberContext } from '#src/policies/action-context.js';
import { roleAllows } from '#src/policies/permissions.js';
import type { ServiceDeps } from '#src/services/service-deps.js';
import type { Tx } from '#src/services/unit-of-work.js';
import type { OrganizationRow, OrganizationUpdate, RoleCode } from '#src/storage/schema.js';

export const DEFAULT_ORGANIZATION_TITLE = 'Label Studio';
/** Roles an invite link may give: never the owner's or a deactivated one; `NO` makes sign-ups wait for approval. */
export const INVITE_ROLES: readonly RoleCode[] = ['AD', 'MA', 'RE', 'AN', 'NO'];

/** Writable organization fields; everything else a client sends is ignored. */
export interface OrganizationChanges {
  title?: string;
  contactInfo?: string | null;
}

/** An organization as its members see it. */
export interface OrganizationDetail {
  organization: OrganizationRow;
  /** Ids of all its members, removed ones included (as Label Studio lists them). */
  userIds: number[];
  /** The invite token, only for members who may invite people. */
  inviteToken: string | undefined;
}

/** Organizations, their memberships and their invite links. */
export class OrganizationService {
  constructor(private readonly deps: ServiceDeps) {}

  findFirst(): Promise<OrganizationRow | undefined> {
    return this.deps.repos.organizations.findFirst();
  }

  /**
   * Step: creates an organization owned by `creatorId` (role OW), makes it the creator's active organization, and
   * lets it accept legacy tokens when this server was started with LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN.
   */
  async create(tx: Tx, title: string, creatorId: number): Promise<OrganizationRow> {
    const at = nowIso(this.deps.clock);
    const token = randomAlphanumeric(40);
    const org = await tx.repos.organizations.insert({
      title,
      invite_lookup_hash: this.deps.secrets.inviteTokens.lookupHash(token),
      invite_ciphertext: this.deps.secrets.inviteTokens.encrypt(token),
      created_by_id: creatorId,
      contact_info: null,
      allow_unsafe_instruction_tags: false,
      api_tokens_enabled: true,
      legacy_api_tokens_enabled: this.deps.config.security.enableLegacyApiToken,
      created_at: at,
      updated_at: at,
    });
    await tx.repos.memberships.insert(creatorId, org.id, 'OW', at);
    await tx.repos.users.update(creatorId, { active_organization_id: org.id });
    return org;
  }

  /**
   * Step: adds a user to an organization with `role` and makes it their active organization. A user who already
   * has a membership keeps it as it is: a removed member is not restored by re-joining.
   */
  async addMember(tx: Tx, organizationId: number, userId: number, role: RoleCode): Promise<void> {
    const existing = await tx.repos.memberships.find(userId, organizationId);
    if (!existing) await tx.repos.memberships.insert(userId, organizationId, role, nowIso(this.deps.clock));
    if (!existing || existing.deleted_at === null) await tx.repos.users.update(userId, { active_organization_id: organizationId });
  }

  /** The role invite-link sign-ups get (Enterprise's `set-default-role`): any active role but the owner's, or pending. */
  async setDefaultRole(ctx: MemberContext, role: string): Promise<OrganizationRow> {
    if (!(INVITE_ROLES as readonly string[]).includes(role)) {
      throw AppError.validation({ default_role: [`"${role}" is not a valid choice. Use one of: ${INVITE_ROLES.join(', ')}.`] });
    }
    const organizationId = ctx.actor.organizationId;
    const before = await this.deps.repos.organizations.findById(organizationId);
    if (!before) throw AppError.notFound();
    if (before.default_role !== role) {
      await this.deps.uow.run(ctx, async (tx) => {
        await tx.repos.organizations.update(organizationId, { default_role: role as RoleCode, updated_at: nowIso(this.deps.clock) });
        await tx.record({ action: 'organization.default_role_changed', target: { type: 'organization', id: organizationId }, details: { default_role: { before: before.default_role, after: role } } });
      });
    }
    return { ...before, default_role: role as RoleCode };
  }

  /** A new organization owned by the caller, who moves into it (where the instance allows members to create them). */
  async createForMember(ctx: MemberContext, title: string): Promise<OrganizationRow> {
    if (!this.deps.config.security.allowOrganizationCreation) {
      throw AppError.forbidden('Creating organizations is turned off on this server.', 'organization.creation_closed');
    }
    const name = title.trim();
    if (!name) throw AppError.validation({ title: ['This field may not be blank.'] });
    return this.deps.uow.run(ctx, async (tx) => {
      const org = await this.create(tx, name, ctx.actor.user.id);
      await tx.record({ action: 'organization.created', organizationId: org.id, target: { type: 'organization', id: org.id }, details: { title: name } });
      return org;
    });
  }

  /** Organizations where the user still has a live membership, by id. */
  listForUser(userId: number): Promise<OrganizationRow[]> {
    return this.deps.repos.memberships.listOrganizationsOfUser(userId);
  }

  /** The actor's organization, with the invite token when their role may invite. */
  async detail(ctx: MemberContext): Promise<OrganizationDetail> {
    const organizationId = ctx.actor.organizationId;
    const organization = await this.deps.repos.organizations.findById(organizationId);
    if (!organization) throw AppError.notFound();
    const userIds = await this.deps.repos.memberships.userIdsOf(organizationId);
    const overrides = await this.deps.actors.overridesFor(organizationId, 'organizations.invite');
    const inviteToken = roleAllows(ctx.actor.role, 'organizations.invite', overrides) ? this.openInviteToken(organization) : undefined;
    return { organization, userIds, inviteToken };
  }

  /** Changes title and/or contact e-mail (a blank title or a malformed e-mail is a 400); returns the result. */
  async update(ctx: MemberContext, changes: OrganizationChanges): Promise<OrganizationDetail> {
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
    const organizationId = ctx.actor.organizationId;
    const before = await this.deps.repos.organizations.findById(organizationId);
    const changed = before ? diffFields(before, update) : {};
    if (Object.keys(changed).length > 0) {
      await this.deps.uow.run(ctx, async (tx) => {
        await tx.repos.organizations.update(organizationId, { ...update, updated_at: nowIso(this.deps.clock) });
        await tx.record({ action: 'organization.changed', target: { type: 'organization', id: organizationId }, details: { changes: changed } });
      });
    }
    return this.detail(ctx);
  }

  /** The active organization's invite token. */
  async inviteToken(ctx: MemberContext): Promise<string> {
    const organization = await this.deps.repos.organizations.findById(ctx.actor.organizationId);
    if (!organization) throw AppError.notFound();
    return this.openInviteToken(organization);
  }

  /** Replaces the invite token: sign-up links with the old one stop working at once. */
  resetInviteToken(ctx: MemberContext): Promise<string> {
    const token = randomAlphanumeric(40);
    const box = this.deps.secrets.inviteTokens;
    return this.deps.uow.run(ctx, async (tx) => {
      await tx.repos.organizations.update(ctx.actor.organizationId, {
        invite_lookup_hash: box.lookupHash(token),
        invite_ciphertext: box.encrypt(token),
        updated_at: nowIso(this.deps.clock),
      });
      await tx.record({ action: 'invite.link_reset', target: { type: 'organization', id: ctx.actor.organizationId } });
      return token;
    });
  }

  /** The organization an invite link's token belongs to, if any (found by keyed hash, never by the token itself). */
  findByInviteToken(token: string): Promise<OrganizationRow | undefined> {
    return this.deps.repos.organizations.findByInviteLookup(this.deps.secrets.inviteTokens.lookupHash(token));
  }

  /**
   * Seals invite tokens still stored in the clear (organizations created before tokens were sealed, or imported):
   * run at start-up, before any request. Idempotent; returns how many it sealed.
   */
  async sealPlainInviteTokens(ctx: ActionContext): Promise<number> {
    // Read first: almost always there is nothing to seal, and a command should not open a write transaction for nothing.
    if ((await this.deps.repos.organizations.listUnsealed()).length === 0) return 0;
    const box = this.deps.secrets.inviteTokens;
    return this.deps.uow.run(ctx, async (tx) => {
      const plain = await tx.repos.organizations.listUnsealed();
      for (const { id, token } of plain) {
        await tx.repos.organizations.update(id, { invite_lookup_hash: box.lookupHash(token), invite_ciphertext: box.encrypt(token) });
      }
      return plain.length;
    });
  }

  private openInviteToken(organization: OrganizationRow): string {
    if (organization.invite_ciphertext === null) throw new AppError('secret.mismatch', 'The invite token has not been sealed yet.');
    try {
      return this.deps.secrets.inviteTokens.decrypt(organization.invite_ciphertext);
    } catch {
      throw new AppError('secret.mismatch', 'The invite token cannot be decrypted: the instance secret differs from the one it was created with.');
    }
  }
}
