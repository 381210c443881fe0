/**
 * The people and objects the permission matrix acts with: one caller per role in one organization (and one removed
 * from it), a plain annotator to act on, a customized permission, a second organization with its owner, a project, a
 * task and a customized permission of its own; users made to be deleted; throwaway organizations for the operations
 * whose success would change what later cells stand on; and what a cell sends beyond its path (derived bodies, a few
 * explicit ones). `runCell` sends one cell and judges it.
 */
import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import type { AppError } from '#src/errors.js';
import { systemContext } from '#src/policies/action-context.js';
import { CONFIGURABLE_PERMISSIONS, isActiveRole, isConfigurable, PERMISSIONS, type Permission } from '#src/policies/permissions.js';
import { targetRefusal } from '#src/policies/target-rules.js';
import type { RoleCode } from '#src/storage/schema.js';
import { actingAs, buildMember, buildOrganization, buildOwner, type TestUser } from './factories.js';
import { validBody } from './hostile-bodies.js';
import { tokenAuth, type HttpResponse, type RequestOptions } from './http-client.js';
import { solidPng } from './png.js';
import {
  expectedOutcome,
  idsFor,
  mismatchOf,
  TARGET_RULES,
  userParamOf,
  type CallerKind,
  type Ids,
  type MatrixOperation,
  type MatrixSettings,
  type Target,
} from './permission-matrix.js';
import type { TestServer } from './test-server.js';

const CONFIGURABLE = Object.keys(CONFIGURABLE_PERMISSIONS) as Permission[];
/** The customized permission `{key}` names in the caller's organization (customized to its default: the table stays). */
export const FIXTURE_KEY: Permission = CONFIGURABLE[0] ?? 'organizations.invite';
/** The one customized in the second organization only: asked for through one's own organization, it does not exist. */
export const FOREIGN_KEY: Permission = CONFIGURABLE[1] ?? 'users.token.any';

/** The role a role-change cell gives its target: upwards from annotator, within what an administrator may give. */
const ROLE_GIVEN: RoleCode = 'RE';

/** An organization's overrides as the server stores them: the owner always among the roles. */
export const storedRoles = (roles: readonly RoleCode[]): RoleCode[] => [...new Set<RoleCode>(['OW', ...roles])];

/** One organization the cells act in: its callers, the objects they name, and its customized permissions. */
export interface Cast {
  organizationId: number;
  callers: Map<CallerKind, TestUser>;
  ids: Ids;
  /** The overrides set there (at set-up or by a test through the API): what the expected answers are computed with. */
  overrides: Map<string, readonly RoleCode[]>;
}

/** A project with one task, created over HTTP by its organization's owner. */
async function projectWithTask(server: TestServer, owner: TestUser, title: string): Promise<{ project: number; task: number }> {
  const http = server.client();
  const created = await http.post('/api/projects/', { headers: tokenAuth(owner.token), json: { title } });
  assert.equal(created.status, 201, created.text);
  const project = (created.body as { id: number }).id;
  const imported = await http.post(`/api/projects/${project}/import?return_task_ids=true`, {
    headers: tokenAuth(owner.token),
    json: [{ data: { text: 'a task' } }],
  });
  assert.equal(imported.status, 201, imported.text);
  const [task] = (imported.body as { task_ids: number[] }).task_ids;
  assert.ok(task !== undefined, imported.text);
  return { project, task };
}

/** Removes a member the way the API removes (their active organization goes too), so their key still authenticates. */
async function removeOverHttp(server: TestServer, owner: TestUser, organizationId: number, userId: number): Promise<void> {
  const removal = await server.client().delete(`/api/organizations/${organizationId}/memberships/${userId}`, { headers: tokenAuth(owner.token) });
  assert.equal(removal.status, 204, removal.text);
}

/** Customizes a permission through the service, as the owner would (the API's own path is what the matrix tests). */
async function customize(server: TestServer, owner: TestUser, permission: Permission, roles: readonly RoleCode[]): Promise<void> {
  const { ctx } = server;
  await ctx.services.permissions.create(await actingAs(ctx, await ctx.services.accounts.getById(owner.user.id)), permission, roles);
}

