import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '#src/config.js';
import type { ContextOptions } from '#src/context.js';
import { createApp } from '#src/http/app.js';
import type { DatabaseKind } from './databases.js';
import { HttpClient } from './http-client.js';
import { buildTestContext, type TestContext } from './test-context.js';

export interface TestServer {
  ctx: TestContext;
  app: FastifyInstance;
  baseUrl: string;
  /** A client with an empty cookie jar. */
  client(): HttpClient;
  close(): Promise<void>;
}

/** The real app on a fresh database, listening on a random loopback port. */
export async function startTestServer(
  kind: DatabaseKind,
  overrides: Partial<AppConfig> = {},
  options: ContextOptions = {},
): Promise<TestServer> {
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
