import type { AppContext } from '#src/context.js';
import { hashPassword } from '#src/auth/password-hasher.js';
import { nowIso } from '#src/clock.js';
import { asMember, systemContext, type ActionContext, type MemberContext } from '#src/policies/action-context.js';
import type { RoleCode, UserRow } from '#src/storage/schema.js';

export interface TestUser {
  user: UserRow;
  email: string;
  password: string;
  /** Legacy API token. */
  token: string;
}

let counter = 0;
const uniqueEmail = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(counter += 1)}@example.com`;
/** The context factories act in: the server's own, as a fixture is set up by nobody in particular. */
const setup = (): ActionContext => systemContext('test fixture');

/** The organization owner, as `label-studio init` makes it (legacy tokens on unless told otherwise). */
export async function buildOwner(ctx: AppContext, options: { email?: string; password?: string; legacyTokens?: boolean } = {}): Promise<TestUser> {
  const email = options.email ?? uniqueEmail('owner');
  const password = options.password ?? 'owner-password-1';
  const { user } = await ctx.services.bootstrap.ensureUser(setup(), { username: email, password, userToken: '' });
  if (options.legacyTokens !== undefined && user.active_organization_id !== null) {
    await ctx.repos.organizations.update(user.active_organization_id, { legacy_api_tokens_enabled: options.legacyTokens });
  }
  return { user, email: user.email, password, token: await ctx.services.legacyTokens.reveal(setup(), user.id) };
}

export interface UserOptions {
  email?: string;
  password?: string;
  firstName?: string;
  lastName?: string;
  username?: string;
  /**
   * An account that can only use its API token (no password to log in with): skips the password hash, which costs
   * ~30 ms, for suites that build hundreds of users and authenticate by token.
   */
  withoutPassword?: boolean;
}

/** An account with no organization yet. */
export async function buildUser(ctx: AppContext, options: UserOptions = {}): Promise<TestUser> {
  const password = options.password ?? 'member-password-1';
  const email = options.email ?? uniqueEmail('user');
  const passwordHash = options.withoutPassword ? null : await hashPassword(password);
  const user = await ctx.deps.uow.run(setup(), (tx) =>
    ctx.services.accounts.create(tx, {
      email,
      passwordHash,
      firstName: options.firstName,
      lastName: options.lastName,
      username: options.username ?? email.split('@')[0],
    }),
  );
  return { user, email: user.email, password, token: await ctx.services.legacyTokens.reveal(setup(), user.id) };
}

/** A member of the organization with the given role (default annotator). */
export async function buildMember(ctx: AppContext, organizationId: number, options: UserOptions & { role?: RoleCode } = {}): Promise<TestUser> {
  const created = await buildUser(ctx, options);
  await addToOrganization(ctx, organizationId, created.user.id, options.role ?? 'AN');
  return { ...created, user: await ctx.services.accounts.getById(created.user.id) };
}

/** Adds an existing user to an organization (it becomes their active one, unless they were removed from it). */
export async function addToOrganization(ctx: AppContext, organizationId: number, userId: number, role: RoleCode = 'AN'): Promise<void> {
  await ctx.deps.uow.run(setup(), (tx) => ctx.services.organizations.addMember(tx, organizationId, userId, role));
}

/** A second organization with its own owner (legacy tokens on, as the test context creates organizations). */
export async function buildOrganization(ctx: AppContext, options: UserOptions & { title?: string } = {}): Promise<{ owner: TestUser; organizationId: number }> {
  const owner = await buildUser(ctx, { password: 'other-owner-pass', ...options });
  const org = await ctx.deps.uow.run(setup(), (tx) => ctx.services.organizations.create(tx, options.title ?? 'Other org', owner.user.id));
  return { owner: { ...owner, user: await ctx.services.accounts.getById(owner.user.id) }, organizationId: org.id };
}

/** Removes a member the way the API does it (soft delete), without the API's checks. */
export async function removeMember(ctx: AppContext, userId: number, organizationId: number): Promise<void> {
  const membership = await ctx.repos.memberships.find(userId, organizationId);
  if (!membership) throw new Error(`user ${userId} is not a member of organization ${organizationId}`);
  await ctx.deps.uow.run(setup(), (tx) => tx.repos.memberships.markDeleted(membership.id, nowIso(ctx.clock)));
}

/** Gives a member another role (the roles API comes later; tests need deactivated and pending members now). */
export async function setRole(ctx: AppContext, userId: number, organizationId: number, role: RoleCode): Promise<void> {
  const membership = await ctx.repos.memberships.find(userId, organizationId);
  if (!membership) throw new Error(`user ${userId} is not a member of organization ${organizationId}`);
  await ctx.deps.uow.run(setup(), (tx) => tx.repos.memberships.setRole(membership.id, role, nowIso(ctx.clock)));
}

/** A project of the organization, created by `creatorId`. */
export async function buildProject(ctx: AppContext, organizationId: number, creatorId: number | null, title = 'Project'): Promise<number> {
  const at = nowIso(ctx.clock);
  const project = await ctx.deps.uow.run(setup(), (tx) =>
    tx.repos.projects.insert({ organization_id: organizationId, created_by_id: creatorId, title, description: '', label_config: '<View/>', created_at: at, updated_at: at }),
  );
  return project.id;
}

/** The organization's current invite token, as members who may invite see it. */
export function inviteTokenOf(ctx: AppContext, organizationId: number): Promise<string> {
  return ctx.repos.organizations.findById(organizationId).then((org) => {
    if (!org?.invite_ciphertext) throw new Error(`organization ${organizationId} has no sealed invite token`);
    return ctx.deps.secrets.inviteTokens.decrypt(org.invite_ciphertext);
  });
}

/** The context a request of this member would carry (for calling services as they would). */
export async function actingAs(ctx: AppContext, user: UserRow): Promise<MemberContext> {
  const actor = await ctx.deps.actors.inActiveOrganization(user);
  return asMember({ ...setup(), via: 'legacy-token' }, actor);
}