/** A multipart avatar upload with a real (tiny) picture. */
export function avatarUpload(): FormData {
  const form = new FormData();
  form.append('avatar', new Blob([solidPng(4, 4)], { type: 'image/png' }), 'avatar.png');
  return form;
}

/** What a cell sends besides its path and credentials. */
type CellRequest = Pick<RequestOptions, 'raw' | 'json' | 'multipart' | 'headers'>;

/** Per-operation requests the OpenAPI document cannot describe, and what a success of theirs hands on. */
interface Explicit {
  /** The whole request, instead of the document's body. */
  request?(fixture: MatrixFixture, caller: CallerKind): Promise<CellRequest>;
  /** Values laid over the document's body (required fields filled, named objects in): the ones a valid request needs. */
  fields?(cast: Cast): Record<string, unknown>;
  /** The role the body gives, for the change_role target rule. */
  newRole?: RoleCode;
  after?(fixture: MatrixFixture, caller: CallerKind, response: HttpResponse): void;
}

/** The configurable permission a creation cell customizes: one the organization has not customized yet. */
function uncustomized(cast: Cast): Permission {
  const free = CONFIGURABLE.find((permission) => !cast.overrides.has(permission));
  assert.ok(free, 'every configurable permission is customized: nothing left to create');
  return free;
}

const defaultRoles = (key: string): readonly RoleCode[] => (isConfigurable(key) ? PERMISSIONS[key] : []);

const EXPLICIT: Readonly<Record<string, Explicit>> = {
  // The document states `custom_hotkeys` is required only in prose; `{}` replaces nothing of use.
  'PATCH /api/current-user/hotkeys/': { request: async () => ({ json: { custom_hotkeys: {} } }) },
  // An empty body would do, but a success here must never switch the organization's tokens off for later cells.
  'POST /api/jwt/settings': { request: async () => ({ json: { api_tokens_enabled: true, legacy_api_tokens_enabled: true } }) },
  // Multipart, which the document declares without a schema: a real (tiny) picture.
  'POST /api/users/{id}/avatar/': { request: async () => ({ multipart: avatarUpload() }) },
  'POST /api/token/': { after: (fixture, caller, response) => fixture.keepPat(caller, response, 201, 'token') },
  // Rotation takes one of the caller's own live personal access tokens.
  'POST /api/token/rotate/': {
    request: async (fixture, caller) => ({ json: { refresh: await fixture.patOf(caller) } }),
    after: (fixture, caller, response) => fixture.keepPat(caller, response, 200, 'refresh'),
  },
  // A role and a default role the server accepts (the document only bounds their length).
  'PATCH /api/organizations/{id}/memberships': { fields: () => ({ role: ROLE_GIVEN }), newRole: ROLE_GIVEN },
  'PATCH /api/organizations/{id}/set-default-role': { fields: () => ({ default_role: ROLE_GIVEN }) },
  // A permission that can be customized and is not yet, at its default roles.
  'POST /api/organizations/{id}/permissions': {
    fields: (cast) => {
      const permission = uncustomized(cast);
      return { permission, roles: PERMISSIONS[permission] };
    },
  },
  // New roles for the customized one: its defaults, so that a success is a real write.
  'PUT /api/organizations/{id}/permissions/{key}': { fields: (cast) => ({ roles: defaultRoles(cast.ids.permissions) }) },
  'PATCH /api/organizations/{id}/permissions/{key}': { fields: (cast) => ({ roles: defaultRoles(cast.ids.permissions) }) },
};

/**
 * Operations whose success changes what later cells stand on, and how: each of their cells that could succeed (a
 * caller in the organization it acts in) runs in a throwaway organization of its own, built for that one cell.
 */
