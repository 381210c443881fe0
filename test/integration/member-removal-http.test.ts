import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';
import { assertEnvelope, assertError } from '../helpers/envelope.js';
import { buildOrganization, buildUser, addToOrganization, buildMember, buildOwner, type TestUser } from '../helpers/factories.js';
import { tokenAuth, type HttpClient } from '../helpers/http-client.js';
import { useTestServer, type TestServer } from '../helpers/test-server.js';

type Member = { user: { id: number; first_name: string; last_name: string; username: string; email: string; initials: string; avatar: string | null } };


for (const kind of DATABASE_KINDS) {
  describe(`removing organization members over HTTP [${kind}]`, { skip: skipReason(kind) }, () => {
    const fixture = useTestServer(kind);
    let server: TestServer;
    let http: HttpClient;
    let owner: TestUser;
    let orgId: number;
    let otherOrgId: number;
    const as = (user: TestUser) => ({ headers: tokenAuth(user.token) });
    const memberUrl = (userId: number) => `/api/organizations/${orgId}/memberships/${userId}/`;
    const giveAvatar = async (user: TestUser, name: string): Promise<string> => {
      const dir = join(server.ctx.config.dataDir, 'media', 'avatars');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, name), 'png');
      await server.ctx.repos.users.update(user.user.id, { avatar: name });
      return join(dir, name);
    };

    before(async () => {
      server = fixture.server;
      http = server.client();
      owner = await buildOwner(server.ctx);
      orgId = owner.user.active_organization_id ?? 0;
      otherOrgId = (await buildOrganization(server.ctx, { email: 'second-owner@example.com', title: 'Second' })).organizationId;
    });

    test('only the owner may remove: members and administrators get 403, nothing changes', async () => {
      const target = await buildMember(server.ctx, orgId);
      const annotator = await buildMember(server.ctx, orgId);
      const admin = await buildMember(server.ctx, orgId, { role: 'AD' });
      assertError(await http.delete(memberUrl(target.user.id)), 401);
      assertError(await http.delete(memberUrl(target.user.id), as(annotator)), 403, 'You do not have permission to perform this action.');
      assertError(await http.delete(memberUrl(target.user.id), as(admin)), 403);
      assertError(await http.delete(memberUrl(annotator.user.id), as(annotator)), 403);
      const membership = await server.ctx.repos.memberships.find(target.user.id, orgId);
      assert.equal(membership?.deleted_at, null);
    });

    test('the owner removing themselves gets 405 with an un-enveloped body', async () => {
      const res = await http.delete(memberUrl(owner.user.id), as(owner));
      assert.equal(res.status, 405);
      assert.deepEqual(res.body, { detail: 'User cannot soft delete self' });
      assert.equal((await server.ctx.repos.memberships.find(owner.user.id, orgId))?.deleted_at, null);
    });

    test('removal: 204, masked in the list, then 404 "Member not found"; unknown users 404', async () => {
      const member = await buildMember(server.ctx, orgId, { email: 'leaving@example.com', firstName: 'Lea' });
      const session = server.client();
      assert.equal((await session.login(member.email, member.password)).status, 302);
      const avatarFile = await giveAvatar(member, 'abcd1234-face.png');

      const res = await http.delete(memberUrl(member.user.id), as(owner));
      assert.equal(res.status, 204);
      assert.equal(res.text, '');

      const list = (await http.get(`/api/organizations/${orgId}/memberships?page_size=-1`, as(owner))).body as { results: Member[] };
      const shown = list.results.find((m) => m.user.id === member.user.id);
      assert.ok(shown, 'removed members stay in the list');
      assert.equal(shown.user.first_name, 'Deleted');
      assert.equal(shown.user.last_name, 'User');
      assert.equal(shown.user.initials, 'DU');
      assert.equal(shown.user.email, `deleted-${member.user.id}-user@example.com`);
      assert.equal(shown.user.avatar, null);
      const searched = (await http.get(`/api/organizations/${orgId}/memberships?search=leaving`, as(owner))).body as { count: number };
      assert.equal(searched.count, 0, 'a removed member is not found by their real e-mail');

      assertError(await http.delete(memberUrl(member.user.id), as(owner)), 404, 'Member not found');
      assertError(await http.delete(memberUrl(999999), as(owner)), 404);
      const outsider = await buildUser(server.ctx, { email: 'never-member@example.com' });
      assertError(await http.delete(memberUrl(outsider.user.id), as(owner)), 404);
      assertError(await http.delete(`/api/organizations/999999/memberships/${member.user.id}/`, as(owner)), 404);

      // Left without any organization: no active organization, avatar cleared and its file deleted.
      const after = await server.ctx.repos.users.findById(member.user.id);
      assert.equal(after?.active_organization_id, null);
      assert.equal(after?.avatar, null);
      assert.equal(existsSync(avatarFile), false);

      // Their still-open session can no longer act in the organization, their token is refused, and they cannot log in.
      assertError(await session.get('/api/projects/'), 403);
      assertError(await session.get(`/api/organizations/${orgId}`), 403);
      assertError(await session.get(`/api/organizations/${orgId}/memberships`), 404);
      assert.equal(assertEnvelope((await session.get('/api/organizations/')).body, 403).code, 'membership.none');
      assertError(await http.get('/api/projects/', as(member)), 403);
      const again = await server.client().login(member.email, member.password);
      assert.equal(again.status, 200);
      assert.match(again.text, /don(&#39;|')t match/);

      // Re-joining with the invite link does not restore the membership.
      await addToOrganization(server.ctx, orgId, member.user.id, 'AN');
      assert.notEqual((await server.ctx.repos.memberships.find(member.user.id, orgId))?.deleted_at, null);
    });

    test('a removed member of two organizations moves to the other one and keeps their avatar', async () => {
      const member = await buildMember(server.ctx, otherOrgId);
      await addToOrganization(server.ctx, orgId, member.user.id, 'AN');
      const avatarFile = await giveAvatar(member, 'ef567890-me.png');
      const ownProject = await http.post('/api/projects/', { ...as(member), json: { title: 'Before removal' } });
      assert.equal(ownProject.status, 201);

      assert.equal((await http.delete(memberUrl(member.user.id), as(owner))).status, 204);
      const after = await server.ctx.repos.users.findById(member.user.id);
      assert.equal(after?.active_organization_id, otherOrgId);
      assert.equal(after?.avatar, 'ef567890-me.png');
      assert.equal(existsSync(avatarFile), true);

      // Their token now works in the other organization only.
      assertError(await http.get(`/api/organizations/${orgId}`, as(member)), 403);
      assertError(await http.get(`/api/organizations/${orgId}/memberships`, as(member)), 404);
      assertError(await http.get(`/api/projects/${(ownProject.body as { id: number }).id}/`, as(member)), 404);
      assert.equal((await http.get(`/api/organizations/${otherOrgId}`, as(member))).status, 200);
      const orgs = (await http.get('/api/organizations/', as(member))).body as Array<{ id: number }>;
      assert.deepEqual(orgs.map((o) => o.id), [otherOrgId]);
    });

    test('the owner can only remove members of their active organization', async () => {
      const member = await buildMember(server.ctx, orgId);
      await addToOrganization(server.ctx, otherOrgId, owner.user.id, 'AN');
      try {
        assertError(await http.delete(memberUrl(member.user.id), as(owner)), 403, 'You can delete members only for your current active organization');
        assert.equal((await server.ctx.repos.memberships.find(member.user.id, orgId))?.deleted_at, null);
      } finally {
        await server.ctx.repos.users.update(owner.user.id, { active_organization_id: orgId });
      }
    });
  });
}
