import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';
import { assertError } from '../helpers/envelope.js';
import { removeMember, buildOrganization, addToOrganization, buildMember, buildOwner, type TestUser } from '../helpers/factories.js';
import { tokenAuth, type HttpClient } from '../helpers/http-client.js';
import { useTestServer, type TestServer } from '../helpers/test-server.js';

type Organization = { id: number; title: string; token?: string; users: number[]; created_by: number | null; contact_info: string | null };


for (const kind of DATABASE_KINDS) {
  describe(`organizations and invites over HTTP [${kind}]`, { skip: skipReason(kind) }, () => {
    const fixture = useTestServer(kind);
    let server: TestServer;
    let http: HttpClient;
    let owner: TestUser;
    let admin: TestUser;
    let annotator: TestUser;
    let outsider: TestUser;
    let orgId: number;
    let otherOrgId: number;
    const as = (user: TestUser) => ({ headers: tokenAuth(user.token) });

    before(async () => {
      server = fixture.server;
      http = server.client();
      owner = await buildOwner(server.ctx);
      orgId = owner.user.active_organization_id ?? 0;
      admin = await buildMember(server.ctx, orgId, { role: 'AD' });
      annotator = await buildMember(server.ctx, orgId, { role: 'AN' });
      const other = await buildOrganization(server.ctx, { email: 'other-owner@example.com', password: 'other-pass-1', title: 'Elsewhere' });
      otherOrgId = other.organizationId;
      outsider = other.owner;
    });

    test('organization list: bare array of live memberships only', async () => {
      assertError(await http.get('/api/organizations/'), 401);
      const res = await http.get('/api/organizations/?ordering=id', as(owner));
      assert.equal(res.status, 200);
      const list = res.body as Array<Record<string, unknown>>;
      assert.equal(list.length, 1);
      assert.deepEqual(Object.keys(list[0] ?? {}), ['id', 'title', 'contact_info', 'created_at']);
      assert.equal(list[0]?.id, orgId);
      assert.equal(list[0]?.title, 'Label Studio');

      const both = await buildMember(server.ctx, orgId);
      await addToOrganization(server.ctx, otherOrgId, both.user.id, 'AN');
      const ids = () => http.get('/api/organizations', as(both)).then((r) => (r.body as Organization[]).map((o) => o.id));
      assert.deepEqual(await ids(), [orgId, otherOrgId]);
      await removeMember(server.ctx, both.user.id, orgId);
      assert.deepEqual(await ids(), [otherOrgId], 'a removed membership is hidden');
    });

    test('organization detail: all fields for inviters, no token for annotators; 403 outsider, 404 missing', async () => {
      const res = await http.get(`/api/organizations/${orgId}`, as(owner));
      assert.equal(res.status, 200);
      const org = res.body as Organization;
      assert.deepEqual(Object.keys(org), ['id', 'title', 'token', 'users', 'created_by', 'created_at', 'updated_at', 'contact_info', 'allow_unsafe_instruction_tags', 'default_role']);
      assert.match(org.token ?? '', /^[A-Za-z0-9]{40}$/);
      assert.equal(org.created_by, owner.user.id);
      assert.ok(org.users.includes(owner.user.id) && org.users.includes(annotator.user.id));

      const seenByAnnotator = (await http.get(`/api/organizations/${orgId}/`, as(annotator))).body as Organization;
      assert.equal('token' in seenByAnnotator, false);
      assert.equal(seenByAnnotator.title, org.title);

      assertError(await http.get(`/api/organizations/${orgId}`), 401);
      assertError(await http.get(`/api/organizations/${orgId}`, as(outsider)), 403);
      assertError(await http.get('/api/organizations/999999', as(owner)), 404);
      assertError(await http.get('/api/organizations/abc', as(owner)), 404);
      assertError(await http.get('/api/organizations/99999999999', as(owner)), 404);
      assertError(await http.request('PUT', `/api/organizations/${orgId}`, { ...as(owner), json: { title: 'x' } }), 405, 'Method "PUT" not allowed.');
    });

    test('organization PATCH: owner/admin change title and contact; read-only fields ignored', async () => {
      const before = (await http.get(`/api/organizations/${orgId}`, as(owner))).body as Organization;
      const res = await http.patch(`/api/organizations/${orgId}`, {
        ...as(admin),
        json: { title: '  Renamed  ', contact_info: 'team@example.com', created_by: annotator.user.id, allow_unsafe_instruction_tags: true, token: 'mine' },
      });
      assert.equal(res.status, 200, res.text);
      const org = res.body as Organization & { allow_unsafe_instruction_tags: boolean };
      assert.equal(org.title, 'Renamed');
      assert.equal(org.contact_info, 'team@example.com');
      assert.equal(org.created_by, owner.user.id);
      assert.equal(org.allow_unsafe_instruction_tags, false);
      assert.equal(org.token, before.token);
      const cleared = await http.patch(`/api/organizations/${orgId}`, { ...as(owner), json: { contact_info: null } });
      assert.equal((cleared.body as Organization).contact_info, null);
      assert.equal((cleared.body as Organization).title, 'Renamed');
    });

    test('organization PATCH: 403 annotator and outsider, 400 bad input, 401', async () => {
      assertError(await http.patch(`/api/organizations/${orgId}`, { ...as(annotator), json: { title: 'Mine' } }), 403);
      assertError(await http.patch(`/api/organizations/${orgId}`, { ...as(outsider), json: { title: 'Mine' } }), 403);
      assertError(await http.patch(`/api/organizations/${orgId}`, { json: { title: 'Mine' } }), 401);
      assertError(await http.patch('/api/organizations/999999', { ...as(owner), json: { title: 'Mine' } }), 404);
      const cases: Array<[unknown, string]> = [
        [{ title: '   ' }, 'title'],
        [{ title: 'x'.repeat(1001) }, 'title'],
        [{ contact_info: 'not-an-email' }, 'contact_info'],
        [{ title: { nested: true } }, 'title'],
      ];
      for (const [json, field] of cases) {
        const env = assertError(await http.patch(`/api/organizations/${orgId}`, { ...as(owner), json }), 400);
        assert.ok(env.validation_errors?.[field], `${JSON.stringify(json)} → ${JSON.stringify(env.validation_errors)}`);
      }
      const malformed = await http.patch(`/api/organizations/${orgId}`, { headers: { ...tokenAuth(owner.token), 'content-type': 'application/json' }, raw: '{"title"' });
      assertError(malformed, 400);
      const title = ((await http.get(`/api/organizations/${orgId}`, as(owner))).body as Organization).title;
      assert.equal(title, 'Renamed', 'nothing was changed by the refused requests');
    });

    test('invite link: shape, permission, reset returns 201 and the old link stops working', async () => {
      assertError(await http.get('/api/invite'), 401);
      assertError(await http.get('/api/invite', as(annotator)), 403);
      assertError(await http.post('/api/invite/reset-token', { ...as(annotator), raw: '' }), 403);
      const res = await http.get('/api/invite', as(owner));
      assert.equal(res.status, 200);
      const invite = res.body as { invite_url: string; token: string };
      assert.deepEqual(Object.keys(invite), ['invite_url', 'token']);
      assert.equal(invite.invite_url, `/user/signup/?token=${invite.token}`);
      assert.equal(res.headers.get('x-robots-tag'), 'noindex, nofollow');

      // The SDK posts with Content-Length: 0 and no content type.
      const reset = await http.post('/api/invite/reset-token', { ...as(admin), raw: '' });
      assert.equal(reset.status, 201);
      const fresh = reset.body as { invite_url: string; token: string };
      assert.match(fresh.token, /^[A-Za-z0-9]{40}$/);
      assert.notEqual(fresh.token, invite.token);
      assert.equal(fresh.invite_url, `/user/signup/?token=${fresh.token}`);
      assert.equal(((await http.get('/api/invite', as(owner))).body as { token: string }).token, fresh.token);

      const refused = await server.client().signup('late@example.com', 'late-password-1', invite.token);
      assert.equal(refused.status, 403);
      const joined = server.client();
      assert.equal((await joined.signup('early@example.com', 'early-password-1', fresh.token)).status, 302);
      const me = (await joined.get('/api/current-user/whoami')).body as { active_organization: number };
      assert.equal(me.active_organization, orgId);
    });

    test('the OpenAPI document describes these routes', async () => {
      const doc = (await http.get('/api/schema/')).body as { paths: Record<string, unknown> };
      for (const path of ['/api/organizations/', '/api/organizations/{id}', '/api/organizations/{id}/memberships', '/api/invite', '/api/projects/{id}/import']) {
        assert.ok(doc.paths[path], path);
      }
    });
  });
}
