/**
 * Hostile input against every operation of the OpenAPI document, on each database: no 5xx, Label Studio's error
 * envelope on every refusal, no data changed by a refusal, and no cookie-only unsafe API call without the CSRF header.
 * All failures of a database are collected and reported together.
 */
import assert from 'node:assert/strict';
import { systemContext } from '#src/policies/action-context.js';
import { before, describe, test } from 'node:test';
import { diffSnapshots, takeSnapshot } from '../helpers/data-snapshot.js';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';
import { buildOrganization, buildMember, buildOwner, type TestUser } from '../helpers/factories.js';
import { resourceOf, generateHostileRequests, type FixtureIds } from '../helpers/hostile-requests.js';
import { runHostileRequests, type BodyException, type Credentials } from '../helpers/hostile-runner.js';
import { tokenAuth } from '../helpers/http-client.js';
import { readOperations, type Operation } from '../helpers/openapi-operations.js';
import { useTestServer, type TestServer } from '../helpers/test-server.js';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Label Studio's own bodies that are not the envelope: kept as Label Studio answers them. */
const EXCEPTIONS: readonly BodyException[] = [
  {
    operation: 'PATCH /api/current-user/hotkeys/',
    status: 400,
    accepts: (body) => isRecord(body) && typeof body.error === 'string' && 'details' in body,
  },
  {
    // Removing yourself from the organization.
    operation: 'DELETE /api/organizations/{id}/memberships/{user_id}',
    status: 405,
    accepts: (body) => isRecord(body) && Object.keys(body).join() === 'detail' && typeof body.detail === 'string',
  },
];

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

/** Users made to be deleted, one per DELETE operation whose target is a user. */
async function buildVictims(server: TestServer, organizationId: number, operations: readonly Operation[]): Promise<Record<string, number>> {
  const victims: Record<string, number> = {};
  for (const operation of operations.filter((op) => op.method === 'DELETE')) {
    const last = [...operation.path.matchAll(/\{([^}]+)\}/g)].at(-1)?.[1];
    if (last && resourceOf(operation.path, last) === 'users') victims[operation.key] = (await buildMember(server.ctx, organizationId)).user.id;
  }
  return victims;
}

for (const kind of DATABASE_KINDS) {
  describe(`hostile input on every API operation [${kind}]`, { skip: skipReason(kind) }, () => {
    const fixture = useTestServer(kind);
    let server: TestServer;
    let operations: Operation[];
    let ids: FixtureIds;
    let credentials: Credentials;

    before(async () => {
      server = fixture.server;
      const { ctx } = server;
      const owner = await buildOwner(ctx, { legacyTokens: true });
      const organizationId = owner.user.active_organization_id ?? 0;
      const member = await buildMember(ctx, organizationId);
      const second = await buildOrganization(ctx, { email: `outsider-${kind}@example.com`, password: 'outsider-pass-1', title: 'Second organization' });
      const outsider: TestUser = second.owner;
      const secondOrganization = { id: second.organizationId };
      const own = await buildProjectWithTask(server, owner, 'Own project');
      const foreign = await buildProjectWithTask(server, outsider, 'Foreign project');

      const schema = await fetch(`${server.baseUrl}/api/schema/`);
      assert.equal(schema.status, 200);
      operations = readOperations(await schema.json());
      ids = {
        own: { users: member.user.id, organizations: organizationId, projects: own.project, tasks: own.task },
        foreign: { users: outsider.user.id, organizations: secondOrganization.id, projects: foreign.project, tasks: foreign.task },
        victims: await buildVictims(server, organizationId, operations),
      };

      const browser = server.client();
      const login = await browser.login(owner.email, owner.password);
      assert.equal(login.status, 302, login.text);
      assert.ok(browser.cookies.get('sessionid') && browser.cookies.get('csrftoken'));
      let token = owner.token;
      credentials = {
        token: () => token,
        sessionCookie: [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        refresh: async () => {
          token = await ctx.services.legacyTokens.reveal(systemContext('test'), owner.user.id);
        },
      };
    });

    test('the data snapshot sees a changed row and ignores activity stamps', async () => {
      const { db } = server.ctx.database;
      const memberId = ids.own.users ?? 0;
      const before = await takeSnapshot(db, kind);
      await db.updateTable('users').set({ last_activity: new Date().toISOString() }).where('id', '=', memberId).execute();
      assert.deepEqual(diffSnapshots(before, await takeSnapshot(db, kind)), []);
      await db.updateTable('users').set({ phone: '+1 555 0199' }).where('id', '=', memberId).execute();
      assert.deepEqual(diffSnapshots(before, await takeSnapshot(db, kind)), ['users: rows changed']);
    });

    test('no 5xx, the envelope on every refusal, no data changed by a refusal, no CSRF bypass', { timeout: 300_000 }, async (t) => {
      assert.ok(operations.length > 0, 'the OpenAPI document lists no operation');
      const started = performance.now();
      const { groups, problems } = generateHostileRequests(operations, ids);
      const report = await runHostileRequests(groups, {
        kind,
        origin: server.baseUrl,
        db: server.ctx.database.db,
        credentials,
        exceptions: EXCEPTIONS,
        concurrency: 6,
        timeoutMs: 60_000,
      });
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const classes = Object.entries(report.statuses).map(([bucket, count]) => `${bucket} ${count}`).join(', ');
      t.diagnostic(`${kind}: sent ${report.sent} hostile requests to ${operations.length} operations in ${seconds} s (${classes})`);
      const failures = [...problems.map((problem) => `[${kind}] generator: ${problem}`), ...report.failures];
      if (failures.length > 0) assert.fail(`${failures.length} hostile-input failures on ${kind}:\n${failures.join('\n')}`);
    });
  });
}