export const ISOLATED: Readonly<Record<string, string>> = {
  'POST /api/organizations/': 'moves the caller into the organization it creates',
  'PATCH /api/organizations/{id}/set-default-role': 'changes the role sign-ups get',
  'PATCH /api/organizations/{id}/memberships': "changes the target's role",
  'POST /api/organizations/{id}/transfer-ownership': 'makes the target the owner and the caller an administrator',
  'POST /api/organizations/{id}/leave': 'takes the caller out of the organization',
  'POST /api/organizations/{id}/permissions': 'customizes a permission: the table changes',
  'POST /api/organizations/{id}/permissions/reset': "removes every customized permission, the one {key} names too",
  'PUT /api/organizations/{id}/permissions/{key}': 'changes who holds a permission',
  'PATCH /api/organizations/{id}/permissions/{key}': 'changes who holds a permission',
  'DELETE /api/organizations/{id}/permissions/{key}': 'removes the customized permission {key} names',
};

/** Per-operation tables keyed by operation: the keys the plan must have (a renamed route would leave them dead). */
export const OPERATION_TABLES: Readonly<Record<string, readonly string[]>> = {
  EXPLICIT: Object.keys(EXPLICIT),
  ISOLATED: Object.keys(ISOLATED),
  TARGET_RULES: Object.keys(TARGET_RULES),
};

/** What a matrix run saw, for the report. */
export interface Report {
  cells: number;
  mismatches: string[];
  /** Served cells that answered a 4xx other than a refusal (validation, conflict): listed, not failed. */
  servedWith4xx: string[];
  /** Answers by status, for the diagnostic. */
  statuses: Map<number, number>;
  /** Cells of an allowed role refused, as expected, by a target or operation rule: the only accepted 403s of that kind. */
  ruleRefusals: string[];
  /** Cells run in a throwaway organization. */
  isolated: number;
}

export const emptyReport = (): Report => ({ cells: 0, mismatches: [], servedWith4xx: [], statuses: new Map(), ruleRefusals: [], isolated: 0 });

/** The fixture of one database: build it with `buildMatrixFixture`. */
export class MatrixFixture {
  /** The full value of each caller's live personal access token, when a cell (or `patOf`) issued one. */
  private readonly pats = new Map<CallerKind, string>();
  /** Per deleting operation, the user its next successful cell deletes. */
  private readonly victims = new Map<string, TestUser>();
  private sandboxes = 0;

  constructor(
    readonly server: TestServer,
    /** The organization every cell acts in, unless isolated. */
    readonly main: Cast,
    /** The second organization's objects. */
    readonly other: Ids,
    /** The second organization's owner. */
    readonly otherOwner: TestUser,
    readonly settings: MatrixSettings,
  ) {}

  get organizationId(): number {
    return this.main.organizationId;
  }

  caller(kind: CallerKind, cast: Cast = this.main): TestUser {
    const caller = cast.callers.get(kind);
    if (!caller) throw new Error(`no ${kind} caller in organization ${cast.organizationId}`);
    return caller;
  }

  /** Re-reads a caller's legacy token: a cell may have rotated it (POST /api/current-user/reset-token/). */
  async refreshToken(kind: CallerKind): Promise<void> {
    const caller = this.caller(kind);
    caller.token = await this.server.ctx.services.legacyTokens.reveal(systemContext('test'), caller.user.id);
  }

  /**
   * The organization a cell acts in: the main one, or for an isolated operation's cell whose caller may act there
   * (their own organization), a fresh one.
   */
  async castFor(operation: MatrixOperation, caller: CallerKind | undefined, target: Target): Promise<Cast> {
    if (!(operation.key in ISOLATED) || caller === undefined || target === 'other') return this.main;
    return this.sandbox(operation, caller);
  }

