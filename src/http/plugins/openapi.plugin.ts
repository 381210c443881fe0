import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { CONTENT_SECURITY_POLICY } from '#src/http/plugins/headers.plugin.js';
import swagger from '@fastify/swagger';
import { VERSION } from '#src/version.js';

/** Collects the route schemas into one OpenAPI 3 document. Must be registered before the routes. */
export const openApiPlugin = fp(async (app: FastifyInstance) => {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Label Studio accounts API',
        version: VERSION,
        description:
          "Label Studio's account, organization and token API. Authenticate with `Authorization: Token <key>` (legacy), " +
          '`Authorization: Bearer <access token>` (from a personal access token via /api/token/refresh/), or a session cookie.',
      },
      components: {
        securitySchemes: {
          Token: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'Token <legacy key>' },
          Bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          Session: { type: 'apiKey', in: 'cookie', name: 'sessionid' },
        },
      },
      security: [{ Token: [] }, { Bearer: [] }, { Session: [] }],
    },
    // Shared schemas keep their names (`ErrorEnvelope`), so generated clients name them too.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    // Only the API belongs in the document, not the pages.
    transform: ({ schema, url }) => ({ schema: url.startsWith('/api/') ? schema : { ...schema, hide: true }, url }),
  });
});

const API_DOCS_POLICY = CONTENT_SECURITY_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");

/** Serves the document as JSON at /api/schema/ and an interactive page at /docs/api/. */
export async function openApiRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/schema/', { schema: { hide: true }, config: { access: 'public' } }, async () => app.swagger());
  const { default: swaggerUi } = await import('@fastify/swagger-ui');
  await app.register(async (docs) => {
    // The interactive page and its assets are public, like the document.
    docs.addHook('onRoute', (route) => {
      route.config = { ...(route.config ?? {}), access: 'public' };
    });
    // Swagger UI adds <style> elements from its script: inline style (never script) is allowed on these pages only.
    docs.addHook('onSend', async (_request, reply) => {
      if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) reply.header('Content-Security-Policy', API_DOCS_POLICY);
    });
    await docs.register(swaggerUi, { routePrefix: '/docs/api', uiConfig: { docExpansion: 'list', deepLinking: true } });
  });
}
