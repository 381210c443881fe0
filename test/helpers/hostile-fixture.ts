/**
 * What the hostile suite sends its requests about, and how it is put back: an owner (the caller, by legacy token and
 * by a logged-in browser session), a member, a project with a task and an annotation, customized permissions, users
 * and a customized permission made to be deleted, and a second organization with objects of its own. Requests whose
 * success changes the organization (ownership, the active organization, roles, customized permissions, the default
 * role) are undone after each one by `restore`, so every request meets the same organization.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { nowIso } from '#src/clock.js';
import { systemContext } from '#src/policies/action-context.js';
import { CONFIGURABLE_PERMISSIONS, PERMISSIONS, type Permission } from '#src/policies/permissions.js';
import type { RoleCode } from '#src/storage/schema.js';
import { actingAs, buildMember, buildOrganization, buildOwner, type TestUser } from './factories.js';
import { resourceOf, type FixtureIds, type ObjectRef } from './hostile-requests.js';
import type { Credentials } from './hostile-runner.js';
import { tokenAuth } from './http-client.js';
import type { Operation } from './openapi-operations.js';
import type { TestServer } from './test-server.js';

const CONFIGURABLE = Object.keys(CONFIGURABLE_PERMISSIONS) as Permission[];
/**
 * Customizable permissions by use: the one `{key}` names, the one deleted, the one only the second organization
 * customized (asked for through one's own, it does not exist), and the one a creation customizes.
 */
const [KEY, DELETED_KEY, FOREIGN_KEY, CREATED_KEY] = CONFIGURABLE;

/** A role code and a default role the server accepts: what the document, bounding only their length, cannot give. */
const ROLE_EXAMPLE: RoleCode = 'RE';

export interface HostileFixture {
  ids: FixtureIds;
  credentials: Credentials;
  /** Puts the organization back as built; true when it had to write. */
  restore(): Promise<boolean>;
}

/** A project with one task (and one annotation), created over HTTP by `user`. */
async function buildProjectWithTask(server: TestServer, user: TestUser, title: string): Promise<{ project: number; task: number }> {
  const http = server.client();
  const project = await http.post('/api/projects/', { headers: tokenAuth(user.token), json: { title } });
  assert.equal(project.status, 201, project.text);
  const projectId = (project.body as { id: number }).id;
  const imported = await http.post(`/api/projects/${projectId}/import?return_task_ids=true`, {
    headers: tokenAuth(user.token),
    json: [{ data: { text: 'a task' } }],
  });
  assert.equal(imported.status, 201, imported.text);
  const [task] = (imported.body as { task_ids: number[] }).task_ids;
  assert.ok(task);
  const annotation = await http.post(`/api/tasks/${task}/annotations/`, { headers: tokenAuth(user.token), json: { result: [] } });
  assert.equal(annotation.status, 201, annotation.text);
  return { project: projectId, task };
}

/** Objects made to be deleted, one per DELETE operation: a user, or a customized permission (put back by `restore`). */
async function buildVictims(server: TestServer, organizationId: number, operations: readonly Operation[]): Promise<Record<string, ObjectRef>> {
  const victims: Record<string, ObjectRef> = {};
  for (const operation of operations.filter((op) => op.method === 'DELETE')) {
    const last = [...operation.path.matchAll(/\{([^}]+)\}/g)].at(-1)?.[1];
    const resource = last === undefined ? undefined : resourceOf(operation.path, last);
    if (resource === 'users') victims[operation.key] = (await buildMember(server.ctx, organizationId)).user.id;
    if (resource === 'permissions' && DELETED_KEY) victims[operation.key] = DELETED_KEY;
  }
  return victims;
}

