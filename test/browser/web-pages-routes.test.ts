import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import { authPlugin } from '#src/http/plugins/auth.plugin.js';
import { errorsPlugin } from '#src/http/plugins/errors.plugin.js';
import { authPagesRoutes } from '#src/http/routes/auth-pages.routes.js';
import { webPagesRoutes } from '#src/http/routes/web-pages.routes.js';
import { ErrorEnvelope } from '#src/http/schemas/common.schema.js';
import { DATABASE_KINDS, skipReason, tempDir } from '../helpers/databases.js';
import { browserSkipReason } from '../helpers/browser.js';
import { HttpClient } from '../helpers/http-client.js';
import { buildTestContext, type TestContext } from '../helpers/test-context.js';
import { useTestServer, type TestServer } from '../helpers/test-server.js';
import { WEB_DIST } from './steps.js';

const PAGES = ['/organization/', '/organization', '/organization/webhooks', '/people/', '/user/account/', '/user/account/personal-info', '/projects/', '/projects/7'];

for (const kind of DATABASE_KINDS) {
  describe(`web page routes [${kind}]`, { skip: skipReason(kind) || browserSkipReason(WEB_DIST) }, () => {
    const fixture = useTestServer(kind);
    let server: TestServer;
    let client: HttpClient;
    before(async () => {
      server = fixture.server;
      client = server.client();
      assert.equal((await client.signup('pages@example.com', 'pages-pass-1')).status, 302);
    });

    test('anonymous visitors are sent to the login form with the page (and its query) as next', async () => {
      const anonymous = server.client();
      for (const path of [...PAGES, '/organization/?page=2&page_size=50']) {
        const res = await anonymous.get(path);
        assert.equal(res.status, 302, path);
        assert.equal(res.headers.get('location'), `/user/login/?next=${encodeURIComponent(path)}`);
      }
    });

    test('signed-in users get the app page, never cached, for every page path', async () => {
      for (const path of PAGES) {
        const res = await client.get(path);
        assert.equal(res.status, 200, path);
        assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
        assert.equal(res.headers.get('cache-control'), 'no-store');
        assert.match(res.text, /<div id="root"><\/div>/);
      }
    });

    test('hashed assets are served under /static/ with a long cache; unknown files are 404', async () => {
      const html = (await client.get('/projects/')).text;
      const script = /src="(\/static\/assets\/[^"]+\.js)"/.exec(html)?.[1];
      const style = /href="(\/static\/assets\/[^"]+\.css)"/.exec(html)?.[1];
      assert.ok(script && style, html);
      const js = await server.client().get(script);
      assert.equal(js.status, 200);
      assert.match(js.headers.get('content-type') ?? '', /javascript/);
      assert.equal(js.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      assert.equal((await server.client().get(style)).status, 200);
      assert.equal((await server.client().get('/static/assets/missing-0000.js')).status, 404);
    });
  });

  describe(`web page routes without a build [${kind}]`, { skip: skipReason(kind) }, () => {
    let ctx: TestContext;
    let app: FastifyInstance;
    let client: HttpClient;
    before(async () => {
      ctx = await buildTestContext(kind);
      app = Fastify();
      app.decorate('ctx', ctx);
      await app.register(cookie);
      await app.register(formbody);
      app.addSchema(ErrorEnvelope);
      await app.register(errorsPlugin);
      await app.register(authPlugin);
      await app.register(authPagesRoutes);
      await app.register(webPagesRoutes, { distDir: tempDir('lsa-no-web-') });
      client = new HttpClient(await app.listen({ port: 0, host: '127.0.0.1' }));
      assert.equal((await client.signup('nobuild@example.com', 'pages-pass-1')).status, 302);
    });
    after(async () => {
      await app?.close();
      await ctx?.close();
    });

    test('pages answer 503 with the command to run', async () => {
      const res = await client.get('/organization/');
      assert.equal(res.status, 503);
      assert.equal(res.text, 'Web app not built: run npm run build');
    });
  });
}
