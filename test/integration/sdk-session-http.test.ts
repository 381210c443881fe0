import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';
import { buildMember, buildOwner, type TestUser } from '../helpers/factories.js';
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

for (const kind of DATABASE_KINDS) {
  describe(`the official SDK's Enterprise calls: members, default role, permissions, activity log (§11 of the reference) [${kind}]`, { skip: skipReason(kind) }, () => {
    const fixture = useTestServer(kind);

    test('each request as the SDK sends it gets the shape the SDK parses', async () => {
      const { ctx } = fixture;
      const owner = await buildOwner(ctx);
      const orgId = owner.user.active_organization_id ?? 0;
      const bob = await buildMember(ctx, orgId, { email: `bob-${kind}@example.com`, firstName: 'Bob', role: 'MA' });
      const ann = await buildMember(ctx, orgId, { email: `ann-${kind}@example.com`, firstName: 'Ann' });
      const http = fixture.client();
      const as = sdk(tokenAuth(owner.token));
      const ok = async (pending: Promise<{ status: number; text: string; body: unknown }>, status = 200) => {
        const res = await pending;
        assert.equal(res.status, status, res.text);
        return res.body;
      };
      const base = `/api/organizations/${orgId}`;

      // members.list with every filter, exactly as recorded: tags match nobody here, so the page is empty.
      const filtered = (await ok(
        http.get(
          `${base}/memberships?contributed_to_projects=true&exclude_project_id=7&exclude_workspace_id=8&is_deleted=false&ordering=-user__last_activity&page=2&page_size=50&role=AD%2CMA&search=bob&tags=3%2C4&user__last_activity__gte=2026-01-02T03%3A04%3A05Z&user__last_activity__lte=2999-01-01T00%3A00%3A00%2B02%3A00&user_type=standard%2Cflex`,
          as,
        ),
      )) as Json;
      assert.deepEqual([filtered.count, (filtered.results as unknown[]).length], [0, 0]);
      const byRole = (await ok(http.get(`${base}/memberships?page=1&role=AN`, as))) as { count: number; results: Array<{ user: Json; role: string }> };
      assert.deepEqual(byRole.results.map((m) => [m.user.id, m.role]), [[ann.user.id, 'AN']]);
      assert.equal(typeof byRole.results[0]?.user, 'object', 'the SDK needs `user` as an object here');
      const search = (await ok(http.get(`${base}/memberships?page=1&role=MA%2CAD&search=bob&is_deleted=false`, as))) as { results: Array<{ user: Json }> };
      assert.deepEqual(search.results.map((m) => m.user.id), [bob.user.id]);
      // The pager asks for page+1 after every non-empty page and stops at the first empty one.
      let page = 1;
      const seen: number[] = [];
      for (;;) {
        const body = (await ok(http.get(`${base}/memberships?page=${page}&page_size=2`, as))) as { results: Array<{ user: Json }> };
        if (body.results.length === 0) break;
        seen.push(...body.results.map((m) => m.user.id as number));
        page += 1;
      }
      assert.deepEqual(seen.sort((a, b) => a - b), [owner.user.id, bob.user.id, ann.user.id].sort((a, b) => a - b));

      // members.update: the collection path, the target in the body; deactivation and back.
      const updated = (await ok(http.patch(`${base}/memberships`, { ...as, json: { role: 'DI', user_id: ann.user.id, user_type: 'standard' } }))) as { user: Json; role: string };
      assert.deepEqual([updated.user.id, updated.role], [ann.user.id, 'DI']);
      assert.equal((await http.get('/api/current-user/whoami', sdk(tokenAuth(ann.token)))).status, 403);
      await ok(http.patch(`${base}/memberships`, { ...as, json: { role: 'AN', user_id: ann.user.id } }));
      assert.equal((await http.get('/api/current-user/whoami', sdk(tokenAuth(ann.token)))).status, 200, 'reactivated with the same token');
      const member = (await ok(http.get(`${base}/memberships/${ann.user.id}/?contributed_to_projects=true`, as))) as Json;
      assert.deepEqual([member.user, member.role], [ann.user.id, 'AN']);

      // organizations.update_default_role
      assert.deepEqual(await ok(http.patch(`${base}/set-default-role`, { ...as, json: { default_role: 'AN' } })), { organization: orgId, default_role: 'AN' });

      // permissions: list, create, options, get, replace, update, delete
      assert.deepEqual(await ok(http.get(`${base}/permissions`, as)), []);
      const created = (await ok(http.post(`${base}/permissions`, { ...as, json: { permission: 'organizations.invite', roles: ['OW', 'AD'] } }))) as Json;
      assert.deepEqual([created.permission, created.roles], ['organizations.invite', ['OW', 'AD']]);
      const options = (await ok(http.get(`${base}/permissions/options`, as))) as Json[];
      assert.ok(options.every((o) => typeof o.permission === 'string' && Array.isArray(o.default) && Array.isArray(o.options)));
      assert.equal(((await ok(http.get(`${base}/permissions/organizations.invite`, as))) as Json).permission, 'organizations.invite');
      await ok(http.request('PUT', `${base}/permissions/organizations.invite`, { ...as, json: { permission: 'organizations.invite', roles: ['OW'] } }));
      assert.equal((await http.get('/api/invite', sdk(tokenAuth(bob.token)))).status, 403, 'a manager lost the invite link at once');
      const patched = (await ok(http.patch(`${base}/permissions/organizations.invite`, { ...as, json: { roles: ['OW', 'AD', 'MA'] } }))) as Json;
      assert.deepEqual(patched.roles, ['OW', 'AD', 'MA']);
      assert.equal((await http.delete(`${base}/permissions/organizations.invite`, as)).status, 204);
      assert.equal((await http.get(`${base}/permissions/organizations.invite`, as)).status, 404);

      // activity_logs.list, every argument as recorded; then a plain call that finds the role changes.
      const logs = (await ok(
        http.get('/api/activity-logs/?end_date=2999-12-31&method=PATCH&ordering=-datetime&page=1&page_size=50&project=3&search=memberships&start_date=2026-01-01T00%3A00%3A00Z&user=5&workspace=2', as),
      )) as Array<{ data: Json[]; recordsTotal: number; recordsFiltered: number }>;
      assert.equal(logs.length, 1, 'the declared shape: an array holding one envelope');
      assert.equal(typeof logs[0]?.recordsTotal, 'number');
      const roleChanges = (await ok(http.get(`/api/activity-logs/?method=PATCH&search=memberships&user=${owner.user.id}&page=1&page_size=-1`, as))) as Array<{ data: Json[] }>;
      const entries = roleChanges[0]?.data ?? [];
      assert.deepEqual(entries.map((e) => (e.extra_data as Json).action), ['member.reactivated', 'member.deactivated']);
      for (const entry of entries) {
        assert.equal(typeof entry.response_code, 'string', 'response_code is a string: the SDK does not coerce it');
        assert.deepEqual([entry.user_id, entry.email, entry.request_method], [owner.user.id, owner.email, 'PATCH']);
      }
      assert.equal((await http.get('/api/activity-logs/?page=99&page_size=50', as)).status, 404, 'No more logs found');
    });
  });
}
