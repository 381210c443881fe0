/**
 * The permission matrix, on each database: every /api operation a member permission guards × every role (plus a
 * member removed from their only organization, plus no credentials) × objects of the caller's organization and of
 * another, sent over real HTTP with legacy tokens. What each cell must answer is computed from the permission table
 * and the route's declaration (helpers/permission-matrix.ts), never written per cell. The one allowance: on the five
 * operations of TARGET_RULES, a same-organization cell of an allowed role gets exactly the refusal its target rule
 * gives (today: PATCH /api/users/{id}/ and the avatar's POST and DELETE for MA, RE and AN acting on another
 * annotator, `permission.denied`, as they lack `users.change`). All mismatches are collected and reported at once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PERMISSIONS, roleAllows, type Permission } from '#src/policies/permissions.js';
import { DATABASE_KINDS, skipReason, type DatabaseKind } from '../helpers/databases.js';
import { addToOrganization, buildMember } from '../helpers/factories.js';
import { tokenAuth, type RequestOptions } from '../helpers/http-client.js';
import { avatarUpload, buildMatrixFixture, type MatrixFixture } from '../helpers/permission-matrix-fixture.js';
import {
  CALLER_KINDS,
  expectedOutcome,
  mismatchOf,
  planMatrix,
  refusalProblem,
  userParamOf,
  type CallerKind,
  type MatrixOperation,
  type MatrixPlan,
  type Target,
} from '../helpers/permission-matrix.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const ACTIVE_ROLES = ['OW', 'AD', 'MA', 'RE', 'AN'] as const;

interface Report {
  cells: number;
  mismatches: string[];
  /** Served cells that answered a 4xx other than a refusal (validation, conflict): listed, not failed. */
  servedWith4xx: string[];
  /** Answers by status, for the diagnostic. */
  statuses: Map<number, number>;
  /** Cells of an allowed role refused, as expected, by a target rule: the matrix's only accepted 403s of that kind. */
  targetRuleRefusals: string[];
}

/**
 * An operation that names nothing acts on the caller's own organization whatever the target, so its
 * other-organization cell would repeat the same-organization one: it has only the latter.
 */
const targetsOf = (operation: MatrixOperation): Target[] => (operation.params.length > 0 ? ['same', 'other'] : ['same']);

/** The URL of a cell, with the user it acts on when it names one. */
async function cellUrl(fixture: MatrixFixture, operation: MatrixOperation, target: Target): Promise<{ url: string; userId?: number }> {
  const ids = fixture.ids[target];
  const userId = userParamOf(operation) === undefined ? undefined : target === 'same' ? await fixture.targetUser(operation) : ids.users;
  let path = operation.path;
  const query = new URLSearchParams();
  for (const param of operation.params) {
    const id = String(param.resource === 'users' && userId !== undefined ? userId : ids[param.resource]);
    if (param.in === 'path') path = path.replace(`{${param.name}}`, id);
    else query.set(param.name, id);
  }
  const search = query.toString();
  return { url: search ? `${path}?${search}` : path, userId };
}

/** Sends one cell and records whether its answer is the expected one. `caller` undefined: no credentials. */
async function runCell(
  kind: DatabaseKind,
  fixture: MatrixFixture,
  operation: MatrixOperation,
  caller: CallerKind | undefined,
  target: Target,
  report: Report,
): Promise<void> {
  const { url, userId } = await cellUrl(fixture, operation, target);
  const refusal = caller !== undefined && target === 'same' && userId !== undefined ? await fixture.targetRefusal(operation, caller, userId) : null;
  const expected = expectedOutcome(operation, caller, target, refusal);
  const request = await fixture.request(operation, caller);
  const headers = { ...(request.headers ?? {}), ...(caller === undefined ? {} : tokenAuth(fixture.caller(caller).token)) };
  const response = await fixture.server.client().request(operation.method, url, { ...request, headers });
  report.cells += 1;
  report.statuses.set(response.status, (report.statuses.get(response.status) ?? 0) + 1);
  const where = `[${kind}] ${operation.key} as ${caller ?? 'anonymous'}, ${target} organization (${operation.method} ${url})`;
  const mismatch = mismatchOf(expected, response.status, response.text);
  if (mismatch) report.mismatches.push(`${where}: ${mismatch}`);
  else if (expected.kind === 'served' && response.status >= 400) report.servedWith4xx.push(`${where}: ${response.status}`);
  else if (expected.kind === 'refused' && expected.byTargetRule) report.targetRuleRefusals.push(`${operation.key} as ${caller ?? '?'}: ${expected.code}`);
  if (target === 'same') fixture.consumed(operation, response.status);
  if (caller === undefined) return;
  fixture.after(operation, caller, response);
  // Any unsafe cell may have rotated the caller's legacy token (reset-token does, on success).
  if (operation.method !== 'GET') await fixture.refreshToken(caller);
}