  /**
   * A throwaway organization for one cell: its owner, the caller (an annotator removed through the API, for
   * `removed`), a plain annotator to act on, the customized permission {key} names, and a project with a task when
   * the operation names them. Accounts without passwords: a hundred of these cost a few seconds, not a minute.
   */
  private async sandbox(operation: MatrixOperation, kind: CallerKind): Promise<Cast> {
    const { ctx } = this.server;
    this.sandboxes += 1;
    const name = { firstName: 'Sandbox', lastName: String(this.sandboxes), withoutPassword: true };
    const { owner, organizationId } = await buildOrganization(ctx, { ...name, title: `Sandbox ${this.sandboxes}: ${operation.key}` });
    const callers = new Map<CallerKind, TestUser>([['OW', owner]]);
    if (kind !== 'OW') {
      const caller = await buildMember(ctx, organizationId, { ...name, role: kind === 'removed' ? 'AN' : kind });
      if (kind === 'removed') await removeOverHttp(this.server, owner, organizationId, caller.user.id);
      callers.set(kind, caller);
    }
    const target = await buildMember(ctx, organizationId, { ...name, role: 'AN' });
    await customize(this.server, owner, FIXTURE_KEY, PERMISSIONS[FIXTURE_KEY]);
    const named = new Set(operation.params.map((param) => param.resource));
    // Built only when named: no isolated operation names one today.
    const objects = named.has('projects') || named.has('tasks') ? await projectWithTask(this.server, owner, 'Sandbox project') : { project: 0, task: 0 };
    return {
      organizationId,
      callers,
      ids: { organizations: organizationId, users: target.user.id, projects: objects.project, tasks: objects.task, permissions: FIXTURE_KEY },
      overrides: new Map([[FIXTURE_KEY, storedRoles(PERMISSIONS[FIXTURE_KEY])]]),
    };
  }

  /**
   * The user an operation acts on: in the caller's organization the plain annotator, or for deletions one made to
   * be deleted (a success would otherwise take a person later cells need); elsewhere the other organization's owner.
   */
  async targetUser(operation: MatrixOperation, cast: Cast, target: Target): Promise<number> {
    if (target !== 'same') return this.other.users;
    const param = userParamOf(operation);
    // A DELETE on the user itself (`…/{id}/`, `…/{user_id}`), not on something of theirs such as the avatar.
    const deletesUser = operation.method === 'DELETE' && param?.in === 'path' && operation.path.replace(/\/$/, '').endsWith(`{${param.name}}`);
    if (!deletesUser || cast !== this.main) return cast.ids.users;
    let victim = this.victims.get(operation.key);
    if (!victim) {
      victim = await buildMember(this.server.ctx, cast.organizationId, { role: 'AN', firstName: 'Made to be', lastName: 'removed', withoutPassword: true });
      this.victims.set(operation.key, victim);
    }
    return victim.user.id;
  }

  /** Called after each same-organization cell: a 2xx deletion used its victim up. */
  consumed(operation: MatrixOperation, status: number): void {
    if (status >= 200 && status < 300) this.victims.delete(operation.key);
  }

  /** The refusal of the operation's target rule for this caller acting on `userId`, or null when there is none. */
  async targetRefusal(operation: MatrixOperation, cast: Cast, kind: CallerKind, userId: number): Promise<AppError | null> {
    const rule = TARGET_RULES[operation.key];
    if (!rule || kind === 'removed' || !isActiveRole(kind)) return null;
    const { ctx } = this.server;
    const { actor } = await actingAs(ctx, await ctx.services.accounts.getById(this.caller(kind, cast).user.id));
    const membership = await ctx.repos.memberships.find(userId, cast.organizationId);
    assert.ok(membership, `target ${userId} is no member of the caller's organization`);
    const elsewhere = await ctx.repos.memberships.listActiveForUser(userId);
    return targetRefusal(rule, actor, {
      userId,
      role: membership.role,
      createdAnOrganization: await ctx.repos.users.createdAnOrganization(userId),
      memberElsewhere: elsewhere.some((m) => m.organization_id !== cast.organizationId),
      newRole: EXPLICIT[operation.key]?.newRole,
    });
  }

