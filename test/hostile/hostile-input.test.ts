/**
 * Hostile input against every operation of the OpenAPI document, on each database: no 5xx, Label Studio's error
 * envelope on every refusal, no data changed by a refusal, and no cookie-only unsafe API call without the CSRF header.
 * All failures of a database are collected and reported together.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { diffSnapshots, takeSnapshot } from '../helpers/data-snapshot.js';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';
import { buildHostileFixture, type HostileFixture } from '../helpers/hostile-fixture.js';
import { generateHostileRequests, type FixtureIds } from '../helpers/hostile-requests.js';
import { runHostileRequests, type BodyException } from '../helpers/hostile-runner.js';
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

for (const kind of DATABASE_KINDS) {
  describe(`hostile input on every API operation [${kind}]`, { skip: skipReason(kind) }, () => {
    const fixture = useTestServer(kind);
    let server: TestServer;
    let operations: Operation[];
    let ids: FixtureIds;
    let hostile: HostileFixture;

    before(async () => {
      server = fixture.server;
      const schema = await fetch(`${server.baseUrl}/api/schema/`);
      assert.equal(schema.status, 200);
      operations = readOperations(await schema.json());
      hostile = await buildHostileFixture(server, kind, operations);
      ids = hostile.ids;
    });

    test('the data snapshot sees a changed row and ignores activity stamps', async () => {
      const { db } = server.ctx.database;
      const memberId = Number(ids.own.users);
      const before = await takeSnapshot(db, kind);
      await db.updateTable('users').set({ last_activity: new Date().toISOString() }).where('id', '=', memberId).execute();
      assert.deepEqual(diffSnapshots(before, await takeSnapshot(db, kind)), []);
      await db.updateTable('users').set({ phone: '+1 555 0199' }).where('id', '=', memberId).execute();
      const changed = await takeSnapshot(db, kind);
      assert.deepEqual(diffSnapshots(before, changed), ['users: rows changed']);
      // A write by the server, through the API, is seen too (snapshots are reused while nothing was written).
      const renamed = await server.client().patch('/api/current-user', { headers: tokenAuth(hostile.credentials.token()), json: { first_name: 'Snapshot' } });
      assert.equal(renamed.status, 200, renamed.text);
      // (The change is recorded in the activity log too.)
      assert.ok(diffSnapshots(changed, await takeSnapshot(db, kind)).includes('users: rows changed'));
      assert.equal(await hostile.restore(), false, 'restore writes nothing while the organization is as built');
    });

    test('no 5xx, the envelope on every refusal, no data changed by a refusal, no CSRF bypass', { timeout: 300_000 }, async (t) => {
      assert.ok(operations.length > 0, 'the OpenAPI document lists no operation');
      const started = performance.now();
      const { groups, problems } = generateHostileRequests(operations, ids);
      const report = await runHostileRequests(groups, {
        kind,
        origin: server.baseUrl,
        db: server.ctx.database.db,
        credentials: hostile.credentials,
        restore: hostile.restore,
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
