/**
 * The permission matrix, on each database: every /api operation a member permission guards × every role (plus a
 * member removed from their only organization, plus no credentials) × objects of the caller's organization, of
 * another, and (where an organization is named with something in it) the caller's organization with another's
 * object, sent over real HTTP with legacy tokens. What each cell must answer is computed from the permission table
 * (with the organization's customized permissions), the route's declaration and the rules of
 * helpers/permission-matrix.ts, never written per cell. The one allowance: on the operations of TARGET_RULES and
 * OPERATION_RULES, a same-organization cell of an allowed role gets exactly the refusal its rule gives. Operations
 * whose success would change what later cells stand on (role changes, transfers, leaving, new organizations,
 * customized permissions) run each such cell in a throwaway organization. Then: customized permissions change the
 * matrix at once; role changes across every target role and every role given; the activity log never shows another
 * organization. All mismatches are collected and reported at once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CONFIGURABLE_PERMISSIONS, PERMISSIONS, roleAllows, type Permission, type PermissionOverrides } from '#src/policies/permissions.js';
import { targetRefusal } from '#src/policies/target-rules.js';
import type { RoleCode } from '#src/storage/schema.js';
import { DATABASE_KINDS, skipReason, type DatabaseKind } from '../helpers/databases.js';
import { actingAs, addToOrganization, buildMember, buildOrganization, setRole, type TestUser } from '../helpers/factories.js';
import { tokenAuth, type RequestOptions } from '../helpers/http-client.js';
import {
  avatarUpload,
  buildMatrixFixture,
  emptyReport,
  OPERATION_TABLES,
  runCell,
  storedRoles,
  type MatrixFixture,
  type Report,
} from '../helpers/permission-matrix-fixture.js';
import { CALLER_KINDS, expectedOutcome, mismatchOf, planMatrix, refusalProblem, targetsOf, type MatrixPlan } from '../helpers/permission-matrix.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const ACTIVE_ROLES = ['OW', 'AD', 'MA', 'RE', 'AN'] as const;
const ALL_ROLES: readonly RoleCode[] = ['OW', 'AD', 'MA', 'RE', 'AN', 'NO', 'DI'];
const ROLE_CHANGE = 'PATCH /api/organizations/{id}/memberships';

/** Why whoami of each active role does not list exactly what the table, with these overrides, gives them. */
async function whoamiProblems(server: TestServer, fixture: MatrixFixture, overrides: PermissionOverrides, label: string): Promise<string[]> {
  const problems: string[] = [];
  for (const role of ACTIVE_ROLES) {
    const response = await server.client().get('/api/current-user/whoami', { headers: tokenAuth(fixture.caller(role).token) });
    if (response.status !== 200) {
      problems.push(`${label}, ${role}: whoami answered ${response.status}: ${response.text.slice(0, 200)}`);
      continue;
    }
    const body = response.body as { permissions?: unknown; organization_membership?: { role?: unknown } | null };
    const listed = new Set(Array.isArray(body.permissions) ? body.permissions : []);
    if (body.organization_membership?.role !== role) problems.push(`${label}, ${role}: whoami shows the role ${JSON.stringify(body.organization_membership)}`);
    for (const permission of Object.keys(PERMISSIONS) as Permission[]) {
      const holds = roleAllows(role, permission, overrides);
      if (holds && !listed.has(permission)) problems.push(`${label}, ${role}: ${permission} is missing`);
      if (!holds && listed.has(permission)) problems.push(`${label}, ${role}: ${permission} is listed though the table refuses it`);
    }
  }
  return problems;
}

