import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createContext } from '#src/context.js';
import { createApp } from '#src/http/app.js';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';
import type { UserBody } from '../helpers/envelope.js';
import { buildOwner } from '../helpers/factories.js';
import { tokenAuth } from '../helpers/http-client.js';
import { gradientPng } from '../helpers/png.js';
import { useTestServer } from '../helpers/test-server.js';

for (const kind of DATABASE_KINDS) {
  describe(`avatars kept in the database, shared by servers [${kind}]`, { skip: skipReason(kind) }, () => {
    const fixture = useTestServer(kind, { files: { store: 'database' } });

    test('an avatar uploaded through one server is served by another on the same database, and replaced for both', async () => {
      const { ctx } = fixture;
      // The second server has its own data directory: only the database and the instance secret are shared.
      const secretKey = readFileSync(join(ctx.dataDir, 'secret_key'), 'utf8').trim();
      const second = await createContext({ ...ctx.config, dataDir: `${ctx.dataDir}-second`, security: { ...ctx.config.security, secretKey } });
      const app = await createApp(second, { logger: false });
      const otherUrl = await app.listen({ port: 0, host: '127.0.0.1' });
      try {
        const owner = await buildOwner(ctx);
        const png = gradientPng(24, 24);
        const body = new FormData();
        body.append('avatar', new Blob([png], { type: 'image/png' }), 'face.png');
        const saved = await fixture.client().post(`/api/users/${owner.user.id}/avatar/`, { headers: tokenAuth(owner.token), multipart: body });
        assert.equal(saved.status, 200, saved.text);
        const url = ((await fixture.client().get('/api/current-user', { headers: tokenAuth(owner.token) })).body as UserBody).avatar ?? '';
        const served = await fetch(new URL(url, otherUrl));
        assert.equal(served.status, 200);
        assert.equal(served.headers.get('content-type'), 'image/png');
        assert.deepEqual(Buffer.from(await served.arrayBuffer()), png);

        // Cleared through the second server: gone for the first one too.
        const cleared = await fetch(new URL(`/api/users/${owner.user.id}/avatar/`, otherUrl), { method: 'DELETE', headers: tokenAuth(owner.token) });
        assert.equal(cleared.status, 204);
        assert.equal((await fixture.client().get(url)).status, 404);
      } finally {
        await app.close();
        await second.close();
      }
    });
  });
}
