import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { RoleCode } from '#src/storage/schema.js';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';
import { buildMember, buildOwner, type TestUser } from '../helpers/factories.js';
import { tokenAuth } from '../helpers/http-client.js';
import { useTestServer } from '../helpers/test-server.js';

type Member = { user: { id: number; email: string }; role: string; role_before_deactivation: string | null; allowed_actions: string[] };

for (const kind of DATABASE_KINDS) {
  describe(`reactivation gives the role back [${kind}]`, { skip: skipReason(kind) }, () => {
    const fixture = useTestServer(kind);
    let owner: TestUser;
    let admin: TestUser;
    let orgId: number;

    before(async () => {
      owner = await buildOwner(fixture.ctx);
      orgId = owner.user.active_organization_id ?? 0;
      admin = await buildMember(fixture.ctx, orgId, { role: 'AD' });
    });

    /** `PATCH …/memberships` as the SDK's members.update sends it; answers the member list item. */
    const setRole = async (by: TestUser, userId: number, role: string, expected = 200) => {
      const res = await fixture.client().patch(`/api/organizations/${orgId}/memberships`, { headers: tokenAuth(by.token), json: { user_id: userId, role } });
      assert.equal(res.status, expected, res.text);
      return res.body as Member;
    };
    /** The member as the People page lists them. */
    const listed = async (by: TestUser, userId: number): Promise<Member | undefined> => {
      const res = await fixture.client().get(`/api/organizations/${orgId}/memberships?page_size=100`, { headers: tokenAuth(by.token) });
      assert.equal(res.status, 200, res.text);
      return (res.body as { results: Member[] }).results.find((m) => m.user.id === userId);
    };
    const stored = async (userId: number) => (await fixture.ctx.database.db.selectFrom('organization_members').selectAll().where('user_id', '=', userId).where('organization_id', '=', orgId).executeTakeFirstOrThrow()).role_before_deactivation;
    const logged = async (userId: number) =>
      (await fixture.ctx.database.db.selectFrom('activity_log').selectAll().where('target_id', '=', userId).where('action', 'like', 'member.%').orderBy('id').execute()).map(
        (row) => [row.action, (JSON.parse(row.details) as { role: { before: RoleCode; after: RoleCode } }).role] as const,
      );

    test('deactivating keeps the active role; the list shows it and offers restore_role; giving it back clears it', async () => {
      const manager = await buildMember(fixture.ctx, orgId, { role: 'MA' });
      const off = await setRole(admin, manager.user.id, 'DI');
      assert.deepEqual([off.role, off.role_before_deactivation], ['DI', 'MA'], 'the role change answers with the kept role');
      assert.equal(await stored(manager.user.id), 'MA');
      const item = await listed(admin, manager.user.id);
      assert.equal(item?.role_before_deactivation, 'MA');
      assert.ok(item?.allowed_actions.includes('restore_role'), `restore_role offered: ${item?.allowed_actions.join(',')}`);
      // Extra fields only after Enterprise's own: the SDK's shape is unchanged.
      assert.deepEqual(Object.keys(item ?? {}).slice(0, 9), ['id', 'organization', 'user', 'created_projects', 'contributed_to_projects', 'role', 'role_source', 'user_type', 'tags']);
      assert.equal((await fixture.client().get('/api/current-user/whoami', { headers: tokenAuth(manager.token) })).status, 403, 'deactivated at once');

      const on = await setRole(admin, manager.user.id, 'MA');
      assert.deepEqual([on.role, on.role_before_deactivation], ['MA', null]);
      assert.ok(!on.allowed_actions.includes('restore_role'));
      assert.equal(await stored(manager.user.id), null);
      assert.equal((await fixture.client().get('/api/current-user/whoami', { headers: tokenAuth(manager.token) })).status, 200, 'their token works again');
      assert.deepEqual(await logged(manager.user.id), [
        ['member.deactivated', { before: 'MA', after: 'DI' }],
        ['member.reactivated', { before: 'DI', after: 'MA' }],
      ]);
    });

    test('another role may be given instead; pending and pre-existing deactivations keep nothing', async () => {
      const reviewer = await buildMember(fixture.ctx, orgId, { role: 'RE' });
      await setRole(owner, reviewer.user.id, 'DI');
      const asAnnotator = await setRole(owner, reviewer.user.id, 'AN');
      assert.deepEqual([asAnnotator.role, asAnnotator.role_before_deactivation], ['AN', null]);
      assert.equal(await stored(reviewer.user.id), null, 'a reactivation as another role forgets the kept one');

      // Deactivated, then moved to pending: nothing is kept once they leave DI.
      await setRole(owner, reviewer.user.id, 'DI');
      const parked = await setRole(owner, reviewer.user.id, 'NO');
      assert.deepEqual([parked.role, parked.role_before_deactivation], ['NO', null]);
      // A pending member deactivated never had an active role: nothing to give back.
      const off = await setRole(owner, reviewer.user.id, 'DI');
      assert.deepEqual([off.role, off.role_before_deactivation], ['DI', null]);
      assert.ok(off.allowed_actions.includes('change_role') && !off.allowed_actions.includes('restore_role'));

      // Deactivated before this server kept roles (or by an import): reactivated the way it always was.
      const legacy = await buildMember(fixture.ctx, orgId, { role: 'DI' });
      const item = await listed(owner, legacy.user.id);
      assert.deepEqual([item?.role, item?.role_before_deactivation, item?.allowed_actions.includes('restore_role')], ['DI', null, false]);
    });

    test('an administrator deactivated by the owner comes back as an administrator; the rules on whom one acts stay', async () => {
      const second = await buildMember(fixture.ctx, orgId, { role: 'AD' });
      assert.equal((await setRole(owner, second.user.id, 'DI')).role_before_deactivation, 'AD');
      // Another administrator may give the role back: no higher than their own.
      assert.ok((await listed(admin, second.user.id))?.allowed_actions.includes('restore_role'));
      assert.equal((await setRole(admin, second.user.id, 'AD')).role, 'AD');
      // Still never their own role, never the owner's, never OW.
      await setRole(admin, admin.user.id, 'DI', 403);
      await setRole(admin, owner.user.id, 'DI', 403);
      await setRole(owner, second.user.id, 'DI');
      await setRole(owner, second.user.id, 'OW', 400);
      assert.equal(await stored(second.user.id), 'AD', 'a refused change keeps what was kept');
      // A member without members.change_role gets no offer and is refused.
      const annotator = await buildMember(fixture.ctx, orgId);
      assert.deepEqual((await listed(annotator, second.user.id))?.allowed_actions, []);
      await setRole(annotator, second.user.id, 'AD', 403);
    });
  });
}
