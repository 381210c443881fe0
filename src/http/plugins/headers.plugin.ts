import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** Paths that must not be indexed (Label Studio's NoindexUrlMiddleware). */
const NOINDEX = /^\/(api\/invite(\/reset-token)?|user\/(login|login\/two-factor|signup|email-verification|invite\/accept)|user\/password-reset.*|saml\/.*)\/?$/;

/**
 * What every HTML page may load: its own scripts, styles, images and API, nothing inline (an injected `<script>` or
 * `onclick` does not run), no plugins, no `<base>` rewriting, forms only to this site, and no framing by anyone.
 * Images may also be `data:`/`blob:` URLs (an avatar previewed before upload).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Response headers that hold for the whole server: pages never framed by another site (clickjacking) and never
 * running inline script, nothing sniffed, no URL (an invite link's token) sent to other sites as a referrer, secrets
 * never cached, sign-in pages not indexed.
 */
export const headersPlugin = fp(async (app: FastifyInstance) => {
  app.addHook('onSend', async (request, reply) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    // A page whose own URL carries a secret (a reset or invitation link) sends no referrer at all: that stays.
    if (!reply.hasHeader('Referrer-Policy')) reply.header('Referrer-Policy', 'same-origin');
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
      reply.header('X-Frame-Options', 'DENY');
      // A route's own, stricter policy (an avatar's sandbox) stays; framing is denied either way.
      const policy = reply.getHeader('Content-Security-Policy');
      reply.header('Content-Security-Policy', policy ? `${String(policy)}; frame-ancestors 'none'` : CONTENT_SECURITY_POLICY);
    }
    if (request.routeOptions.config.noStore) reply.header('Cache-Control', 'no-store');
    if (NOINDEX.test(request.url.split('?')[0] ?? '')) {
      const existing = reply.getHeader('X-Robots-Tag');
      reply.header('X-Robots-Tag', existing ? `${String(existing)}, noindex, nofollow` : 'noindex, nofollow');
    }
  });
});
