import { after, before } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createApp } from '#src/http/app.js';
import type { DatabaseKind } from './databases.js';
import { HttpClient } from './http-client.js';
import { buildTestContext, type ConfigOverrides } from './test-context.js';
import type { ServerFixture, TestServer } from './test-server.js';

/**
 * The real app with hooks of the test's own added before it listens: for facts no response shows (the client
 * address the pipeline settled on, whether a handler was still running when another request was answered).
 * The hooks only record; they change nothing the server does.
 */
export async function startObservedServer(kind: DatabaseKind, overrides: ConfigOverrides, observe: (app: FastifyInstance) => void): Promise<TestServer> {
  const ctx = await buildTestContext(kind, overrides);
  const app = await createApp(ctx, { logger: false });
  observe(app);
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    ctx,
    app,
    baseUrl,
    client: () => new HttpClient(baseUrl),
    close: async () => {
      await app.close();
      await ctx.close();
    },
  };
}

/** `useTestServer` with recording hooks: one observed server for the enclosing `describe`. */
export function useObservedServer(kind: DatabaseKind, overrides: ConfigOverrides, observe: (app: FastifyInstance) => void): ServerFixture {
  let current: TestServer | undefined;
  const fixture: ServerFixture = {
    get server(): TestServer {
      if (!current) throw new Error('the observed server is not started (use it inside a test)');
      return current;
    },
    get ctx() {
      return fixture.server.ctx;
    },
    client: () => fixture.server.client(),
  };
  before(async () => {
    current = await startObservedServer(kind, overrides, observe);
  });
  after(async () => current?.close());
  return fixture;
}
