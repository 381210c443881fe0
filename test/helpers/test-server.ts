import { after, before } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { ContextOptions } from '#src/context.js';
import { createApp } from '#src/http/app.js';
import type { DatabaseKind } from './databases.js';
import { HttpClient } from './http-client.js';
import { buildTestContext, type ConfigOverrides, type TestContext } from './test-context.js';

export interface TestServer {
  ctx: TestContext;
  app: FastifyInstance;
  baseUrl: string;
  /** A client with an empty cookie jar. */
  client(): HttpClient;
  close(): Promise<void>;
}

/** The real app on a fresh database, listening on a random loopback port. */
export async function startTestServer(kind: DatabaseKind, overrides: ConfigOverrides = {}, options: ContextOptions = {}): Promise<TestServer> {
  const ctx = await buildTestContext(kind, overrides, options);
  const app = await createApp(ctx, { logger: false });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    ctx,
    app,
    baseUrl: address,
    client: () => new HttpClient(address),
    close: async () => {
      await app.close();
      await ctx.close();
    },
  };
}

/** A test server for the enclosing `describe`: started before its tests, closed after them. */
export interface ServerFixture {
  readonly server: TestServer;
  readonly ctx: TestContext;
  client(): HttpClient;
}

/** Registers `before`/`after` hooks that start and close one server; `setup` runs once it is up. */
export function useTestServer(kind: DatabaseKind, overrides: ConfigOverrides = {}, options: ContextOptions = {}): ServerFixture {
  let current: TestServer | undefined;
  const fixture: ServerFixture = {
    get server(): TestServer {
      if (!current) throw new Error('the test server is not started (use it inside a test)');
      return current;
    },
    get ctx(): TestContext {
      return fixture.server.ctx;
    },
    client: () => fixture.server.client(),
  };
  before(async () => {
    current = await startTestServer(kind, overrides, options);
  });
  after(async () => current?.close());
  return fixture;
}
