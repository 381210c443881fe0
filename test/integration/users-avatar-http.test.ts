import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';
import { assertEnvelope, type UserBody } from '../helpers/envelope.js';
import { buildMember, buildOwner, type TestUser } from '../helpers/factories.js';
import { tokenAuth } from '../helpers/http-client.js';
import { noisePng, solidPng } from '../helpers/png.js';
import { useTestServer, type TestServer } from '../helpers/test-server.js';

function form(data: Buffer | string, fileName: string, type: string, field = 'avatar'): FormData {
  const body = new FormData();
  body.append('note', 'fields before the file are skipped');
  body.append(field, new Blob([data], { type }), fileName);
  return body;
}

for (const kind of DATABASE_KINDS) {
  describe(`avatars [${kind}]`, { skip: skipReason(kind) }, () => {
    const fixture = useTestServer(kind);
    let server: TestServer;
    let owner: TestUser;
    let admin: TestUser;
    let member: TestUser;
    const as = (user: TestUser) => ({ headers: tokenAuth(user.token) });
    const avatarsDir = () => join(server.ctx.dataDir, 'media', 'avatars');
    const upload = (target: TestUser, user: TestUser, multipart: FormData) =>
      server.client().post(`/api/users/${target.user.id}/avatar/`, { ...as(user), multipart });
    const avatarOf = async (user: TestUser) => ((await server.client().get(`/api/users/${user.user.id}/`, as(owner))).body as UserBody).avatar;

    before(async () => {
      server = fixture.server;
      owner = await buildOwner(server.ctx);
      const orgId = owner.user.active_organization_id ?? 0;
      admin = await buildMember(server.ctx, orgId, { role: 'AD' });
      member = await buildMember(server.ctx, orgId);
    });

    test('a real 10×10 PNG is saved, shown as /data/avatars/<file> and served back as image/png without auth', async () => {
      const png = solidPng(10, 10);
      const res = await upload(member, member, form(png, 'My Face.png', 'image/png', 'whatever'));
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body, { detail: 'avatar saved' });
      const url = await avatarOf(member);
      assert.match(url ?? '', /^\/data\/avatars\/[0-9a-f]{8}-My_Face\.png$/);
      const served = await server.client().get(url ?? '');
      assert.equal(served.status, 200);
      assert.equal(served.headers.get('content-type'), 'image/png');
      assert.equal(served.headers.get('x-content-type-options'), 'nosniff');
      const bytes = Buffer.from(await (await fetch(new URL(url ?? '', server.baseUrl))).arrayBuffer());
      assert.deepEqual(bytes, png);
      const me = (await server.client().get('/api/current-user/whoami', as(member))).body as UserBody;
      assert.equal(me.avatar, url);
    });

    test('replacing deletes the old file; DELETE clears and deletes; an upload without a file clears', async () => {
      const first = await avatarOf(member);
      assert.ok(first);
      assert.equal((await upload(member, member, form(solidPng(20, 20), 'second.gif.png', 'image/png'))).status, 200);
      const second = await avatarOf(member);
      assert.notEqual(second, first);
      assert.ok(!existsSync(join(avatarsDir(), first.split('/').pop() ?? '')), 'old file removed');
      assertEnvelope((await server.client().get(first)).body, 404);

      const cleared = await server.client().delete(`/api/users/${member.user.id}/avatar/`, as(member));
      assert.equal(cleared.status, 204);
      assert.equal(await avatarOf(member), null);
      assert.ok(!existsSync(join(avatarsDir(), second?.split('/').pop() ?? '')));

      assert.equal((await upload(member, member, form(solidPng(5, 5), 'a.jpg', 'image/jpeg'))).status, 200);
      const empty = new FormData();
      empty.append('note', 'no file at all');
      const none = await upload(member, member, empty);
      assert.deepEqual(none.body, { detail: 'avatar saved' });
      assert.equal(await avatarOf(member), null);
    });

    test("Label Studio's validation messages, as 400 envelopes", async () => {
      const big = await upload(member, member, form(solidPng(1500, 1500), 'big.png', 'image/png'));
      assert.match(assertEnvelope(big.body, 400).detail, /1200/);
      assertEnvelope((await upload(member, member, form('just text', 'notes.txt', 'text/plain'))).body, 400, "Can't read image, try another one");
      assertEnvelope(
        (await upload(member, member, form(solidPng(8, 8), 'image.txt', 'image/png'))).body,
        400,
        'Please upload a valid image file with extensions: JPEG, JPG, GIF, or PNG.',
      );
      assertEnvelope((await upload(member, member, form(solidPng(8, 8), 'image.png', 'application/octet-stream'))).body, 400, 'Please use a JPEG, GIF or PNG image.');
      const heavy = noisePng(700, 700);
      assert.ok(heavy.length > 1024 * 1024);
      assertEnvelope((await upload(member, member, form(heavy, 'heavy.png', 'image/png'))).body, 400, 'Avatar file size may not exceed 1024.0 kb');
      assert.equal(await avatarOf(member), null, 'nothing was saved');
    });

    test('others: owners and administrators may, members may not; outside the organization is 404', async () => {
      assertEnvelope((await upload(admin, member, form(solidPng(4, 4), 'x.png', 'image/png'))).body, 403);
      assertEnvelope((await server.client().delete(`/api/users/${admin.user.id}/avatar/`, as(member))).body, 403);
      assert.equal((await upload(member, admin, form(solidPng(4, 4), 'x.png', 'image/png'))).status, 200);
      assert.ok(await avatarOf(member));
      assert.equal((await server.client().delete(`/api/users/${member.user.id}/avatar/`, as(owner))).status, 204);
      assertEnvelope((await server.client().post('/api/users/999999/avatar/', { ...as(owner), multipart: form(solidPng(4, 4), 'x.png', 'image/png') })).body, 404);
      assertEnvelope((await server.client().post(`/api/users/${member.user.id}/avatar/`, { multipart: form(solidPng(4, 4), 'x.png', 'image/png') })).body, 401);
    });

    test('a deleted user’s avatar file goes with them', async () => {
      const leaving = await buildMember(server.ctx, owner.user.active_organization_id ?? 0);
      assert.equal((await upload(leaving, leaving, form(solidPng(6, 6), 'bye.png', 'image/png'))).status, 200);
      const url = await avatarOf(leaving);
      assert.equal((await server.client().delete(`/api/users/${leaving.user.id}/`, as(owner))).status, 204);
      assert.ok(!existsSync(join(avatarsDir(), url?.split('/').pop() ?? 'missing')));
    });

    test('serving is confined to stored avatar names', async () => {
      writeFileSync(join(server.ctx.dataDir, 'media', 'secret.png'), 'secret');
      for (const path of ['/data/avatars/..%2Fsecret.png', '/data/avatars/%2E%2E%2Fsecret.png', '/data/avatars/../secret.png', '/data/avatars/12345678-x.svg', '/data/avatars/']) {
        const res = await server.client().get(path);
        assert.equal(res.status, 404, path);
        assert.ok(!res.text.includes('secret'), path);
      }
      assertEnvelope((await server.client().post('/data/avatars/12345678-x.png', { json: {} })).body, 405);
    });
  });
}
