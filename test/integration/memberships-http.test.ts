import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { AppContext } from '#src/context.js';
import type { RoleCode } from '#src/storage/schema.js';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';
import { assertError } from '../helpers/envelope.js';
import { actingAs, buildOrganization, addToOrganization, buildMember, buildOwner, type TestUser } from '../helpers/factories.js';
import { tokenAuth, type HttpClient } from '../helpers/http-client.js';
import { useTestServer, type TestServer } from '../helpers/test-server.js';

type Ref = { id: number; title: string };
type UserJson = { id: number; username: string; email: string; first_name: string; created_projects: Ref[] | null; contributed_to_projects: Ref[] | null };
type Member = { id: number; organization: number; user: UserJson; created_projects: Ref[] | null; contributed_to_projects: Ref[] | null; role: string };
type Page = { count: number; next: string | null; previous: string | null; results: Member[] };


/** A user who owns a new organization, with a legacy token. */
async function ownOrganization(ctx: AppContext, username: string): Promise<{ owner: TestUser; orgId: number }> {
  const { owner, organizationId } = await buildOrganization(ctx, { email: `${username}@example.com`, username, password: 'owner-pass-1', title: `Org of ${username}` });
  return { owner, orgId: organizationId };
}

/** `count` members, each creating a project and annotating a task of it (so every project list is filled). */
async function addContributors(ctx: AppContext, orgId: number, prefix: string, count: number, role: RoleCode = 'AN'): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    const member = await buildMember(ctx, orgId, { email: `${prefix}-${String(i).padStart(2, '0')}@example.com`, role });
    const actor = await actingAs(ctx, member.user);
    const project = await ctx.services.projects.create(actor, { title: `${prefix} project ${i}` });
    const { taskIds } = await ctx.services.projects.importTasks(actor, project.id, [{ text: 'x' }]);
    await ctx.services.projects.createAnnotation(actor, taskIds[0] ?? 0, { result: [] });
  }
}

