/**
 * The people and objects the permission matrix acts with: one caller per role in one organization (and one removed
 * from it), a plain annotator to act on, a second organization with its owner, a project and a task in each; users
 * made to be deleted; and what a cell sends beyond its path (derived bodies, a few explicit ones).
 */
import assert from 'node:assert/strict';
import type { AppError } from '#src/errors.js';
import { systemContext } from '#src/policies/action-context.js';
import { isActiveRole } from '#src/policies/permissions.js';
import { targetRefusal } from '#src/policies/target-rules.js';
import { actingAs, buildMember, buildOrganization, buildOwner, type TestUser } from './factories.js';
import { validBody } from './hostile-bodies.js';
import { tokenAuth, type HttpResponse, type RequestOptions } from './http-client.js';
import { solidPng } from './png.js';
import { TARGET_RULES, userParamOf, type CallerKind, type MatrixOperation, type Resource, type Target } from './permission-matrix.js';
import type { TestServer } from './test-server.js';

type Ids = Record<Resource, number>;

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
  request?(fixture: MatrixFixture, caller: CallerKind): Promise<CellRequest>;
  after?(fixture: MatrixFixture, caller: CallerKind, response: HttpResponse): void;
}

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
};

/** The fixture of one database: build it with `buildMatrixFixture`. */
export class MatrixFixture {
  /** The full value of each caller's live personal access token, when a cell (or `patOf`) issued one. */
  private readonly pats = new Map<CallerKind, string>();
  /** Per deleting operation, the user its next successful cell deletes. */
  private readonly victims = new Map<string, TestUser>();

  constructor(
    readonly server: TestServer,
    readonly organizationId: number,
    private readonly callers: Map<CallerKind, TestUser>,
    readonly ids: Readonly<Record<Target, Ids>>,
  ) {}

  caller(kind: CallerKind): TestUser {
    const caller = this.callers.get(kind);
    if (!caller) throw new Error(`no ${kind} caller in the fixture`);
    return caller;
  }

  /** Re-reads a caller's legacy token: a cell may have rotated it (POST /api/current-user/reset-token/). */
  async refreshToken(kind: CallerKind): Promise<void> {
    const caller = this.caller(kind);
    caller.token = await this.server.ctx.services.legacyTokens.reveal(systemContext('test'), caller.user.id);
  }

  /**
   * The user an operation acts on in the caller's organization: the plain annotator, or for deletions one made to
   * be deleted (a success would otherwise take a person later cells need).
   */
  async targetUser(operation: MatrixOperation): Promise<number> {
    const param = userParamOf(operation);
    // A DELETE on the user itself (`…/{id}/`, `…/{user_id}`), not on something of theirs such as the avatar.
    const deletesUser = operation.method === 'DELETE' && param !== undefined && operation.path.replace(/\/$/, '').endsWith(`{${param.name}}`);
    if (!deletesUser) return this.ids.same.users;
    let victim = this.victims.get(operation.key);
    if (!victim) {
      victim = await buildMember(this.server.ctx, this.organizationId, { role: 'AN', firstName: 'Made to be', lastName: 'removed' });
      this.victims.set(operation.key, victim);
    }
    return victim.user.id;
  }

  /** Called after each cell: a 2xx deletion used its victim up. */
  consumed(operation: MatrixOperation, status: number): void {
    if (status >= 200 && status < 300) this.victims.delete(operation.key);
  }

  /** The refusal of the operation's target rule for this caller acting on `userId`, or null when there is none. */
  async targetRefusal(operation: MatrixOperation, kind: CallerKind, userId: number): Promise<AppError | null> {
    const rule = TARGET_RULES[operation.key];
    if (!rule || kind === 'removed' || !isActiveRole(kind)) return null;
    const { ctx } = this.server;
    const { actor } = await actingAs(ctx, await ctx.services.accounts.getById(this.caller(kind).user.id));
    const membership = await ctx.repos.memberships.find(userId, this.organizationId);
    assert.ok(membership, `target ${userId} is no member of the caller's organization`);
    const elsewhere = await ctx.repos.memberships.listActiveForUser(userId);
    return targetRefusal(rule, actor, {
      userId,
      role: membership.role,
      createdAnOrganization: await ctx.repos.users.createdAnOrganization(userId),
      memberElsewhere: elsewhere.some((m) => m.organization_id !== this.organizationId),
    });
  }

  /** The body (and its headers) a cell sends: the explicit one, else the document's with its required fields filled. */
  async request(operation: MatrixOperation, kind: CallerKind | undefined): Promise<CellRequest> {
    const explicit = EXPLICIT[operation.key]?.request;
    if (explicit && kind !== undefined) return explicit(this, kind);
    if (operation.body) return { raw: validBody(operation.body), headers: { 'content-type': 'application/json' } };
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
}

/** Builds the two organizations, every caller, and the objects they act on. */
export async function buildMatrixFixture(server: TestServer): Promise<MatrixFixture> {
  const { ctx } = server;
  const owner = await buildOwner(ctx, { legacyTokens: true });
  const organizationId = owner.user.active_organization_id;
  assert.ok(organizationId !== null, 'the owner has an organization');
  const callers = new Map<CallerKind, TestUser>([['OW', owner]]);
  for (const role of ['AD', 'MA', 'RE', 'AN', 'NO', 'DI'] as const) {
    callers.set(role, await buildMember(ctx, organizationId, { role, firstName: 'Caller', lastName: role }));
  }
  // Acted on by profile, avatar and contribution cells: an annotator who is nobody's caller.
  const plainTarget = await buildMember(ctx, organizationId, { role: 'AN', firstName: 'Plain', lastName: 'Target' });

  // Removed the way the API removes (their active organization goes too), so their key still authenticates.
  const removed = await buildMember(ctx, organizationId, { role: 'AN', firstName: 'Caller', lastName: 'removed' });
  const removal = await server
    .client()
    .delete(`/api/organizations/${organizationId}/memberships/${removed.user.id}`, { headers: tokenAuth(owner.token) });
  assert.equal(removal.status, 204, removal.text);
  callers.set('removed', removed);

  const second = await buildOrganization(ctx, { title: 'Other organization' });
  const own = await projectWithTask(server, owner, 'Own project');
  const foreign = await projectWithTask(server, second.owner, 'Foreign project');
  return new MatrixFixture(server, organizationId, callers, {
    same: { organizations: organizationId, users: plainTarget.user.id, projects: own.project, tasks: own.task },
    other: { organizations: second.organizationId, users: second.owner.user.id, projects: foreign.project, tasks: foreign.task },
  });
}