export async function buildHostileFixture(server: TestServer, kind: string, operations: readonly Operation[]): Promise<HostileFixture> {
  assert.ok(KEY && DELETED_KEY && FOREIGN_KEY && CREATED_KEY, 'four configurable permissions are needed');
  const { ctx } = server;
  const owner = await buildOwner(ctx, { legacyTokens: true });
  const organizationId = owner.user.active_organization_id ?? 0;
  const member = await buildMember(ctx, organizationId);
  const second = await buildOrganization(ctx, { email: `outsider-${kind}@example.com`, password: 'outsider-pass-1', title: 'Second organization' });
  const outsider: TestUser = second.owner;
  const own = await buildProjectWithTask(server, owner, 'Own project');
  const foreign = await buildProjectWithTask(server, outsider, 'Foreign project');
  // Customized to their defaults: they exist to be named, read, changed and deleted; the table stays as it is.
  const customized: ReadonlyMap<string, readonly RoleCode[]> = new Map([KEY, DELETED_KEY].map((key) => [key, PERMISSIONS[key]]));
  for (const [key, roles] of customized) await ctx.services.permissions.create(await actingAs(ctx, owner.user), key, roles);
  await ctx.services.permissions.create(await actingAs(ctx, outsider.user), FOREIGN_KEY, PERMISSIONS[FOREIGN_KEY]);
  const organization = await ctx.repos.organizations.findById(organizationId);
  assert.ok(organization);
  const ids: FixtureIds = {
    own: { users: member.user.id, organizations: organizationId, projects: own.project, tasks: own.task, permissions: KEY },
    foreign: { users: outsider.user.id, organizations: second.organizationId, projects: foreign.project, tasks: foreign.task, permissions: FOREIGN_KEY },
    victims: await buildVictims(server, organizationId, operations),
    examples: { role: JSON.stringify(ROLE_EXAMPLE), default_role: JSON.stringify(ROLE_EXAMPLE), permission: JSON.stringify(CREATED_KEY) },
  };

  const browser = server.client();
  const login = await browser.login(owner.email, owner.password);
  assert.equal(login.status, 302, login.text);
  assert.ok(browser.cookies.get('sessionid') && browser.cookies.get('csrftoken'));
  let token = owner.token;
  // Ending the owner's other sessions (by token) would end this one too: it is put back, so the cookie-only requests
  // stay refused for their CSRF token rather than for a session gone.
  const sessionHash = createHash('sha256').update(browser.cookies.get('sessionid') ?? '').digest('hex');
  const sessionRow = await ctx.repos.sessions.find(sessionHash);
  assert.ok(sessionRow);
  const credentials: Credentials = {
    token: () => token,
    sessionCookie: [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
    refresh: async () => {
      token = await ctx.services.legacyTokens.reveal(systemContext('test'), owner.user.id);
      if (!(await ctx.repos.sessions.find(sessionHash))) await ctx.deps.uow.run(systemContext('hostile fixture'), (tx) => tx.repos.sessions.insert(sessionRow));
    },
  };

  const roles = new Map<number, RoleCode>([
    [owner.user.id, 'OW'],
    [member.user.id, 'AN'],
  ]);
  const restore = async (): Promise<boolean> =>
    ctx.deps.uow.run(systemContext('hostile fixture'), async (tx) => {
      const at = nowIso(ctx.clock);
      let wrote = false;
      // A session policy set by a request: back to the server's defaults.
      if (await tx.repos.sessionPolicies.find(organizationId)) {
        await tx.repos.sessionPolicies.remove(organizationId);
        wrote = true;
      }
      // A new organization moves its creator into it.
      const user = await tx.repos.users.findById(owner.user.id);
      if (user?.active_organization_id !== organizationId) {
        await tx.repos.users.update(owner.user.id, { active_organization_id: organizationId });
        wrote = true;
      }
      // A transfer makes the member the owner and the owner an administrator; a role change gives the member a role.
      for (const [userId, role] of roles) {
        const membership = await tx.repos.memberships.find(userId, organizationId);
        assert.ok(membership && membership.deleted_at === null, `user ${userId} left the organization: it cannot be put back`);
        if (membership.role !== role) {
          await tx.repos.memberships.setRole(membership.id, role, at);
          wrote = true;
        }
      }
      const now = await tx.repos.organizations.findById(organizationId);
      if (now?.created_by_id !== organization.created_by_id || now.default_role !== organization.default_role) {
        await tx.repos.organizations.update(organizationId, { created_by_id: organization.created_by_id, default_role: organization.default_role });
        wrote = true;
      }
      // Exactly the fixture's customized permissions, with their roles: resets, creations, changes and deletions undone.
      const present = new Map((await tx.repos.permissionOverrides.list(organizationId)).map((row) => [row.permission, row.roles]));
      for (const permission of present.keys()) {
        if (customized.has(permission)) continue;
        await tx.repos.permissionOverrides.delete(organizationId, permission);
        wrote = true;
      }
      for (const [permission, wanted] of customized) {
        const stored = present.get(permission);
        if (stored === undefined) await tx.repos.permissionOverrides.insert(organizationId, permission, wanted, at);
        else if (stored.join() !== wanted.join()) await tx.repos.permissionOverrides.update(organizationId, permission, wanted, at);
        else continue;
        wrote = true;
      }
      return wrote;
    });
  return { ids, credentials, restore };
}
