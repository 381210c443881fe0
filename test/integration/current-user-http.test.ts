import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';
import { assertEnvelope, USER_FIELDS, type UserBody } from '../helpers/envelope.js';
import { buildOrganization, buildProject, buildMember, buildOwner, type TestUser } from '../helpers/factories.js';
import { tokenAuth } from '../helpers/http-client.js';
import { useTestServer, type TestServer } from '../helpers/test-server.js';

const SAVE = { 'editor:save': { key: 'ctrl+shift+s', active: true }, 'editor:new': { key: 'ctrl+n', active: true } };
const HOTKEYS = '/api/current-user/hotkeys/';


for (const kind of DATABASE_KINDS) {
  describe(`current user [${kind}]`, { skip: skipReason(kind) }, () => {
    const fixture = useTestServer(kind);
    let server: TestServer;
    let owner: TestUser;
    let member: TestUser;
    let orgId: number;
    const as = (user: TestUser) => ({ headers: tokenAuth(user.token) });
    const preferences = () => server.ctx.database.db.selectFrom('project_hotkey_preferences').selectAll().execute();
    const memberships = async () => (await server.ctx.database.db.selectFrom('organization_members').selectAll().execute()).length;

    before(async () => {
      server = fixture.server;
      owner = await buildOwner(server.ctx);
      orgId = owner.user.active_organization_id ?? 0;
      member = await buildMember(server.ctx, orgId, { firstName: 'Mia' });
    });

    test('GET /api/current-user: your own user object; whoami adds the membership and what the role may do', async () => {
      const res = await server.client().get('/api/current-user', as(member));
      assert.equal(res.status, 200);
      const me = res.body as UserBody;
      assert.deepEqual(Object.keys(me), USER_FIELDS);
      assert.equal(me.id, member.user.id);
      assert.deepEqual(me.active_organization_meta, { title: 'Label Studio', email: owner.email });
      type Membership = { role: string; active: boolean; organization_id: number };
      type WhoAmI = UserBody & { organization_membership: Membership; org_membership: Membership[]; permissions: string[] };
      const whoami = (await server.client().get('/api/current-user/whoami', as(member))).body as WhoAmI;
      assert.deepEqual(Object.keys(whoami), [...USER_FIELDS, 'organization_membership', 'org_membership', 'permissions']);
      assert.equal(whoami.email, me.email);
      // Label Studio Enterprise's shape: the role in the active organization, and every live membership.
      assert.deepEqual(whoami.organization_membership, { role: 'AN', active: true, organization_id: orgId });
      assert.deepEqual(whoami.org_membership, [{ role: 'AN', active: true, organization_id: orgId }]);
      // The permission keys come from the one table: an annotator works, but neither invites nor administers.
      assert.ok(whoami.permissions.includes('projects.create') && whoami.permissions.includes('organizations.view'));
      assert.ok(!whoami.permissions.includes('organizations.invite') && !whoami.permissions.includes('users.change'));
      const ownerView = (await server.client().get('/api/current-user/whoami', as(owner))).body as WhoAmI;
      assert.equal(ownerView.organization_membership.role, 'OW');
      for (const key of ['organizations.invite', 'organizations.token_settings', 'members.delete', 'users.delete']) {
        assert.ok(ownerView.permissions.includes(key), key);
      }
      assertEnvelope((await server.client().get('/api/current-user')).body, 401, 'Authentication credentials were not provided.');
    });

    // whoami's body is serialized once and kept while the cached rows it shows stay the same: each change below must
    // show on the very next request, after a request that would have kept the old body.
    test('whoami shows each change to what it holds on the next request', async () => {
      const person = await buildMember(server.ctx, orgId, { firstName: 'Wendy' });
      type WhoAmI = UserBody & { organization_membership: { role: string }; org_membership: Array<{ organization_id: number }>; permissions: string[] };
      const whoami = async () => {
        const res = await server.client().get('/api/current-user/whoami', as(person));
        assert.equal(res.status, 200, res.text);
        assert.match(String(res.headers.get('content-type')), /^application\/json; charset=utf-8$/);
        return res.body as WhoAmI;
      };
      const owned = as(owner);
      await whoami();
      assert.equal((await whoami()).first_name, 'Wendy');

      assert.equal((await server.client().patch('/api/current-user', { ...as(person), json: { first_name: 'Wanda', custom_hotkeys: SAVE } })).status, 200);
      const renamed = await whoami();
      assert.equal(renamed.first_name, 'Wanda');
      assert.deepEqual(renamed.custom_hotkeys, SAVE);

      assert.equal((await server.client().patch(`/api/organizations/${orgId}`, { ...owned, json: { title: 'Renamed Lab' } })).status, 200);
      assert.equal((await whoami()).active_organization_meta?.title, 'Renamed Lab');

      assert.ok(!(await whoami()).permissions.includes('organizations.invite'));
      const promoted = await server.client().patch(`/api/organizations/${orgId}/memberships`, { ...owned, json: { user_id: person.user.id, role: 'AD' } });
      assert.equal(promoted.status, 200, promoted.text);
      const administrator = await whoami();
      assert.equal(administrator.organization_membership.role, 'AD');
      assert.ok(administrator.permissions.includes('organizations.invite'));

      // Put the title back for the tests after this one.
      await server.client().patch(`/api/organizations/${orgId}`, { ...owned, json: { title: 'Label Studio' } });
      assert.equal((await whoami()).active_organization_meta?.title, 'Label Studio');
    });

    test('PATCH /api/current-user: profile fields; email saves the rest then 405; bad input 400', async () => {
      const client = server.client();
      await client.login(member.email, member.password);
      const res = await client.patch('/api/current-user', { json: { first_name: 'Mira', last_name: 'Self', custom_hotkeys: SAVE } });
      assert.equal(res.status, 200, res.text);
      const me = res.body as UserBody;
      assert.deepEqual([me.first_name, me.last_name, me.initials], ['Mira', 'Self', 'MS']);
      assert.deepEqual(me.custom_hotkeys, SAVE);
      const email = await client.patch('/api/current-user', { json: { email: 'other@example.com', phone: '42' } });
      assertEnvelope(email.body, 405, 'Cannot update read-only field: email');
      const stored = await server.ctx.services.accounts.getById(member.user.id);
      assert.deepEqual([stored.phone, stored.email], ['42', member.email]);
      assert.deepEqual(assertEnvelope((await client.patch('/api/current-user', { json: { first_name: 5 } })).body, 400).validation_errors, {
        first_name: ['Not a valid string.'],
      });
      assert.deepEqual(assertEnvelope((await client.patch('/api/current-user', { json: { phone: '9'.repeat(300) } })).body, 400).validation_errors, {
        phone: ['Ensure this field has no more than 256 characters.'],
      });
      const malformed = await client.patch('/api/current-user', { headers: { 'content-type': 'application/json' }, raw: '{"first_name"' });
      assertEnvelope(malformed.body, 400, /^JSON parse error/);
      assertEnvelope((await server.client().patch('/api/current-user', { json: { first_name: 'X' } })).body, 401);
      const bodiless = await server.client().patch('/api/current-user', { ...as(member), raw: '' });
      assert.equal((bodiless.body as UserBody).first_name, 'Mira', 'no body: nothing to change, 200');
    });

    test('hotkeys: GET returns the account map; PATCH replaces it whole; {} clears it', async () => {
      await server.ctx.repos.users.update(owner.user.id, { custom_hotkeys: JSON.stringify({ 'editor:find': { key: 'ctrl+f' } }) });
      const initial = await server.client().get(HOTKEYS, as(owner));
      assert.deepEqual(initial.body, { custom_hotkeys: { 'editor:find': { key: 'ctrl+f' } } });
      const replaced = await server.client().patch(HOTKEYS, { ...as(owner), json: { custom_hotkeys: SAVE } });
      assert.equal(replaced.status, 200);
      assert.deepEqual(replaced.body, { custom_hotkeys: SAVE });
      assert.deepEqual(JSON.parse((await server.ctx.services.accounts.getById(owner.user.id)).custom_hotkeys), SAVE, 'not merged');
      assert.deepEqual((await server.client().patch(HOTKEYS, { ...as(owner), json: { custom_hotkeys: {} } })).body, { custom_hotkeys: {} });
      assert.deepEqual((await server.client().get('/api/current-user/hotkeys', as(owner))).body, { custom_hotkeys: {} });
      await server.ctx.repos.users.update(owner.user.id, { custom_hotkeys: '{"broken": 1}' });
      assert.deepEqual((await server.client().get(HOTKEYS, as(owner))).body, { custom_hotkeys: {} }, 'invalid stored data reads as {}');
    });

    test('hotkeys: invalid maps answer Label Studio’s {"error", "details"}; no credentials 401', async () => {
      const patch = (json: unknown) => server.client().patch(HOTKEYS, { ...as(member), json });
      const before = (await server.ctx.services.accounts.getById(member.user.id)).custom_hotkeys;
      const required = { error: 'Invalid hotkeys configuration', details: { custom_hotkeys: ['This field is required.'] } };
      assert.deepEqual((await patch({})).body, required);
      assert.deepEqual((await server.client().patch(HOTKEYS, { ...as(member), raw: '' })).body, required);
      const missingKey = await patch({ custom_hotkeys: { 'editor:save': { active: true } } });
      assert.equal(missingKey.status, 400);
      assert.deepEqual(missingKey.body, { error: 'Invalid hotkeys configuration', details: { custom_hotkeys: ["Missing 'key' in hotkey data for 'editor:save'"] } });
      const blocked = await patch({ custom_hotkeys: { 'app:x': { key: 'Alt+F4' } } });
      assert.deepEqual(blocked.body, { error: 'Invalid hotkeys configuration', details: { custom_hotkeys: ["Key combination 'Alt+F4' is not allowed for security reasons"] } });
      const list = await patch({ custom_hotkeys: ['ctrl+s'] });
      assert.deepEqual((list.body as { details: unknown }).details, { custom_hotkeys: ['Expected a dictionary of items but got type "list".'] });
      assert.equal((await server.ctx.services.accounts.getById(member.user.id)).custom_hotkeys, before, 'nothing written');
      const malformed = await server.client().patch(HOTKEYS, { headers: { ...tokenAuth(member.token), 'content-type': 'application/json' }, raw: '{' });
      assertEnvelope(malformed.body, 400, /^JSON parse error/);
      assertEnvelope((await server.client().get(HOTKEYS)).body, 401, 'Authentication credentials were not provided.');
      assertEnvelope((await server.client().patch(HOTKEYS, { json: { custom_hotkeys: {} } })).body, 401);
      assertEnvelope((await server.client().request('PUT', HOTKEYS, { ...as(member), json: {} })).body, 405);
    });

    test('hotkeys ?project=: an override per user and project, never a membership, {} removes it', async () => {
      const projectA = await buildProject(server.ctx, orgId, null);
      const projectB = await buildProject(server.ctx, orgId, null);
      const account = JSON.stringify({ 'editor:save': { key: 'ctrl+s', active: true } });
      await server.ctx.repos.users.update(member.user.id, { custom_hotkeys: account });
      const count = await memberships();
      assert.deepEqual((await server.client().get(`${HOTKEYS}?project=${projectA}`, as(member))).body, { custom_hotkeys: {} });
      const saved = await server.client().patch(`${HOTKEYS}?project=${projectA}`, { ...as(member), json: { custom_hotkeys: SAVE } });
      assert.deepEqual(saved.body, { custom_hotkeys: SAVE });
      assert.deepEqual((await server.client().get(`${HOTKEYS}?project=${projectA}`, as(member))).body, { custom_hotkeys: SAVE });
      assert.deepEqual((await server.client().get(`${HOTKEYS}?project=${projectB}`, as(member))).body, { custom_hotkeys: {} }, 'per project');
      assert.deepEqual((await server.client().get(`${HOTKEYS}?project=${projectA}`, as(owner))).body, { custom_hotkeys: {} }, 'per user');
      assert.equal((await server.ctx.services.accounts.getById(member.user.id)).custom_hotkeys, account, 'account map untouched');
      assert.equal(await memberships(), count, 'no membership created');
      assert.equal((await preferences()).length, 1);
      const cleared = await server.client().patch(`${HOTKEYS}?project=${projectA}`, { ...as(member), json: { custom_hotkeys: {} } });
      assert.deepEqual(cleared.body, { custom_hotkeys: {} });
      assert.equal((await preferences()).length, 0);
    });

    test('hotkeys ?project=: malformed 400, other organization 404, no project access 403, invalid map 400 — no writes', async () => {
      const projectId = await buildProject(server.ctx, orgId, null);
      const account = (await server.ctx.services.accounts.getById(member.user.id)).custom_hotkeys;
      for (const value of ['', 'not-an-integer', `%2B${projectId}`, `0${projectId}`, `%20${projectId}`, '-1', '1.0']) {
        for (const method of ['GET', 'PATCH'] as const) {
          const res = await server.client().request(method, `${HOTKEYS}?project=${value}`, { ...as(member), json: method === 'PATCH' ? { custom_hotkeys: SAVE } : undefined });
          assert.deepEqual(assertEnvelope(res.body, 400).validation_errors, { project: 'Project must be an integer.' }, `${method} ${value}`);
        }
      }
      const repeated = await server.client().get(`${HOTKEYS}?project=${projectId}&project=x`, as(member));
      assert.deepEqual(assertEnvelope(repeated.body, 400).validation_errors, { project: 'Project must be an integer.' }, 'the last value counts');
      const otherOrg = await buildOrganization(server.ctx, { email: `elsewhere-${kind}@example.com`, title: 'Elsewhere' });
      const foreign = await buildProject(server.ctx, otherOrg.organizationId, null);
      for (const id of [foreign, 987654, 99999999999]) {
        assertEnvelope((await server.client().get(`${HOTKEYS}?project=${id}`, as(member))).body, 404, 'Project not found.');
      }
      assertEnvelope((await server.client().patch(`${HOTKEYS}?project=${foreign}`, { ...as(member), json: { custom_hotkeys: SAVE } })).body, 404);
      const pending = await buildMember(server.ctx, orgId, { role: 'NO' });
      const denied = await server.client().patch(`${HOTKEYS}?project=${projectId}`, { ...as(pending), json: { custom_hotkeys: SAVE } });
      // A pending member may do nothing at all: refused before the project is even looked at, saying why.
      assert.equal(assertEnvelope(denied.body, 403, /waiting for an administrator/).code, 'membership.pending');
      const invalid = await server.client().patch(`${HOTKEYS}?project=${projectId}`, { ...as(member), json: { custom_hotkeys: { 'editor:save': { active: true } } } });
      assert.equal((invalid.body as { error: string }).error, 'Invalid hotkeys configuration');
      assert.equal((await preferences()).length, 0);
      assert.equal((await server.ctx.services.accounts.getById(member.user.id)).custom_hotkeys, account);
    });

    test('the OpenAPI document lists 200/400/401/403/404/500 for the hotkeys calls', async () => {
      const doc = (await server.client().get('/api/schema/')).body as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
      const path = doc.paths['/api/current-user/hotkeys/'];
      for (const method of ['get', 'patch']) {
        assert.deepEqual(Object.keys(path?.[method]?.responses ?? {}).sort(), ['200', '400', '401', '403', '404', '500'], method);
      }
      assert.ok(doc.paths['/api/current-user']?.patch);
    });
  });
}
