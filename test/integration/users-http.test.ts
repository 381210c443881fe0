import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { DATABASE_KINDS, skipReason, type DatabaseKind } from '../helpers/databases.js';
import { assertEnvelope, USER_FIELDS, type UserBody } from '../helpers/envelope.js';
import { buildProject, buildOrganization, removeMember, addToOrganization, buildMember, buildOwner, type TestUser } from '../helpers/factories.js';
import { tokenAuth } from '../helpers/http-client.js';
import { startTestServer, useTestServer, type TestServer } from '../helpers/test-server.js';



async function listQueryCount(kind: DatabaseKind, members: number): Promise<number> {
  const server = await startTestServer(kind);
  try {
    const owner = await buildOwner(server.ctx);
    const orgId = owner.user.active_organization_id ?? 0;
    for (let i = 1; i < members; i += 1) await buildMember(server.ctx, orgId);
    const client = server.client();
    await client.get('/api/users/', { headers: tokenAuth(owner.token) });
    server.ctx.queries.length = 0;
    const res = await client.get('/api/users/', { headers: tokenAuth(owner.token) });
    assert.equal((res.body as unknown[]).length, members);
    return server.ctx.queries.length;
  } finally {
    await server.close();
  }
}

for (const kind of DATABASE_KINDS) {
  describe(`users API [${kind}]`, { skip: skipReason(kind) }, () => {
    const fixture = useTestServer(kind);
    let server: TestServer;
    let owner: TestUser;
    let admin: TestUser;
    let member: TestUser;
    let other: { owner: TestUser; organizationId: number };
    let orgId: number;
    const as = (user: TestUser) => ({ headers: tokenAuth(user.token) });

    before(async () => {
      server = fixture.server;
      owner = await buildOwner(server.ctx);
      orgId = owner.user.active_organization_id ?? 0;
      admin = await buildMember(server.ctx, orgId, { role: 'AD', firstName: 'Ada', lastName: 'Min' });
      member = await buildMember(server.ctx, orgId, { firstName: 'Mem' });
      other = await buildOrganization(server.ctx, { email: `other-${kind}@example.com`, username: 'other' });
    });

    test('list: a bare array in id order, Label Studio fields, removed members masked, other orgs absent', async () => {
      const removed = await buildMember(server.ctx, orgId, { firstName: 'Gone', lastName: 'Away' });
      await removeMember(server.ctx, removed.user.id, orgId);
      const res = await server.client().get(`/api/users/?page=1&page_size=1&search=zzz&project=1&ordering=-id`, as(member));
      assert.equal(res.status, 200);
      const list = res.body as UserBody[];
      assert.ok(Array.isArray(list));
      assert.deepEqual(list.map((u) => u.id), [owner.user.id, admin.user.id, member.user.id, removed.user.id]);
      for (const user of list) {
        assert.deepEqual(Object.keys(user), USER_FIELDS);
        assert.equal(typeof user.active_organization_meta.title, 'string');
      }
      assert.deepEqual(list[0]?.active_organization_meta, { title: 'Label Studio', email: owner.email });
      assert.equal(list[1]?.initials, 'AM');
      const masked = list[3];
      assert.equal(masked?.first_name, 'Deleted');
      assert.equal(masked?.last_name, 'User');
      assert.equal(masked?.initials, 'DU');
      assert.equal(masked?.username, `deleted-${removed.user.id}`);
      assert.equal(masked?.email, `deleted-${removed.user.id}-user@example.com`);
      assert.equal(masked?.avatar, null);
      assert.ok(!list.some((u) => u.id === other.owner.user.id));
      assertEnvelope((await server.client().get('/api/users/')).body, 401, 'Authentication credentials were not provided.');
    });

    test('list: the same number of SQL statements for 3 and 25 members', async () => {
      const few = await listQueryCount(kind, 3);
      const many = await listQueryCount(kind, 25);
      assert.equal(many, few);
      assert.ok(few <= 6, `expected a handful of statements, got ${few}`);
    });

    test('retrieve: 200 inside the organization, 404 outside or for ids that cannot exist', async () => {
      const res = await server.client().get(`/api/users/${admin.user.id}`, as(member));
      assert.equal(res.status, 200);
      const body = res.body as UserBody;
      assert.deepEqual(Object.keys(body), USER_FIELDS);
      assert.equal(body.email, admin.email);
      assert.equal(body.active_organization, orgId);
      for (const id of [other.owner.user.id, 999999, 'abc', '99999999999', '0']) {
        assertEnvelope((await server.client().get(`/api/users/${id}/`, as(member))).body, 404, 'Not found.');
      }
      assertEnvelope((await server.client().get(`/api/users/${admin.user.id}/`)).body, 401);
      assertEnvelope((await server.client().request('PUT', `/api/users/${admin.user.id}/`, { ...as(owner), json: {} })).body, 405, 'Method "PUT" not allowed.');
    });

    test('create: 201, joins the caller’s organization as annotator whatever the body says; the password logs in', async () => {
      const res = await server.client().post('/api/users/', {
        ...as(owner),
        json: {
          email: ` New.Person@Example.COM `,
          username: 'new person',
          first_name: 'New',
          last_name: 'Person',
          phone: '123',
          password: 'new-person-pass',
          active_organization: other.organizationId,
          date_joined: '2001-01-01T00:00:00Z',
          custom_hotkeys: { 'editor:save': { key: 'ctrl+s' } },
        },
      });
      assert.equal(res.status, 201, res.text);
      const body = res.body as UserBody;
      assert.deepEqual(Object.keys(body), USER_FIELDS);
      assert.equal(body.email, 'new.person@example.com');
      assert.equal(body.active_organization, orgId);
      assert.equal(body.initials, 'NP');
      assert.deepEqual(body.custom_hotkeys, { 'editor:save': { key: 'ctrl+s' } });
      assert.notEqual(body.date_joined?.slice(0, 4), '2001');
      const membership = await server.ctx.repos.memberships.find(body.id, orgId);
      assert.equal(membership?.role, 'AN');
      assert.equal(await server.ctx.repos.memberships.find(body.id, other.organizationId), undefined);
      const client = server.client();
      assert.equal((await client.login('new.person@example.com', 'new-person-pass')).status, 302);
      assert.equal(((await client.get('/api/current-user/whoami')).body as UserBody).id, body.id);

      const passwordless = await server.client().post('/api/users/', { ...as(admin), json: { email: 'nopass@example.com', username: 'np' } });
      assert.equal(passwordless.status, 201);
      assert.equal((await server.client().login('nopass@example.com', '')).status, 200, 'no password, no login');
    });

    test('create: bad input is a 400 with validation_errors; members may not create', async () => {
      const post = (json: unknown, user = owner) => server.client().post('/api/users/', { ...as(user), json });
      const dup = await post({ email: owner.email.toUpperCase(), username: 'dup' });
      assert.deepEqual(assertEnvelope(dup.body, 400, 'Validation error').validation_errors, { email: ['user with this email address already exists.'] });
      const missing = assertEnvelope((await post({ email: 'x1@example.com' })).body, 400);
      assert.deepEqual(missing.validation_errors, { username: ['This field is required.'] });
      const short = assertEnvelope((await post({ email: 'x2@example.com', username: 'x', password: 'short' })).body, 400);
      assert.deepEqual(short.validation_errors, { password: ['Please enter a password 8–128 characters in length.'] });
      const typed = assertEnvelope((await post({ email: 'x3@example.com', username: 'x', first_name: 5 })).body, 400);
      assert.deepEqual(typed.validation_errors, { first_name: ['Not a valid string.'] });
      const long = assertEnvelope((await post({ email: 'x4@example.com', username: 'u'.repeat(300) })).body, 400);
      assert.deepEqual(long.validation_errors, { username: ['Ensure this field has no more than 256 characters.'] });
      const email = assertEnvelope((await post({ email: 'not-an-email', username: 'x' })).body, 400);
      assert.deepEqual(email.validation_errors, { email: ['Enter a valid email address.'] });
      const keys = assertEnvelope((await post({ email: 'x5@example.com', username: 'x', custom_hotkeys: { save: { key: 'a' } } })).body, 400);
      assert.deepEqual(keys.validation_errors, { custom_hotkeys: ["Action key 'save' must be in 'section:action' format"] });
      const malformed = await server.client().post('/api/users/', { headers: { ...tokenAuth(owner.token), 'content-type': 'application/json' }, raw: '{"email":' });
      assertEnvelope(malformed.body, 400, /^JSON parse error/);
      assertEnvelope((await post({ email: 'x6@example.com', username: 'x' }, member)).body, 403);
      assertEnvelope((await server.client().post('/api/users/', { json: { email: 'x7@example.com', username: 'x' } })).body, 401);
      assert.equal(await server.ctx.services.accounts.findByEmail('x6@example.com'), undefined);
    });

    test('patch: yourself, or anyone for owners and administrators; never outside the organization', async () => {
      const patch = (target: TestUser | number, json: unknown, user: TestUser) =>
        server.client().patch(`/api/users/${typeof target === 'number' ? target : target.user.id}/`, { ...as(user), json });
      const self = await patch(member, { first_name: '  Memo ', phone: '555', allow_newsletters: true }, member);
      assert.equal(self.status, 200, self.text);
      assert.deepEqual(
        [(self.body as UserBody).first_name, (self.body as UserBody).phone, (self.body as UserBody).allow_newsletters],
        ['Memo', '555', true],
      );
      assertEnvelope((await patch(admin, { first_name: 'Hacked' }, member)).body, 403);
      assert.equal((await server.ctx.services.accounts.getById(admin.user.id)).first_name, 'Ada');
      assert.equal((await patch(member, { last_name: 'ByAdmin' }, admin)).status, 200);
      assertEnvelope((await patch(other.owner, { first_name: 'X' }, owner)).body, 404);
      assertEnvelope((await server.client().patch(`/api/users/${member.user.id}/`, { json: {} })).body, 401);
    });

    test('patch: email is read-only — the other fields are saved, then 405', async () => {
      const res = await server.client().patch(`/api/users/${member.user.id}`, { ...as(owner), json: { email: 'new@example.com', first_name: 'Saved' } });
      assertEnvelope(res.body, 405, 'Cannot update read-only field: email');
      const stored = await server.ctx.services.accounts.getById(member.user.id);
      assert.equal(stored.first_name, 'Saved');
      assert.equal(stored.email, member.email);
    });

    test('patch: bad input and active organization changes', async () => {
      const patch = (json: unknown) => server.client().patch(`/api/users/${member.user.id}/`, { ...as(member), json });
      assert.deepEqual(assertEnvelope((await patch({ first_name: 5 })).body, 400).validation_errors, { first_name: ['Not a valid string.'] });
      assert.deepEqual(assertEnvelope((await patch({ allow_newsletters: 'yes' })).body, 400).validation_errors, { allow_newsletters: ['Must be a valid boolean.'] });
      assert.deepEqual(assertEnvelope((await patch({ last_name: 'x'.repeat(300) })).body, 400).validation_errors, {
        last_name: ['Ensure this field has no more than 256 characters.'],
      });
      assert.deepEqual(assertEnvelope((await patch({ username: '   ' })).body, 400).validation_errors, { username: ['This field may not be blank.'] });
      const foreign = assertEnvelope((await patch({ active_organization: other.organizationId })).body, 400);
      assert.deepEqual(foreign.validation_errors, { active_organization: [`Invalid pk "${other.organizationId}" - object does not exist.`] });
      await addToOrganization(server.ctx, other.organizationId, member.user.id, 'AN');
      await server.ctx.repos.users.update(member.user.id, { active_organization_id: orgId });
      const moved = await patch({ active_organization: other.organizationId });
      assert.equal(moved.status, 200, moved.text);
      assert.deepEqual((moved.body as UserBody).active_organization_meta, { title: 'Other org', email: other.owner.email });
      // Now acting in the other organization, the member no longer sees their first one.
      assertEnvelope((await server.client().get(`/api/users/${owner.user.id}/`, as(member))).body, 404);
      await server.ctx.repos.users.update(member.user.id, { active_organization_id: orgId });
      const bad = await server.client().patch(`/api/users/${member.user.id}/`, { headers: { ...tokenAuth(member.token), 'content-type': 'application/json' }, raw: '{' });
      assertEnvelope(bad.body, 400, /^JSON parse error/);
    });

    test('delete: owner and administrators, never the owner, yourself or someone another organization has; the work stays', async () => {
      const victim = await buildMember(server.ctx, orgId, { email: `victim-${kind}@example.com`, firstName: 'Vic' });
      const del = (target: number, user: TestUser) => server.client().delete(`/api/users/${target}/`, as(user));
      const denied = 'Only the organization owner and administrators can delete users';
      assertEnvelope((await del(victim.user.id, member)).body, 403, denied);
      assertEnvelope((await del(member.user.id, member)).body, 403, denied);
      assertEnvelope((await del(owner.user.id, owner)).body, 403, 'The organization owner cannot be deleted');
      assertEnvelope((await del(owner.user.id, admin)).body, 403, 'The organization owner cannot be deleted');
      assertEnvelope((await del(admin.user.id, admin)).body, 403, 'You cannot delete your own account.');
      // Lacking the permission is answered first (the route declares it), whoever the target.
      assertEnvelope((await del(owner.user.id, member)).body, 403, denied);
      assertEnvelope((await del(other.owner.user.id, owner)).body, 404);
      assertEnvelope((await server.client().delete(`/api/users/${victim.user.id}/`)).body, 401);
      assert.ok(await server.ctx.repos.users.findById(victim.user.id), 'still there after refusals');

      // The member also belongs to the other organization: one organization cannot erase another's member.
      assertEnvelope((await del(member.user.id, owner)).body, 403, /another organization/);

      const projectId = await buildProject(server.ctx, orgId, victim.user.id, 'P');
      const res = await del(victim.user.id, admin);
      assert.equal(res.status, 204);
      assert.equal(res.text, '');
      // Everything they made stays theirs, shown as "Deleted User" wherever they appear.
      const shown = (await server.client().get(`/api/users/${victim.user.id}/`, as(owner))).body as UserBody;
      assert.deepEqual([shown.first_name, shown.last_name, shown.email], ['Deleted', 'User', `deleted-${victim.user.id}-user@example.com`]);
      const project = (await server.client().get(`/api/projects/${projectId}/`, as(owner))).body as { created_by: { id: number; first_name: string } };
      assert.deepEqual([project.created_by.id, project.created_by.first_name], [victim.user.id, 'Deleted']);
      assertEnvelope((await server.client().get('/api/current-user/whoami', as(victim))).body, 401);
      assertEnvelope((await del(victim.user.id, owner)).body, 404, 'Not found.');
      assert.equal((await server.client().login(victim.email, victim.password)).status, 200, 'the login form is shown again: no way in');
      // The e-mail is free: a new account (a new invitation) may use it.
      const again = await server.client().post('/api/users/', { ...as(owner), json: { email: victim.email, username: 'back', password: 'a-returning-password' } });
      assert.equal(again.status, 201, again.text);
      assert.notEqual((again.body as UserBody).id, victim.user.id);
    });

    test('the OpenAPI document describes the users API', async () => {
      const doc = (await server.client().get('/api/schema/')).body as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
      const list = doc.paths['/api/users/'];
      assert.ok(list?.get && list.post);
      assert.ok(doc.paths['/api/users/{id}/']?.patch?.responses['405']);
      assert.ok(!Object.keys(doc.paths).some((p) => p.startsWith('/data/')));
    });
  });
}