for (const kind of DATABASE_KINDS) {
  describe(`permission matrix: the table and the route declarations, over HTTP [${kind}]`, { skip: skipReason(kind) }, () => {
    let server: TestServer;
    let fixture: MatrixFixture;
    let plan: MatrixPlan;

    before(async () => {
      server = await startTestServer(kind);
      fixture = await buildMatrixFixture(server);
      const schema = await server.client().get('/api/schema/');
      assert.equal(schema.status, 200, schema.text);
      plan = planMatrix(server.app.declaredRoutes(), schema.body);
    });
    after(async () => server?.close());

    test('every member route is in the matrix; the others are public or optional', (t) => {
      assert.deepEqual(plan.problems, []);
      assert.ok(plan.operations.length >= 25, `expected the whole API, got ${plan.operations.length} operations`);
      for (const route of plan.outside) {
        if (route.method === 'HEAD' || route.methodNotAllowed) continue;
        const name = `${route.method} ${route.url}`;
        // A member route outside /api would escape the matrix; an /api one that is not public is in it.
        if (route.url.startsWith('/api/')) assert.equal(route.access, 'public', `${name} is outside the matrix`);
        else assert.ok(route.access === 'public' || route.access === 'optional', `${name}: ${JSON.stringify(route.access)} outside /api`);
      }
      const declared = new Set(plan.operations.map((operation) => operation.access.permission));
      const unused = (Object.keys(PERMISSIONS) as Permission[]).filter((permission) => !declared.has(permission));
      t.diagnostic(`table permissions no route declares (enforced elsewhere, or not at all): ${unused.join(', ') || 'none'}`);
    });

    test('whoami lists exactly the table permissions each active role holds', async () => {
      const problems: string[] = [];
      for (const role of ACTIVE_ROLES) {
        const response = await server.client().get('/api/current-user/whoami', { headers: tokenAuth(fixture.caller(role).token) });
        if (response.status !== 200) {
          problems.push(`${role}: whoami answered ${response.status}: ${response.text.slice(0, 200)}`);
          continue;
        }
        const body = response.body as { permissions?: unknown; organization_membership?: { role?: unknown } | null };
        const listed = new Set(Array.isArray(body.permissions) ? body.permissions : []);
        if (body.organization_membership?.role !== role) problems.push(`${role}: whoami shows the role ${JSON.stringify(body.organization_membership)}`);
        for (const permission of Object.keys(PERMISSIONS) as Permission[]) {
          const holds = roleAllows(role, permission);
          if (holds && !listed.has(permission)) problems.push(`${role}: ${permission} is missing`);
          if (!holds && listed.has(permission)) problems.push(`${role}: ${permission} is listed though the table refuses it`);
        }
      }
      if (problems.length > 0) assert.fail(`${problems.length} problems on ${kind}:\n${problems.join('\n')}`);
    });

    test('each operation × caller × organization answers as the table and the declaration say', { timeout: 120_000 }, async (t) => {
      const started = performance.now();
      const report: Report = { cells: 0, mismatches: [], servedWith4xx: [], statuses: new Map(), targetRuleRefusals: [] };
      for (const operation of plan.operations) {
        await runCell(kind, fixture, operation, undefined, 'same', report);
        for (const caller of CALLER_KINDS) {
          for (const target of targetsOf(operation)) await runCell(kind, fixture, operation, caller, target, report);
        }
      }
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const shape = `${plan.operations.length} operations × ${CALLER_KINDS.length} callers × 1–2 organizations, plus no credentials`;
      t.diagnostic(`${kind}: ${report.cells} cells (${shape}) in ${seconds} s`);
      const statuses = [...report.statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`);
      t.diagnostic(`answers: ${statuses.join(', ')}`);
      t.diagnostic(`refused by a target rule (${report.targetRuleRefusals.length}): ${report.targetRuleRefusals.join('; ')}`);
      if (report.servedWith4xx.length > 0) t.diagnostic(`served with a 4xx that is no refusal:\n${report.servedWith4xx.join('\n')}`);
      if (report.mismatches.length > 0) assert.fail(`${report.mismatches.length} of ${report.cells} cells differ on ${kind}:\n${report.mismatches.join('\n')}`);
    });

    // Found while building the matrix: the target rules judge a removed member by the role of their removed
    // membership, so the old organization's owner and administrators can still rewrite the account of someone who
    // now belongs only to another organization. Their account is no longer that organization's to change.
    test('a member removed from the organization, now in another, is no longer its to change', async () => {
      const { ctx } = server;
      const former = await buildMember(ctx, fixture.organizationId, { role: 'AN', firstName: 'Former', lastName: 'Member' });
      await addToOrganization(ctx, fixture.ids.other.organizations, former.user.id, 'AN');
      const removal = await server
        .client()
        .delete(`/api/organizations/${fixture.organizationId}/memberships/${former.user.id}`, { headers: tokenAuth(fixture.caller('OW').token) });
      assert.equal(removal.status, 204, removal.text);
      const attempts: [string, string, RequestOptions][] = [
        ['PATCH', `/api/users/${former.user.id}/`, { json: { first_name: 'Renamed' } }],
        ['POST', `/api/users/${former.user.id}/avatar/`, { multipart: avatarUpload() }],
        ['DELETE', `/api/users/${former.user.id}/avatar/`, {}],
      ];
      const problems: string[] = [];
      for (const role of ACTIVE_ROLES) {
        for (const [method, path, options] of attempts) {
          const response = await server.client().request(method, path, { ...options, headers: tokenAuth(fixture.caller(role).token) });
          // Refused as for anyone outside the organization: 404, or 403 when the fix prefers to say it exists.
          const problem = refusalProblem(response.status, response.text, ['resource.not_found', 'permission.denied']);
          if (problem) problems.push(`${role} ${method} ${path}: ${problem}`);
        }
      }
      const stored = await ctx.repos.users.findById(former.user.id);
      if (stored?.first_name !== 'Former' || stored.avatar !== null) problems.push(`their account changed: ${stored?.first_name}, avatar ${stored?.avatar}`);
      if (problems.length > 0) assert.fail(`${problems.length} problems on ${kind}:\n${problems.join('\n')}`);
    });

    // Found while building the matrix: the active-organization switch checks only that the membership is not
    // removed, so a member can make an organization where they are pending or deactivated their active one, after
    // which every call of theirs, switching back included, is refused (profile.service.ts says this must not happen).
    test('nobody makes an organization where they may do nothing their active one', async () => {
      const { ctx } = server;
      const elsewhere = fixture.ids.other.organizations;
      const problems: string[] = [];
      for (const role of ['NO', 'DI'] as const) {
        const person = await buildMember(ctx, elsewhere, { role });
        await addToOrganization(ctx, fixture.organizationId, person.user.id, 'AN');
        for (const path of ['/api/current-user', `/api/users/${person.user.id}/`]) {
          const response = await server.client().patch(path, { headers: tokenAuth(person.token), json: { active_organization: elsewhere } });
          const problem = refusalProblem(response.status, response.text, ['request.invalid']);
          if (problem) problems.push(`${role} member elsewhere, PATCH ${path}: ${problem}`);
          const stored = await ctx.repos.users.findById(person.user.id);
          if (stored?.active_organization_id !== fixture.organizationId) {
            problems.push(`${role} member elsewhere, PATCH ${path}: active organization became ${stored?.active_organization_id}`);
            await ctx.repos.users.update(person.user.id, { active_organization_id: fixture.organizationId });
          }
        }
      }
      if (problems.length > 0) assert.fail(`${problems.length} problems on ${kind}:\n${problems.join('\n')}`);
    });
  });
}