for (const kind of DATABASE_KINDS) {
  describe(`organization memberships over HTTP [${kind}]`, { skip: skipReason(kind) }, () => {
    const fixture = useTestServer(kind);
    let server: TestServer;
    let http: HttpClient;
    const as = (user: TestUser) => ({ headers: tokenAuth(user.token) });

    before(async () => {
      server = fixture.server;
      http = server.client();
    });

    test('list and detail reflect real project, import and annotation calls by two users', async () => {
      const owner = await buildOwner(server.ctx);
      const orgId = owner.user.active_organization_id ?? 0;
      const alice = await buildMember(server.ctx, orgId, { email: 'alice@example.com', firstName: 'Alice' });
      const bob = await buildMember(server.ctx, orgId, { email: 'bob@example.com', role: 'MA' });
      const create = async (user: TestUser, title: string) => ((await http.post('/api/projects/', { ...as(user), json: { title } })).body as Ref).id;
      const importOne = async (user: TestUser, projectId: number) =>
        ((await http.post(`/api/projects/${projectId}/import?return_task_ids=true`, { ...as(user), json: [{ data: { text: 't' } }] })).body as { task_ids: number[] }).task_ids[0];
      const annotate = async (user: TestUser, taskId: number | undefined) =>
        assert.equal((await http.post(`/api/tasks/${taskId}/annotations/`, { ...as(user), json: { result: [] } })).status, 201);
      const pOwner = await create(owner, 'Owner project');
      const pAlice = await create(alice, 'Alice project');
      const tOwner = await importOne(owner, pOwner);
      const tAlice = await importOne(alice, pAlice);
      await annotate(owner, tOwner);
      await annotate(alice, tOwner);
      await annotate(alice, tOwner);
      await annotate(alice, tAlice);

      const plain = await http.get(`/api/organizations/${orgId}/memberships`, as(bob));
      assert.equal(plain.status, 200);
      const page = plain.body as Page;
      assert.deepEqual(Object.keys(page), ['count', 'next', 'previous', 'results']);
      assert.equal(page.count, 3);
      const first = page.results[0];
      assert.ok(first);
      assert.deepEqual(Object.keys(first), ['id', 'organization', 'user', 'created_projects', 'contributed_to_projects', 'role', 'role_source', 'user_type', 'tags', 'allowed_actions', 'role_before_deactivation']);
      for (const member of page.results) {
        assert.equal(member.created_projects, null);
        assert.equal(member.contributed_to_projects, null);
        assert.equal(member.user.created_projects, null);
        assert.equal(member.user.contributed_to_projects, null);
        assert.equal(member.organization, orgId);
      }
      assert.deepEqual(page.results.map((m) => m.user.username), ['', 'alice', 'bob'], 'ordered by username');
      assert.deepEqual(page.results.map((m) => m.role), ['OW', 'AN', 'MA']);

      const full = (await http.get(`/api/organizations/${orgId}/memberships?contributed_to_projects=true&page=1&page_size=100`, as(owner))).body as Page;
      const byUser = new Map(full.results.map((m) => [m.user.id, m]));
      const expect = (user: TestUser, created: Ref[], contributed: Ref[]) => {
        const member = byUser.get(user.user.id);
        assert.deepEqual(member?.created_projects, created);
        assert.deepEqual(member?.contributed_to_projects, contributed);
        assert.deepEqual(member?.user.created_projects, created);
        assert.deepEqual(member?.user.contributed_to_projects, contributed);
      };
      expect(owner, [{ id: pOwner, title: 'Owner project' }], [{ id: pOwner, title: 'Owner project' }]);
      expect(alice, [{ id: pAlice, title: 'Alice project' }], [
        { id: pOwner, title: 'Owner project' },
        { id: pAlice, title: 'Alice project' },
      ]);
      expect(bob, [], []);
      const zero = (await http.get(`/api/organizations/${orgId}/memberships?contributed_to_projects=0`, as(owner))).body as Page;
      assert.equal(zero.results[0]?.created_projects, null);
      const badFlag = assertError(await http.get(`/api/organizations/${orgId}/memberships?contributed_to_projects=maybe`, as(owner)), 400);
      assert.ok(badFlag.validation_errors?.contributed_to_projects);

      const detail = await http.get(`/api/organizations/${orgId}/memberships/${alice.user.id}/?contributed_to_projects=true`, as(owner));
      assert.equal(detail.status, 200);
      const body = detail.body as Record<string, unknown>;
      assert.deepEqual(Object.keys(body), ['user', 'organization', 'contributed_projects_count', 'annotations_count', 'created_at', 'created_projects', 'contributed_to_projects', 'role', 'allowed_actions']);
      assert.equal(body.user, alice.user.id);
      assert.equal(body.annotations_count, 3);
      assert.equal(body.contributed_projects_count, 2);
      assert.deepEqual(body.created_projects, [{ id: pAlice, title: 'Alice project' }]);
      const bare = (await http.get(`/api/organizations/${orgId}/memberships/${alice.user.id}`, as(bob))).body as Record<string, unknown>;
      assert.equal(bare.created_projects, null);
      assert.equal(bare.contributed_to_projects, null);
      assert.equal(bare.annotations_count, 3);
    });

    test('a search asked again answers what changed since: a member renamed, one added, one removed, on every page', async () => {
      const { owner, orgId } = await ownOrganization(server.ctx, 'a-searcher');
      const members: TestUser[] = [];
      for (let i = 1; i <= 6; i += 1) members.push(await buildMember(server.ctx, orgId, { email: `s-${i}@example.com`, firstName: i <= 3 ? 'Quill' : 'Other' }));
      const base = `/api/organizations/${orgId}/memberships`;
      const names = async (query: string) => {
        const page = (await http.get(`${base}?search=quill&${query}`, as(owner))).body as Page;
        return { count: page.count, emails: page.results.map((m) => m.user.email) };
      };
      assert.deepEqual(await names('page_size=2'), { count: 3, emails: ['s-1@example.com', 's-2@example.com'] });
      assert.deepEqual(await names('page_size=2&page=2'), { count: 3, emails: ['s-3@example.com'] });
      // Renamed into the search (through the API), and out of it.
      const [first, , , fourth] = members;
      assert.equal((await http.patch(`/api/users/${fourth?.user.id}/`, { ...as(fourth as TestUser), json: { last_name: 'Quilling' } })).status, 200);
      assert.equal((await http.patch(`/api/users/${first?.user.id}/`, { ...as(first as TestUser), json: { first_name: 'Ink' } })).status, 200);
      assert.deepEqual(await names('page_size=2&page=2'), { count: 3, emails: ['s-4@example.com'] });
      // A new member who matches, and a removed one.
      await buildMember(server.ctx, orgId, { email: 's-0@example.com', firstName: 'Quillon' });
      assert.equal((await http.delete(`${base}/${members[1]?.user.id}/`, as(owner))).status, 204);
      assert.deepEqual(await names('page_size=-1'), { count: 3, emails: ['s-0@example.com', 's-3@example.com', 's-4@example.com'] });
      assert.deepEqual(await names('page_size=-1&ordering=-email'), { count: 3, emails: ['s-4@example.com', 's-3@example.com', 's-0@example.com'] });
      assert.deepEqual(await names('page=last&page_size=2'), { count: 3, emails: ['s-4@example.com'] });
    });

    test('pagination: 20 by default, page 2, page_size=-1, links, past the end an empty page; search and ordering', async () => {
      const { owner, orgId } = await ownOrganization(server.ctx, 'a-pager');
      for (let i = 1; i <= 24; i += 1) await buildMember(server.ctx, orgId, { email: `p-${String(i).padStart(2, '0')}@example.com`, firstName: i === 7 ? 'Zed' : '' });
      const base = `/api/organizations/${orgId}/memberships`;
      const get = async (query: string) => (await http.get(`${base}${query}`, as(owner))).body as Page;
      const page1 = await get('');
      assert.equal(page1.count, 25);
      assert.equal(page1.results.length, 20);
      assert.equal(page1.next, `${base}?page=2`);
      assert.equal(page1.previous, null);
      assert.equal(page1.results[0]?.user.username, 'a-pager');
      const page2 = await get('?page=2');
      assert.equal(page2.results.length, 5);
      assert.equal(page2.next, null);
      assert.equal(page2.previous, base);
      assert.equal(page2.results[4]?.user.username, 'p-24');
      const everyone = await get('?page_size=-1');
      assert.equal(everyone.results.length, 25);
      assert.equal(everyone.next, null);
      const small = await get('?page_size=10&page=2&search=p-');
      assert.equal(small.next, `${base}?page=3&page_size=10&search=p-`);
      assert.equal(small.previous, `${base}?page_size=10&search=p-`);
      assert.deepEqual([small.count, small.results.length, small.results[0]?.user.username], [24, 10, 'p-11']);
      const pastSearch = await get('?page_size=10&page=4&search=p-');
      assert.deepEqual([pastSearch.count, pastSearch.results.length, pastSearch.next], [24, 0, null], 'past the last match: an empty page that still counts them');
      assert.equal((await get('?page_size=nonsense')).results.length, 20, 'an invalid page size falls back to the default');
      // Past the end: an empty page, which ends the SDK's member pager (a 404 would raise in it).
      const past = await get('?page=3');
      assert.deepEqual([past.count, past.results.length, past.next], [25, 0, null]);
      assertError(await http.get(`${base}?page=abc`, as(owner)), 404, 'Invalid page.');

      assert.deepEqual((await get('?search=P-0')).results.map((m) => m.user.username), ['p-01', 'p-02', 'p-03', 'p-04', 'p-05', 'p-06', 'p-07', 'p-08', 'p-09']);
      assert.deepEqual((await get('?search=zed')).results.map((m) => m.user.email), ['p-07@example.com']);
      assert.equal((await get('?search=%25')).count, 0, 'LIKE wildcards are literal');
      const desc = (await get('?ordering=-email&page_size=3')).results.map((m) => m.user.email);
      assert.deepEqual(desc, ['p-24@example.com', 'p-23@example.com', 'p-22@example.com']);
      const byFirstName = (await get('?ordering=first_name&page_size=-1')).results;
      assert.equal(byFirstName[24]?.user.first_name, 'Zed');
      const byActivity = await get('?ordering=-last_activity');
      assert.equal(byActivity.results.length, 20);
      const bad = assertError(await http.get(`${base}?ordering=password`, as(owner)), 400);
      assert.ok(bad.validation_errors?.ordering);
    });

    test('the list costs the same number of SQL queries for 3 and for 30 members', async () => {
      const { owner, orgId } = await ownOrganization(server.ctx, 'a-counter');
      await addContributors(server.ctx, orgId, 'q', 2);
      const url = `/api/organizations/${orgId}/memberships?contributed_to_projects=true&page_size=-1`;
      const measure = async (expected: number) => {
        // Counted with nothing cached: what a first request costs.
        server.ctx.deps.reads.cache.clear();
        server.ctx.queries.length = 0;
        const res = await http.get(url, as(owner));
        assert.equal(res.status, 200);
        const page = res.body as Page;
        assert.equal(page.results.length, expected);
        assert.ok(page.results.filter((m) => m.role === 'AN').every((m) => m.created_projects?.length === 1 && m.contributed_to_projects?.length === 1));
        return server.ctx.queries.length;
      };
      const few = await measure(3);
      await addContributors(server.ctx, orgId, 'r', 27);
      const many = await measure(30);
      assert.equal(many, few, `queries: ${few} for 3 members, ${many} for 30`);
      assert.ok(few <= 12, `at most 12 queries (got ${few})`);
    });

    test('access: 401, outsiders and removed members get 404 on the list, 403 on a detail; missing → 404', async () => {
      const { owner, orgId } = await ownOrganization(server.ctx, 'a-guard');
      const { owner: stranger } = await ownOrganization(server.ctx, 'a-stranger');
      const member = await buildMember(server.ctx, orgId, { email: 'guarded@example.com' });
      const list = `/api/organizations/${orgId}/memberships`;
      assertError(await http.get(list), 401);
      assertError(await http.get(list, as(stranger)), 404);
      assertError(await http.get('/api/organizations/999999/memberships', as(owner)), 404);
      const detail = `${list}/${member.user.id}/`;
      assertError(await http.get(detail), 401);
      assertError(await http.get(detail, as(stranger)), 403);
      assertError(await http.get(`/api/organizations/999999/memberships/${member.user.id}/`, as(owner)), 404);
      assertError(await http.get(`${list}/${stranger.user.id}/`, as(owner)), 404);
      assertError(await http.get(`${list}/999999/`, as(owner)), 404);
      assertError(await http.request('PUT', detail, { ...as(owner), json: {} }), 405);

      // A member looking at an organization that is not their active one: allowed to list, refused the detail.
      await addToOrganization(server.ctx, orgId, stranger.user.id, 'AD');
      await server.ctx.repos.users.update(stranger.user.id, { active_organization_id: stranger.user.active_organization_id });
      assert.equal((await http.get(list, as(stranger))).status, 200);
      assertError(await http.get(detail, as(stranger)), 403);
    });
  });
}
