import Fastify, { type FastifyInstance } from 'fastify';
import type { LogLevel } from '#src/config.js';
import type { AppContext } from '#src/context.js';
import { healthRoutes } from '#src/http/routes/health.routes.js';

const PINO_LEVELS: Record<LogLevel, string> = { DEBUG: 'debug', INFO: 'info', WARNING: 'warn', ERROR: 'error' };

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

  await app.register(healthRoutes);
  // The API (auth, users, organizations, tokens) and the web pages register here as they land.
  return app;
}