  /**
   * The body (and its headers) a cell sends: the explicit one, else the document's with its required fields filled,
   * the objects it names (`user_id`) and the explicit fields laid over it.
   */
  async request(operation: MatrixOperation, cast: Cast, kind: CallerKind | undefined, named: ReadonlyMap<string, unknown>): Promise<CellRequest> {
    const explicit = EXPLICIT[operation.key];
    if (explicit?.request && kind !== undefined) return explicit.request(this, kind);
    if (operation.body) {
      const values = new Map<string, string>();
      for (const [name, value] of [...named, ...Object.entries(explicit?.fields?.(cast) ?? {})]) values.set(name, JSON.stringify(value));
      return { raw: validBody(operation.body, values), headers: { 'content-type': 'application/json' } };
    }
    // A bodiless POST as the SDK sends it: no body, no content type.
    return operation.method === 'POST' ? { raw: new Uint8Array(0) } : {};
  }

  after(operation: MatrixOperation, kind: CallerKind, response: HttpResponse): void {
    EXPLICIT[operation.key]?.after?.(this, kind, response);
  }

  /** The caller's live personal access token; issued here when no cell has issued one yet. */
  async patOf(kind: CallerKind): Promise<string> {
    const known = this.pats.get(kind);
    if (known) return known;
    // Pending, deactivated and removed callers are refused before the body is read: any token will do.
    if (kind === 'removed' || !isActiveRole(kind)) return 'e30.e30.not-a-signature';
    const { ctx } = this.server;
    const issued = await ctx.services.personalTokens.create(await actingAs(ctx, await ctx.services.accounts.getById(this.caller(kind).user.id)));
    this.pats.set(kind, issued.token);
    return issued.token;
  }

  /** Keeps the token a successful issue or rotation answered, so that the next rotation has a live one. */
  keepPat(kind: CallerKind, response: HttpResponse, status: number, field: 'token' | 'refresh'): void {
    if (response.status !== status) return;
    const value = (response.body as Record<string, unknown>)[field];
    if (typeof value === 'string') this.pats.set(kind, value);
  }

  /** Sandboxes built so far. */
  get sandboxCount(): number {
    return this.sandboxes;
  }
}

/** The URL of a cell and the values its body names, with the user it acts on when it names one. */
async function cellTarget(
  fixture: MatrixFixture,
  operation: MatrixOperation,
  cast: Cast,
  target: Target,
): Promise<{ url: string; named: Map<string, unknown>; userId?: number }> {
  const ids = idsFor(target, cast.ids, fixture.other);
  const userId = userParamOf(operation) === undefined ? undefined : await fixture.targetUser(operation, cast, target);
  let path = operation.path;
  const query = new URLSearchParams();
  const named = new Map<string, unknown>();
  for (const param of operation.params) {
    const value = param.resource === 'users' && userId !== undefined ? userId : ids[param.resource];
    if (param.in === 'path') path = path.replace(`{${param.name}}`, encodeURIComponent(String(value)));
    else if (param.in === 'query') query.set(param.name, String(value));
    else named.set(param.name, value);
  }
  const search = query.toString();
  return { url: search ? `${path}?${search}` : path, named, userId };
}

/**
 * Sends one cell and records whether its answer is the expected one. `caller` undefined: no credentials. The
 * expected answer is computed from the table with the acting organization's overrides, as the cell is sent.
 */