/** The report's diagnostics, and its mismatches as one failure. */
function conclude(t: { diagnostic(message: string): void }, kind: DatabaseKind, report: Report, what: string): void {
  const statuses = [...report.statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`);
  t.diagnostic(`answers: ${statuses.join(', ')}`);
  t.diagnostic(`refused by a target or operation rule (${report.ruleRefusals.length}): ${[...new Set(report.ruleRefusals)].join('; ')}`);
  if (report.servedWith4xx.length > 0) t.diagnostic(`served with a 4xx that is no refusal:\n${report.servedWith4xx.join('\n')}`);
  if (report.mismatches.length > 0) assert.fail(`${report.mismatches.length} of ${report.cells} ${what} differ on ${kind}:\n${report.mismatches.join('\n')}`);
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
      // A renamed route would leave its explicit body, its isolation or its target rule silently unused.
      const planned = new Set(plan.operations.map((operation) => operation.key));
      for (const [table, keys] of Object.entries(OPERATION_TABLES)) {
        for (const key of keys) assert.ok(planned.has(key), `${table} names ${key}, which the matrix does not have`);
      }
      const declared = new Set(plan.operations.map((operation) => operation.access.permission));
      const unused = (Object.keys(PERMISSIONS) as Permission[]).filter((permission) => !declared.has(permission));
      t.diagnostic(`table permissions no route declares (enforced elsewhere, or not at all): ${unused.join(', ') || 'none'}`);
    });

    test('whoami lists exactly the table permissions each active role holds', async () => {
      const problems = await whoamiProblems(server, fixture, fixture.main.overrides, kind);
      if (problems.length > 0) assert.fail(`${problems.length} problems on ${kind}:\n${problems.join('\n')}`);
    });

    test('each operation × caller × organization answers as the table and the declaration say', { timeout: 120_000 }, async (t) => {
      const started = performance.now();
      const report = emptyReport();
      for (const operation of plan.operations) {
        await runCell(fixture, operation, undefined, 'same', report, kind);
        for (const caller of CALLER_KINDS) {
          for (const target of targetsOf(operation)) await runCell(fixture, operation, caller, target, report, kind);
        }
      }
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const shape = `${plan.operations.length} operations × ${CALLER_KINDS.length} callers × 1–3 organizations, plus no credentials`;
      t.diagnostic(`${kind}: ${report.cells} cells (${shape}; ${report.isolated} in throwaway organizations) in ${seconds} s`);
      conclude(t, kind, report, 'cells');
    });

    // "A customized permission changes the matrix at once": each configurable permission is given, through the API,
    // to exactly the roles that lack it by default (the others lose it), then to every role it may be given, then
    // reset; after each step every cell of the operations it guards, and whoami, are checked against the table with
    // the override the step made.
    test('a customized permission changes the matrix at once; deleting the override restores the table', { timeout: 120_000 }, async (t) => {
      const started = performance.now();
      const report = emptyReport();
      const problems: string[] = [];
      const unguarded: string[] = [];
      const http = server.client();
      const base = `/api/organizations/${fixture.organizationId}/permissions`;
      const owner = (): Record<string, string> => tokenAuth(fixture.caller('OW').token);
      for (const permission of Object.keys(CONFIGURABLE_PERMISSIONS) as Permission[]) {
        const option = CONFIGURABLE_PERMISSIONS[permission];
        assert.ok(option);
        const operations = plan.operations.filter((operation) => operation.access.permission === permission);
        if (operations.length === 0) unguarded.push(permission);
        const original = fixture.main.overrides.get(permission);
        const byDefault: readonly RoleCode[] = PERMISSIONS[permission];
        const flipped = option.options.filter((role) => role !== 'OW' && !byDefault.includes(role));
        const changed = ACTIVE_ROLES.filter((role) => roleAllows(role, permission) !== roleAllows(role, permission, new Map([[permission, storedRoles(flipped)]])));
        assert.ok(changed.length > 0, `${permission}: flipping its roles changes nothing to test`);
        const steps: { label: string; method: string; path: string; json?: unknown; roles?: readonly RoleCode[]; status: number }[] = [
          original
            ? { label: `customized to [${flipped}]`, method: 'PUT', path: `${base}/${permission}`, json: { roles: flipped }, roles: flipped, status: 200 }
            : { label: `customized to [${flipped}]`, method: 'POST', path: base, json: { permission, roles: flipped }, roles: flipped, status: 200 },
          { label: `given to [${option.options}]`, method: 'PATCH', path: `${base}/${permission}`, json: { roles: option.options }, roles: option.options, status: 200 },
          { label: 'reset to its default', method: 'DELETE', path: `${base}/${permission}`, status: 204 },
        ];
        for (const step of steps) {
          const label = `${kind}, ${permission} ${step.label}`;
          const response = await http.request(step.method, step.path, { headers: owner(), ...(step.json === undefined ? {} : { json: step.json }) });
          assert.equal(response.status, step.status, `${label}: ${step.method} ${step.path} answered ${response.text}`);
          if (step.roles) {
            const stored = storedRoles(step.roles);
            const answered = (response.body as { roles?: unknown }).roles;
            assert.deepEqual(Array.isArray(answered) ? [...answered].sort() : answered, [...stored].sort(), `${label}: the override's roles`);
            fixture.main.overrides.set(permission, stored);
          } else {
            fixture.main.overrides.delete(permission);
          }
          problems.push(...(await whoamiProblems(server, fixture, fixture.main.overrides, label)));
          for (const operation of operations) {
            await runCell(fixture, operation, undefined, 'same', report, label);
            for (const caller of CALLER_KINDS) {
              for (const target of targetsOf(operation)) await runCell(fixture, operation, caller, target, report, label);
            }
          }
        }
        if (original) {
          // Put the fixture's own override back, for the tests after this one.
          const restored = await http.post(base, { headers: owner(), json: { permission, roles: original } });
          assert.equal(restored.status, 200, restored.text);
          fixture.main.overrides.set(permission, storedRoles(original));
        }
      }
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      t.diagnostic(`${kind}: ${report.cells} cells over ${Object.keys(CONFIGURABLE_PERMISSIONS).length} permissions × 3 steps in ${seconds} s`);
      if (unguarded.length > 0) t.diagnostic(`configurable permissions no route declares (whoami checked only): ${unguarded.join(', ')}`);
      if (problems.length > 0) assert.fail(`${problems.length} whoami problems on ${kind}:\n${problems.join('\n')}`);
      conclude(t, kind, report, 'cells');
    });

    // The matrix's role-change cells give one role to one annotator; the change_role rule has more to it (never your
    // own role, never the owner's, never a higher role, never above your own, the owner only by transfer). Every
    // active caller × every role of the person changed (and themself) × every role given, each from the rule; the
    // stored role is checked after each cell, and put back after a success.
    test('role changes: every caller × every target role × every role given, as the table and the change_role rule say', { timeout: 60_000 }, async (t) => {
      const operation = plan.operations.find((candidate) => candidate.key === ROLE_CHANGE);
      assert.ok(operation, `${ROLE_CHANGE} is not in the matrix`);
      const { ctx } = server;
      const started = performance.now();
      const people = { withoutPassword: true } as const;
      const org = await buildOrganization(ctx, { title: 'Role changes', ...people });
      const organizationId = org.organizationId;
      const callers = new Map<RoleCode, TestUser>([['OW', org.owner]]);
      const targets = new Map<RoleCode, TestUser>([['OW', org.owner]]);
      for (const role of ALL_ROLES.filter((code) => code !== 'OW')) {
        if (ACTIVE_ROLES.some((active) => active === role)) callers.set(role, await buildMember(ctx, organizationId, { ...people, role, firstName: 'Changer', lastName: role }));
        targets.set(role, await buildMember(ctx, organizationId, { ...people, role, firstName: 'Changed', lastName: role }));
      }
      const report = emptyReport();
      for (const callerRole of ACTIVE_ROLES) {
        const caller = callers.get(callerRole);
        assert.ok(caller);
        const { actor } = await actingAs(ctx, await ctx.services.accounts.getById(caller.user.id));
        const acted = new Map<string, TestUser>([...targets].map(([role, person]) => [`the ${role} member`, person]));
        if (callerRole !== 'OW') acted.set('themself', caller);
        for (const [who, person] of acted) {
          const membership = await ctx.repos.memberships.find(person.user.id, organizationId);
          assert.ok(membership);
          const before = membership.role;
          for (const newRole of ALL_ROLES) {
            const refusal = targetRefusal('change_role', actor, { userId: person.user.id, role: before, newRole });
            const expected = expectedOutcome(operation, { caller: callerRole, target: 'same', overrides: new Map(), targetRefusal: refusal, settings: fixture.settings });
            const url = `/api/organizations/${organizationId}/memberships`;
            const response = await server.client().patch(url, { headers: tokenAuth(caller.token), json: { user_id: person.user.id, role: newRole } });
            report.cells += 1;
            report.statuses.set(response.status, (report.statuses.get(response.status) ?? 0) + 1);
            const where = `[${kind}] ${callerRole} gives ${who} (${before}) the role ${newRole}`;
            const mismatch = mismatchOf(expected, response.status, response.text);
            if (mismatch) report.mismatches.push(`${where}: ${mismatch}`);
            else if (expected.kind === 'refused' && expected.byRule) report.ruleRefusals.push(`${callerRole} on ${before} → ${newRole}: ${expected.code}`);
            const stored = (await ctx.repos.memberships.find(person.user.id, organizationId))?.role;
            const served = response.status >= 200 && response.status < 300;
            if (stored !== (served ? newRole : before)) report.mismatches.push(`${where}: answered ${response.status}, the stored role is ${stored}`);
            if (stored !== before) await setRole(ctx, person.user.id, organizationId, before);
          }
        }
      }
      t.diagnostic(`${kind}: ${report.cells} role changes in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      conclude(t, kind, report, 'role changes');
    });

    // The activity log's `user` and `project` filter the caller's own organization's log (they are left out of the
    // matrix's cells): whatever they name, nothing of another organization comes back, in the list or the export.
    test("the activity log and its export show the caller's organization only, whatever the filters", async () => {
      const problems: string[] = [];
      const sides = [
        { who: 'the owner', token: fixture.caller('OW').token, organizationId: fixture.organizationId, foreign: fixture.other },
        { who: "the other organization's owner", token: fixture.otherOwner.token, organizationId: fixture.other.organizations, foreign: fixture.main.ids },
      ];
      for (const side of sides) {
        const filters = ['', `user=${side.foreign.users}`, `project=${side.foreign.projects}`, `user=${side.foreign.users}&project=${side.foreign.projects}`];
        for (const filter of filters) {
          const list = await server.client().get(`/api/activity-logs/?page_size=-1&${filter}`, { headers: tokenAuth(side.token) });
          const exported = await server.client().get(`/api/activity-logs/export?${filter}`, { headers: tokenAuth(side.token) });
          if (list.status !== 200 || exported.status !== 200) {
            problems.push(`${side.who}, ?${filter}: answered ${list.status} and ${exported.status}: ${list.text.slice(0, 200)} ${exported.text.slice(0, 200)}`);
            continue;
          }
          const [page] = list.body as { data: { organization_id: number | null }[] }[];
          const lines = exported.text.split('\n').filter((line) => line.trim() !== '');
          const entries = [...(page?.data ?? []), ...lines.map((line) => JSON.parse(line) as { organization_id: number | null })];
          const foreign = entries.filter((entry) => entry.organization_id !== side.organizationId);
          if (foreign.length > 0) problems.push(`${side.who}, ?${filter}: ${foreign.length} entries of organization(s) ${[...new Set(foreign.map((e) => e.organization_id))]}`);
          // Unfiltered, the log has entries (or the check above proves nothing); filtered by a foreign object, none.
          if (filter === '' && (page?.data.length ?? 0) === 0) problems.push(`${side.who}: the log is empty`);
          if (filter !== '' && entries.length > 0) problems.push(`${side.who}, ?${filter}: ${entries.length} entries for another organization's object`);
        }
      }
      if (problems.length > 0) assert.fail(`${problems.length} problems on ${kind}:\n${problems.join('\n')}`);
    });

    // Found while building the matrix: the target rules judge a removed member by the role of their removed
    // membership, so the old organization's owner and administrators can still rewrite the account of someone who
    // now belongs only to another organization. Their account is no longer that organization's to change.
    test('a member removed from the organization, now in another, is no longer its to change', async () => {
      const { ctx } = server;
      const former = await buildMember(ctx, fixture.organizationId, { role: 'AN', firstName: 'Former', lastName: 'Member' });
      await addToOrganization(ctx, fixture.other.organizations, former.user.id, 'AN');
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
      const elsewhere = fixture.other.organizations;
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
