import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyInstance } from 'fastify';
import type { LogLevel } from '#src/config.js';
import type { AppContext } from '#src/context.js';
import '#src/http/request-context.js';
import { authPlugin } from '#src/http/plugins/auth.plugin.js';
import { errorsPlugin } from '#src/http/plugins/errors.plugin.js';
import { ErrorEnvelope } from '#src/http/schemas/common.schema.js';
import { installValidators } from '#src/http/validator.js';
import { openApiPlugin, openApiRoutes } from '#src/http/plugins/openapi.plugin.js';
import { authPagesRoutes } from '#src/http/routes/auth-pages.routes.js';
import { currentUserRoutes } from '#src/http/routes/current-user.routes.js';
import { healthRoutes } from '#src/http/routes/health.routes.js';
import { organizationRoutes } from '#src/http/routes/organization.routes.js';
import { projectRoutes } from '#src/http/routes/project.routes.js';
import { tokenRoutes } from '#src/http/routes/token.routes.js';
import { userRoutes } from '#src/http/routes/user.routes.js';
import { webPagesRoutes } from '#src/http/routes/web-pages.routes.js';

const PINO_LEVELS: Record<LogLevel, string> = { DEBUG: 'debug', INFO: 'info', WARNING: 'warn', ERROR: 'error' };

/** Paths that must not be indexed (Label Studio's NoindexUrlMiddleware). */
const NOINDEX = /^\/(api\/invite(\/reset-token)?|user\/(login|signup|email-verification)|user\/password-reset.*|saml\/.*)\/?$/;

export interface AppOptions {
  /** Off in tests unless asked for. */
  logger?: boolean;
}

/** Builds the HTTP application without listening: the server command and tests both use it. */
export async function createApp(ctx: AppContext, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      options.logger === false
        ? false
        : {
            level: PINO_LEVELS[ctx.config.logLevel],
            // Query strings can carry invite tokens: log paths only, never headers or bodies.
            serializers: {
              req: (req: { method: string; url: string }) => ({ method: req.method, path: req.url.split('?')[0] }),
            },
          },
    // Label Studio answers both slash forms of a path without redirecting.
    routerOptions: { ignoreTrailingSlash: true },
    bodyLimit: 2 * 1024 * 1024,
  });
  app.decorate('ctx', ctx);
  installValidators(app);

  // Bodiless POSTs (the SDK sends `Content-Length: 0` without a type) must parse as "no body".
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body.length === 0 ? undefined : body));
  await app.register(cookie);
  await app.register(formbody);
  await app.register(multipart, { limits: { fileSize: 5 * 1024 * 1024, files: 1 } });
  app.addSchema(ErrorEnvelope);
  await app.register(errorsPlugin);
  await app.register(openApiPlugin);
  await app.register(authPlugin);

  app.addHook('onSend', async (request, reply) => {
    if (NOINDEX.test(request.url.split('?')[0] ?? '')) {
      const existing = reply.getHeader('X-Robots-Tag');
      reply.header('X-Robots-Tag', existing ? `${String(existing)}, noindex, nofollow` : 'noindex, nofollow');
    }
  });

  await app.register(healthRoutes);
  await app.register(authPagesRoutes);
  await app.register(currentUserRoutes);
  await app.register(userRoutes);
  await app.register(organizationRoutes);
  await app.register(tokenRoutes);
  await app.register(projectRoutes);
  await app.register(openApiRoutes);
  await app.register(webPagesRoutes);
  return app;
}