export async function runCell(
  fixture: MatrixFixture,
  operation: MatrixOperation,
  caller: CallerKind | undefined,
  target: Target,
  report: Report,
  label: string,
): Promise<void> {
  const cast = await fixture.castFor(operation, caller, target);
  const { url, named, userId } = await cellTarget(fixture, operation, cast, target);
  const refusal =
    caller !== undefined && target === 'same' && userId !== undefined ? await fixture.targetRefusal(operation, cast, caller, userId) : null;
  const expected = expectedOutcome(operation, { caller, target, overrides: cast.overrides, targetRefusal: refusal, settings: fixture.settings });
  const request = await fixture.request(operation, cast, caller, named);
  const headers = { ...(request.headers ?? {}), ...(caller === undefined ? {} : tokenAuth(fixture.caller(caller, cast).token)) };
  const response = await fixture.server.client().request(operation.method, url, { ...request, headers });
  report.cells += 1;
  if (cast !== fixture.main) report.isolated += 1;
  report.statuses.set(response.status, (report.statuses.get(response.status) ?? 0) + 1);
  const isolated = cast === fixture.main ? '' : ', throwaway organization';
  const where = `[${label}] ${operation.key} as ${caller ?? 'anonymous'}, ${target} organization${isolated} (${operation.method} ${url})`;
  const mismatch = mismatchOf(expected, response.status, response.text);
  // MATRIX_LOG names a file that gets every cell, expected and answered, one JSON line each (for digging).
  const log = process.env.MATRIX_LOG;
  if (log) appendFileSync(log, `${JSON.stringify({ where, expected, status: response.status, body: response.text.slice(0, 300) })}\n`);
  if (mismatch) report.mismatches.push(`${where}: ${mismatch}`);
  else if (expected.kind === 'served' && response.status >= 400) report.servedWith4xx.push(`${where}: ${response.status}`);
  else if (expected.kind === 'refused' && expected.byRule) report.ruleRefusals.push(`${operation.key} as ${caller ?? '?'}: ${expected.code}`);
  if (cast !== fixture.main) return;
  if (target === 'same') fixture.consumed(operation, response.status);
  if (caller === undefined) return;
  fixture.after(operation, caller, response);
  // Any unsafe cell may have rotated the caller's legacy token (reset-token does, on success).
  if (operation.method !== 'GET') await fixture.refreshToken(caller);
}

/** Builds the two organizations, every caller, and the objects they act on. */
export async function buildMatrixFixture(server: TestServer): Promise<MatrixFixture> {
  const { ctx } = server;
  assert.notEqual(FIXTURE_KEY, FOREIGN_KEY, 'two configurable permissions are needed');
  const owner = await buildOwner(ctx, { legacyTokens: true });
  const organizationId = owner.user.active_organization_id;
  assert.ok(organizationId !== null, 'the owner has an organization');
  const callers = new Map<CallerKind, TestUser>([['OW', owner]]);
  for (const role of ['AD', 'MA', 'RE', 'AN', 'NO', 'DI'] as const) {
    callers.set(role, await buildMember(ctx, organizationId, { role, firstName: 'Caller', lastName: role, withoutPassword: true }));
  }
  // Acted on by profile, avatar and contribution cells: an annotator who is nobody's caller.
  const plainTarget = await buildMember(ctx, organizationId, { role: 'AN', firstName: 'Plain', lastName: 'Target', withoutPassword: true });

  const removed = await buildMember(ctx, organizationId, { role: 'AN', firstName: 'Caller', lastName: 'removed', withoutPassword: true });
  await removeOverHttp(server, owner, organizationId, removed.user.id);
  callers.set('removed', removed);
  // Customized to its default roles: {key} names something, and the table the matrix checks is unchanged.
  await customize(server, owner, FIXTURE_KEY, PERMISSIONS[FIXTURE_KEY]);

  const second = await buildOrganization(ctx, { title: 'Other organization', withoutPassword: true });
  await customize(server, second.owner, FOREIGN_KEY, PERMISSIONS[FOREIGN_KEY]);
  const own = await projectWithTask(server, owner, 'Own project');
  const foreign = await projectWithTask(server, second.owner, 'Foreign project');
  const main: Cast = {
    organizationId,
    callers,
    ids: { organizations: organizationId, users: plainTarget.user.id, projects: own.project, tasks: own.task, permissions: FIXTURE_KEY },
    overrides: new Map([[FIXTURE_KEY, storedRoles(PERMISSIONS[FIXTURE_KEY])]]),
  };
  const other: Ids = {
    organizations: second.organizationId,
    users: second.owner.user.id,
    projects: foreign.project,
    tasks: foreign.task,
    permissions: FOREIGN_KEY,
  };
  return new MatrixFixture(server, main, other, second.owner, { allowOrganizationCreation: ctx.config.security.allowOrganizationCreation });
}
