import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';
import { buildOwner, type TestUser } from '../helpers/factories.js';
import { bearerAuth, tokenAuth } from '../helpers/http-client.js';
import { useTestServer, type TestServer } from '../helpers/test-server.js';
import { jwtPayload, NO_BODY } from '../helpers/tokens.js';

/** Headers the official SDK sends on every generated call (sdk-requests.md §1). */
const sdk = (auth: Record<string, string>) => ({
  headers: {
    ...auth,
    accept: '*/*',
    'user-agent': 'label_studio_sdk/2.1.3',
    'x-fern-language': 'Python',
    'x-fern-sdk-name': 'label-studio-sdk',
    'x-fern-sdk-version': '2.1.3',
  },
});
/** The SDK's own PAT → access exchange: bare httpx, no Authorization, no Fern headers. */
const bare = { headers: { 'user-agent': 'python-httpx/0.28.1' } };

type Json = Record<string, unknown>;

for (const kind of DATABASE_KINDS) {
  describe(`the official SDK's typical session, sdk-requests.md §6 calls 1–38 in order [${kind}]`, { skip: skipReason(kind) }, () => {
    const fixture = useTestServer(kind);
    let server: TestServer;
    let owner: TestUser;
    before(async () => {
      server = fixture.server;
      owner = await buildOwner(server.ctx);
    });

    test('every call answers with the status, exact path and top-level shape the SDK expects', async () => {
      const http = server.client();
      const legacy1 = sdk(tokenAuth(owner.token));
      const expect = async (call: number, pending: Promise<{ status: number; text: string; body: unknown }>, status: number) => {
        const res = await pending;
        assert.equal(res.status, status, `call ${call}: ${res.text}`);
        return res;
      };

      // 1–7: users
      await expect(1, http.get('/api/current-user/whoami', legacy1), 200);
      assert.ok(Array.isArray((await expect(2, http.get('/api/users/', legacy1), 200)).body));
      const created = await expect(3, http.post('/api/users/', { ...legacy1, json: { email: 'sdkuser_x1@example.com', first_name: 'Sdk', last_name: 'User', username: 'sdkuser_x1' } }), 201);
      const userId = (created.body as Json).id as number;
      await expect(4, http.get(`/api/users/${userId}/`, legacy1), 200);
      assert.ok(((await expect(5, http.get('/api/users/', legacy1), 200)).body as Json[]).some((u) => u.id === userId));
      assert.equal(((await expect(6, http.patch(`/api/users/${userId}/`, { ...legacy1, json: { first_name: 'Renamed' } }), 200)).body as Json).first_name, 'Renamed');
      await expect(7, http.get(`/api/users/${userId}/`, legacy1), 200);

      // 8–18: organizations, projects, import, annotation, members
      const orgs = (await expect(8, http.get('/api/organizations/', legacy1), 200)).body as Json[];
      const orgId = orgs[0]?.id as number;
      await expect(9, http.get(`/api/organizations/${orgId}`, legacy1), 200);
      const project = await expect(10, http.post('/api/projects/', { ...legacy1, json: { description: 'created via the SDK', label_config: '<View><Text name="text" value="$text"/></View>', title: 'SDK project x1' } }), 201);
      const projectId = (project.body as Json).id as number;
      await expect(11, http.get(`/api/projects/${projectId}/`, legacy1), 200);
      const page1 = await expect(12, http.get('/api/projects/?page=1&page_size=100', legacy1), 200);
      assert.equal(((page1.body as Json).results as unknown[]).length, 1);
      await expect(13, http.get('/api/projects/?page=2&page_size=100', legacy1), 404);
      const imported = await expect(14, http.post(`/api/projects/${projectId}/import?return_task_ids=true`, { ...legacy1, json: [{ data: { text: 'first task' } }, { data: { text: 'second task' } }] }), 201);
      const taskId = ((imported.body as Json).task_ids as number[])[0];
      await expect(15, http.post(`/api/tasks/${taskId}/annotations/`, { ...legacy1, json: { project: projectId, result: [{ from_name: 'sentiment', to_name: 'text', type: 'choices', value: { choices: ['pos'] } }] } }), 201);
      const members = await expect(16, http.get(`/api/organizations/${orgId}/memberships?contributed_to_projects=true&page=1&page_size=100`, legacy1), 200);
      assert.deepEqual(Object.keys(members.body as Json), ['count', 'next', 'previous', 'results']);
      const detail = await expect(17, http.get(`/api/organizations/${orgId}/memberships/${owner.user.id}/?contributed_to_projects=true`, legacy1), 200);
      assert.equal((detail.body as Json).annotations_count, 1);
      await expect(18, http.delete(`/api/organizations/${orgId}/memberships/${userId}/`, legacy1), 204);

      // 19–23: token settings and personal access tokens
      await expect(19, http.get('/api/jwt/settings', legacy1), 200);
      await expect(20, http.post('/api/jwt/settings', { ...legacy1, json: { api_token_ttl_days: 73000, api_tokens_enabled: true, legacy_api_tokens_enabled: true } }), 200);
      const pat1 = ((await expect(21, http.post('/api/token/', { ...legacy1, ...NO_BODY }), 201)).body as Json).token as string;
      await expect(22, http.post('/api/token/', { ...legacy1, ...NO_BODY }), 409);
      assert.ok(Array.isArray((await expect(23, http.get('/api/token/', legacy1), 200)).body));

      // 24–28: refresh with and without a header; access tokens are refused at refresh; Bearer calls
      const access1 = ((await expect(24, http.post('/api/token/refresh/', { ...legacy1, json: { refresh: pat1 } }), 200)).body as Json).access as string;
      await expect(25, http.post('/api/token/refresh/', { ...legacy1, json: { refresh: access1 } }), 401);
      const access2 = ((await expect(26, http.post('/api/token/refresh/', { ...bare, json: { refresh: pat1 } }), 200)).body as Json).access as string;
      assert.equal(typeof jwtPayload(access2).exp, 'number');
      await expect(27, http.get('/api/current-user/whoami', sdk(bearerAuth(access2))), 200);
      await expect(28, http.get(`/api/projects/${projectId}/`, sdk(bearerAuth(access2))), 200);

      // 29–33: rotate, then the old and the blacklisted PATs are refused, with or without a header
      const pat2 = ((await expect(29, http.post('/api/token/rotate/', { ...legacy1, json: { refresh: pat1 } }), 200)).body as Json).refresh as string;
      await expect(30, http.post('/api/token/refresh/', { ...legacy1, json: { refresh: pat1 } }), 401);
      await expect(31, http.post('/api/token/blacklist/', { ...legacy1, json: { refresh: pat2 } }), 204);
      await expect(32, http.post('/api/token/refresh/', { ...legacy1, json: { refresh: pat2 } }), 401);
      const refused = await expect(33, http.post('/api/token/refresh/', { ...bare, json: { refresh: pat2 } }), 401);
      assert.equal(typeof (refused.body as Json).detail, 'string', 'the SDK needs a JSON error body');

      // 34–38: the legacy token, reset; the old key stops working at once
      assert.equal(((await expect(34, http.get('/api/current-user/token', legacy1), 200)).body as Json).token, owner.token);
      const legacy2Key = ((await expect(35, http.post('/api/current-user/reset-token/', { ...legacy1, ...NO_BODY }), 201)).body as Json).token as string;
      await expect(36, http.get('/api/current-user/whoami', legacy1), 401);
      const legacy2 = sdk(tokenAuth(legacy2Key));
      await expect(37, http.get('/api/current-user/whoami', legacy2), 200);
      assert.equal(((await expect(38, http.get('/api/current-user/token', legacy2), 200)).body as Json).token, legacy2Key);
    });
  });
}
