import { after, before } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { ContextOptions } from '#src/context.js';
import { createApp } from '#src/http/app.js';
import type { DatabaseKind } from '../helpers/databases.js';
import { freePort } from '../helpers/server-process.js';
import { startSmtpTestServer, type SmtpTestServer } from '../helpers/smtp-test-server.js';
import { buildTestContext, type ConfigOverrides, type TestContext } from '../helpers/test-context.js';

/** A server whose public URL (`--host`) is its own loopback address, sending mail through a real SMTP server. */
export interface MailingServer {
  ctx: TestContext;
  app: FastifyInstance;
  baseUrl: string;
  smtp: SmtpTestServer;
}

/**
 * Starts, for the enclosing `describe`, an SMTP server and an app configured to send through it, with links in its
 * messages that Chromium can follow as they are. `withSmtp: false` starts the app without mail.
 */
export function useMailingServer(kind: DatabaseKind, options: ContextOptions = {}, overrides: ConfigOverrides = {}, withSmtp = true): () => MailingServer {
  let current: MailingServer | undefined;
  before(async () => {
    const smtp = await startSmtpTestServer({});
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const ctx = await buildTestContext(kind, { ...overrides, server: { host: baseUrl }, mail: { smtp: withSmtp ? smtp.config() : undefined } }, options);
    const app = await createApp(ctx, { logger: false });
    await app.listen({ port, host: '127.0.0.1' });
    current = { ctx, app, baseUrl, smtp };
  });
  after(async () => {
    await current?.app.close();
    await current?.ctx.close();
    await current?.smtp.close();
  });
  return () => {
    if (!current) throw new Error('the mailing server is not started (use it inside a test)');
    return current;
  };
}
