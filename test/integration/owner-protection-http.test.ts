import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { RoleCode } from '#src/storage/schema.js';
import { diffSnapshots, takeSnapshot } from '../helpers/data-snapshot.js';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';
import { assertError, type UserBody } from '../helpers/envelope.js';
import { addToOrganization, buildMember, buildOrganization, buildOwner, type TestUser } from '../helpers/factories.js';
import { tokenAuth, type HttpResponse } from '../helpers/http-client.js';
import { solidPng } from '../helpers/png.js';
import { useTestServer, type TestServer } from '../helpers/test-server.js';

const avatarForm = (): FormData => {
  const form = new FormData();
  form.append('avatar', new Blob([solidPng(6, 6)], { type: 'image/png' }), 'face.png');
  return form;
};

for (const kind of DATABASE_KINDS) {
  describe(`who may change whose account [${kind}]`, { skip: skipReason(kind) }, () => {
    const fixture = useTestServer(kind);
    let server: TestServer;
    let owner: TestUser;
    let orgId: number;
    let otherOrgId: number;
    const members = new Map<RoleCode, TestUser>();
    const member = (role: RoleCode): TestUser => {
      const found = members.get(role);
      if (!found) throw new Error(`no ${role} member`);
      return found;
    };
    const as = (user: TestUser) => ({ headers: tokenAuth(user.token) });
    const patchUser = (actor: TestUser, target: TestUser, json: Record<string, unknown>) =>
      server.client().patch(`/api/users/${target.user.id}/`, { ...as(actor), json });
    const uploadAvatar = (actor: TestUser, target: TestUser) =>
      server.client().post(`/api/users/${target.user.id}/avatar/`, { ...as(actor), multipart: avatarForm() });
    const removeAvatar = (actor: TestUser, target: TestUser) => server.client().delete(`/api/users/${target.user.id}/avatar/`, as(actor));
    const stored = async (user: TestUser) => server.ctx.repos.users.findById(user.user.id);
    /** Runs `refused` and asserts that no table changed (activity stamps aside). */
    const storesNothing = async (refused: () => Promise<void>): Promise<void> => {
      const before = await takeSnapshot(server.ctx.database.db, kind);
      await refused();
      assert.deepEqual(diffSnapshots(before, await takeSnapshot(server.ctx.database.db, kind)), [], 'nothing changed');
    };
    const assertCode = (res: HttpResponse, code: string, what: string) => assert.equal(assertError(res, 403).code, code, what);

    before(async () => {
      server = fixture.server;
      owner = await buildOwner(server.ctx, { email: `owner-protected-${kind}@example.com` });
      orgId = owner.user.active_organization_id ?? 0;
      for (const role of ['AD', 'MA', 'RE', 'AN'] as const) members.set(role, await buildMember(server.ctx, orgId, { role, firstName: role }));
      otherOrgId = (await buildOrganization(server.ctx, { title: 'Elsewhere' })).organizationId;
      // The owner has an avatar to lose, so a removal that went through would show.
      assert.equal((await uploadAvatar(owner, owner)).status, 200);
    });

    test('an administrator may not change the owner: profile, avatar upload and removal answer 403 owner_protected', async () => {
      const admin = member('AD');
      const ownerBefore = await stored(owner);
      assert.ok(ownerBefore?.avatar);
      await storesNothing(async () => {
        assertCode(await patchUser(admin, owner, { first_name: 'Hijacked' }), 'membership.owner_protected', 'PATCH');
        assertCode(await uploadAvatar(admin, owner), 'membership.owner_protected', 'avatar upload');
        assertCode(await removeAvatar(admin, owner), 'membership.owner_protected', 'avatar removal');
      });
      const ownerAfter = await stored(owner);
      assert.equal(ownerAfter?.first_name, ownerBefore.first_name);
      assert.equal(ownerAfter?.avatar, ownerBefore.avatar);
    });

    test('the owner may change themself', async () => {
      const res = await patchUser(owner, owner, { first_name: 'Olivia' });
      assert.equal(res.status, 200, res.text);
      assert.equal((await stored(owner))?.first_name, 'Olivia');
      assert.equal((await uploadAvatar(owner, owner)).status, 200);
    });

    test('an administrator may change an annotator and another administrator', async () => {
      const admin = member('AD');
      const otherAdmin = await buildMember(server.ctx, orgId, { role: 'AD', firstName: 'Second' });
      for (const target of [member('AN'), otherAdmin]) {
        const res = await patchUser(admin, target, { last_name: `Set by admin ${target.user.id}` });
        assert.equal(res.status, 200, res.text);
        assert.equal((res.body as UserBody).last_name, `Set by admin ${target.user.id}`);
        assert.equal((await stored(target))?.last_name, `Set by admin ${target.user.id}`);
        assert.equal((await uploadAvatar(admin, target)).status, 200);
        assert.ok((await stored(target))?.avatar);
      }
    });

    for (const role of ['MA', 'RE', 'AN'] as const) {
      test(`role ${role}: may change themself but nobody else (403 permission.denied, nothing changed)`, async () => {
        const actor = member(role);
        const target = await buildMember(server.ctx, orgId, { firstName: 'Target' });
        assert.equal((await uploadAvatar(target, target)).status, 200);
        await storesNothing(async () => {
          for (const other of [target, member('AD'), owner]) {
            const refused = await patchUser(actor, other, { first_name: 'Changed' });
            assertError(refused, 403);
            if (other !== owner) assertCode(refused, 'permission.denied', `${role} PATCH ${other.user.id}`);
          }
          assertCode(await uploadAvatar(actor, target), 'permission.denied', 'avatar upload');
          assertCode(await removeAvatar(actor, target), 'permission.denied', 'avatar removal');
        });
        const own = await patchUser(actor, actor, { last_name: `Own ${role}` });
        assert.equal(own.status, 200, own.text);
        assert.equal((await stored(actor))?.last_name, `Own ${role}`);
      });
    }

    test("nobody may change another person's active organization, not even the owner", async () => {
      const target = await buildMember(server.ctx, orgId, { firstName: 'Stays' });
      // A member of the other organization too, so the change would be valid if it were their own.
      await addToOrganization(server.ctx, otherOrgId, target.user.id, 'AN');
      await server.ctx.repos.users.update(target.user.id, { active_organization_id: orgId });
      await storesNothing(async () => {
        for (const actor of [owner, member('AD')]) {
          assertError(await patchUser(actor, target, { active_organization: otherOrgId }), 403);
          assertError(await patchUser(actor, target, { first_name: 'Moved', active_organization: otherOrgId }), 403);
        }
      });
      const after = await stored(target);
      assert.equal(after?.active_organization_id, orgId);
      assert.equal(after?.first_name, 'Stays');
    });

    test('a user may change their own active organization to one where they are a member, and only to one', async () => {
      const traveller = await buildMember(server.ctx, orgId);
      await addToOrganization(server.ctx, otherOrgId, traveller.user.id, 'AN');
      await server.ctx.repos.users.update(traveller.user.id, { active_organization_id: orgId });

      const moved = await patchUser(traveller, traveller, { active_organization: otherOrgId });
      assert.equal(moved.status, 200, moved.text);
      assert.equal((moved.body as UserBody).active_organization, otherOrgId);
      assert.equal((await stored(traveller))?.active_organization_id, otherOrgId);

      const back = await server.client().patch('/api/current-user', { ...as(traveller), json: { active_organization: orgId } });
      assert.equal(back.status, 200, back.text);
      assert.equal((await stored(traveller))?.active_organization_id, orgId);

      const stranger = (await buildOrganization(server.ctx, { title: 'Not theirs' })).organizationId;
      await storesNothing(async () => {
        assertError(await patchUser(traveller, traveller, { active_organization: stranger }), 400);
      });
      assert.equal((await stored(traveller))?.active_organization_id, orgId);
    });
  });
}
