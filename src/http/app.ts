import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyInstance, type FastifyReply, type RouteOptions } from 'fastify';
import type { LogLevel } from '#src/config.js';
import type { AppContext } from '#src/context.js';
import '#src/http/request-context.js';
import { authPlugin } from '#src/http/plugins/auth.plugin.js';
import { bodyPlugin } from '#src/http/plugins/body.plugin.js';
import { envelope, errorsPlugin } from '#src/http/plugins/errors.plugin.js';
import { AppError } from '#src/errors.js';
import { headersPlugin } from '#src/http/plugins/headers.plugin.js';
import { twoFactorGatePlugin } from '#src/http/plugins/two-factor-gate.plugin.js';
import { ErrorEnvelope } from '#src/http/schemas/common.schema.js';
import { installValidators } from '#src/http/validator.js';
import { openApiPlugin, openApiRoutes } from '#src/http/plugins/openapi.plugin.js';
import { activityLogRoutes } from '#src/http/routes/activity-log.routes.js';
import { authPagesRoutes } from '#src/http/routes/auth-pages.routes.js';
import { currentUserRoutes } from '#src/http/routes/current-user.routes.js';
import { healthRoutes } from '#src/http/routes/health.routes.js';
import { invitationPagesRoutes } from '#src/http/routes/invitation-pages.routes.js';
import { invitationRoutes } from '#src/http/routes/invitation.routes.js';
import { organizationRoutes } from '#src/http/routes/organization.routes.js';
import { passwordResetRoutes } from '#src/http/routes/password-reset.routes.js';
import { projectRoutes } from '#src/http/routes/project.routes.js';
import { sessionRoutes } from '#src/http/routes/session.routes.js';
import { tokenRoutes } from '#src/http/routes/token.routes.js';
import { twoFactorPagesRoutes } from '#src/http/routes/two-factor-pages.routes.js';
import { twoFactorRoutes } from '#src/http/routes/two-factor.routes.js';
import { userRoutes } from '#src/http/routes/user.routes.js';
import { webPagesRoutes } from '#src/http/routes/web-pages.routes.js';
import { endUnusedSocketsOnClose } from '#src/http/unused-sockets.js';

const PINO_LEVELS: Record<LogLevel, string> = { DEBUG: 'debug', INFO: 'info', WARNING: 'warn', ERROR: 'error' };

export interface AppOptions {
  /** Off in tests unless asked for. */
  logger?: boolean;
}

/** Builds the HTTP application without listening: the server command and tests both use it. */
export async function createApp(ctx: AppContext, options: AppOptions = {}): Promise<FastifyInstance> {
  const { trustedProxies } = ctx.config.server;
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
    // Unique across server processes, so a log line or an audit entry names one request.
    genReqId: () => randomUUID(),
    // X-Forwarded-For/-Proto only from the proxies the operator named: they decide the client address and `Secure` cookies.
    trustProxy: trustedProxies.length > 0 ? trustedProxies : false,
    // Label Studio answers both slash forms of a path without redirecting.
    routerOptions: { ignoreTrailingSlash: true },
    bodyLimit: 2 * 1024 * 1024,
    // A URL that cannot be decoded (`/api/users/%FF/`) names nothing: the envelope's 404, not Fastify's own body.
    frameworkErrors: (_error, _request, reply) => {
      void (reply as FastifyReply).status(404).send(envelope(AppError.notFound()));
    },
  });
  app.decorate('ctx', ctx);
  endUnusedSocketsOnClose(app);
  // A server keeps the hot reads cached, kept current by the database's change feed.
  await ctx.startCaching();
  // Every route declares who may call it; one that does not is a bug caught at start-up (and by a test). Checked once
  // all are registered: plugins' own routes (static files, API docs) get theirs from a hook of their scope.
  const routes: RouteOptions[] = [];
  app.addHook('onRoute', (route) => {
    routes.push(route);
  });
  app.decorate('declaredRoutes', () =>
    routes.flatMap((route) =>
      (Array.isArray(route.method) ? route.method : [route.method]).map((method) => ({
        method: String(method),
        url: route.url,
        access: route.config?.access,
        methodNotAllowed: route.config?.methodNotAllowed === true,
      })),
    ),
  );
  app.addHook('onReady', async () => {
    const undeclared = routes.filter((route) => route.config?.access === undefined);
    if (undeclared.length > 0) {
      throw new Error(`Routes that declare no access: ${undeclared.map((r) => `${String(r.method)} ${r.url}`).join(', ')}`);
    }
  });
  installValidators(app);

  await app.register(cookie);
  await app.register(formbody);
  // Oversized files are cut and reported by the avatar rules (Label Studio's message), not thrown mid-stream.
  await app.register(multipart, { throwFileSizeLimit: false });
  app.addSchema(ErrorEnvelope);
  await app.register(errorsPlugin);
  await app.register(headersPlugin);
  await app.register(openApiPlugin);
  // Order matters: the body is read (multipart included) before the auth pipeline checks a form's CSRF field.
  await app.register(bodyPlugin);
  await app.register(authPlugin);
  // After the auth pipeline: it needs the member it resolved.
  await app.register(twoFactorGatePlugin);

  await app.register(healthRoutes);
  await app.register(authPagesRoutes);
  await app.register(passwordResetRoutes);
  await app.register(invitationPagesRoutes);
  await app.register(twoFactorPagesRoutes);
  await app.register(currentUserRoutes);
  await app.register(userRoutes);
  await app.register(organizationRoutes);
  await app.register(invitationRoutes);
  await app.register(tokenRoutes);
  await app.register(sessionRoutes);
  await app.register(projectRoutes);
  await app.register(activityLogRoutes);
  await app.register(twoFactorRoutes);
  await app.register(openApiRoutes);
  await app.register(webPagesRoutes);
  return app;
}
