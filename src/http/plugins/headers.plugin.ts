import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** Paths that must not be indexed (Label Studio's NoindexUrlMiddleware). */
const NOINDEX = /^\/(api\/invite(\/reset-token)?|user\/(login|signup|email-verification)|user\/password-reset.*|saml\/.*)\/?$/;

/**
 * Response headers that hold for the whole server: pages never framed by another site (clickjacking), nothing
 * sniffed, secrets never cached, sign-in pages not indexed.
 */
export const headersPlugin = fp(async (app: FastifyInstance) => {
  app.addHook('onSend', async (request, reply) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
      reply.header('X-Frame-Options', 'DENY');
      const policy = reply.getHeader('Content-Security-Policy');
      reply.header('Content-Security-Policy', policy ? `${String(policy)}; frame-ancestors 'none'` : "frame-ancestors 'none'");
    }
    if (request.routeOptions.config.noStore) reply.header('Cache-Control', 'no-store');
    if (NOINDEX.test(request.url.split('?')[0] ?? '')) {
      const existing = reply.getHeader('X-Robots-Tag');
      reply.header('X-Robots-Tag', existing ? `${String(existing)}, noindex, nofollow` : 'noindex, nofollow');
    }
  });
});
