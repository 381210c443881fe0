import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';
import { buildMember, buildOwner, type TestUser } from '../helpers/factories.js';
import { tokenAuth } from '../helpers/http-client.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/** Headers the official SDK sends on every call (sdk-requests.md §1). */
const sdkHeaders = (key: string) => ({
  ...tokenAuth(key),
  accept: '*/*',
  'user-agent': 'label_studio_sdk/2.1.3',
  'x-fern-language': 'Python',
  'x-fern-sdk-name': 'label-studio-sdk',
});

for (const kind of DATABASE_KINDS) {
  describe(`the SDK's organization and project calls, in order [${kind}]`, { skip: skipReason(kind) }, () => {
    let server: TestServer;
    let owner: TestUser;
    let member: TestUser;
    before(async () => {
      server = await startTestServer(kind);
      owner = await buildOwner(server.ctx);
      member = await buildMember(server.ctx, owner.user.active_organization_id ?? 0);
    });
    after(async () => server?.close());

    test('calls 8–18 of sdk-requests.md §6 answer with the statuses and shapes the SDK expects', async () => {
      const http = server.client();
      const h = { headers: sdkHeaders(owner.token) };
      const orgs = await http.get('/api/organizations/', h);
      assert.equal(orgs.status, 200);
      assert.ok(Array.isArray(orgs.body));
      const orgId = (orgs.body as Array<{ id: number }>)[0]?.id;
      assert.equal((await http.get(`/api/organizations/${orgId}`, h)).status, 200);

      const created = await http.post('/api/projects/', {
        ...h,
        json: { description: 'created via the SDK', label_config: '<View><Text name="text" value="$text"/></View>', title: 'SDK project x1' },
      });
      assert.equal(created.status, 201);
      const projectId = (created.body as { id: number }).id;
      assert.equal((await http.get(`/api/projects/${projectId}/`, h)).status, 200);
      const page1 = await http.get('/api/projects/?page=1&page_size=100', h);
      assert.equal(page1.status, 200);
      assert.equal((page1.body as { results: unknown[] }).results.length, 1);
      assert.equal((await http.get('/api/projects/?page=2&page_size=100', h)).status, 404);

      const imported = await http.post(`/api/projects/${projectId}/import?return_task_ids=true`, {
        ...h,
        json: [{ data: { text: 'first task' } }, { data: { text: 'second task' } }],
      });
      assert.equal(imported.status, 201);
      const taskId = (imported.body as { task_ids: number[] }).task_ids[0];
      const annotated = await http.post(`/api/tasks/${taskId}/annotations/`, {
        ...h,
        json: { project: projectId, result: [{ from_name: 'sentiment', to_name: 'text', type: 'choices', value: { choices: ['pos'] } }] },
      });
      assert.equal(annotated.status, 201);

      const members = await http.get(`/api/organizations/${orgId}/memberships?contributed_to_projects=true&page=1&page_size=100`, h);
      assert.equal(members.status, 200);
      const ownerEntry = (members.body as { results: Array<{ user: { id: number }; contributed_to_projects: unknown }> }).results.find(
        (m) => m.user.id === owner.user.id,
      );
      assert.deepEqual(ownerEntry?.contributed_to_projects, [{ id: projectId, title: 'SDK project x1' }]);
      const detail = await http.get(`/api/organizations/${orgId}/memberships/${owner.user.id}/?contributed_to_projects=true`, h);
      assert.equal(detail.status, 200);
      assert.equal((detail.body as { annotations_count: number }).annotations_count, 1);
      assert.equal((await http.delete(`/api/organizations/${orgId}/memberships/${member.user.id}/`, h)).status, 204);
    });
  });
}
