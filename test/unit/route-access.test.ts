import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createApp } from '#src/http/app.js';
import { PERMISSIONS } from '#src/policies/permissions.js';
import { isMemberAccess } from '#src/policies/route-access.js';
import { buildTestContext, type TestContext } from '../helpers/test-context.js';

/** The only API routes anyone may call without being a member: the document, and the two that take a token as their credential. */
const PUBLIC_API = ['GET /api/schema/', 'POST /api/token/refresh/', 'POST /api/token/blacklist/'];

describe('every route declares who may call it', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  before(async () => {
    ctx = await buildTestContext('sqlite');
    app = await createApp(ctx, { logger: false });
    await app.ready();
  });
  after(async () => {
    await app?.close();
    await ctx?.close();
  });

  test('each /api route names a permission from the table, or is one of the few public ones', () => {
    const api = app.declaredRoutes().filter((route) => route.url.startsWith('/api/') && route.method !== 'HEAD');
    assert.ok(api.length > 40, `expected the whole API, got ${api.length} routes`);
    const publicOnes: string[] = [];
    for (const route of api) {
      const name = `${route.method} ${route.url}`;
      assert.ok(route.access !== undefined, `${name} declares no access`);
      assert.notEqual(route.access, 'optional', `${name}: API routes either need a member or are public`);
      // Unsupported methods answer 405 with the loosest access of their URL; the operations themselves are what count.
      if (route.access === 'public' && !route.methodNotAllowed) publicOnes.push(name);
      else if (isMemberAccess(route.access)) assert.ok(route.access.permission in PERMISSIONS, `${name}: unknown permission ${route.access.permission}`);
    }
    assert.deepEqual(publicOnes.sort(), [...PUBLIC_API].sort());
  });

  test('an app with a route that declares nothing does not start', async () => {
    const broken = await createApp(ctx, { logger: false });
    broken.get('/api/undeclared', async () => ({}));
    await assert.rejects(async () => {
      await broken.ready();
    }, /Routes that declare no access: GET \/api\/undeclared/);
  });
});
