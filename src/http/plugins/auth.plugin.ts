import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { looksLikeJwt } from '#src/auth/jwt.js';
import { safeEqual } from '#src/auth/secret-box.js';
import { AppError } from '#src/errors.js';
import type { Principal } from '#src/http/request-context.js';
import { CSRF_COOKIE, CSRF_HEADER, ensureCsrfCookie } from '#src/http/csrf.js';

export const SESSION_COOKIE = 'sessionid';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** `X-Api-Key` becomes an Authorization header: Bearer for JWTs, Token otherwise (Label Studio's rewrite). */
function authorizationOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header) return header;
  const apiKey = request.headers['x-api-key'];
  const key = Array.isArray(apiKey) ? apiKey[0] : apiKey;
  if (!key) return undefined;
  return looksLikeJwt(key) ? `Bearer ${key}` : `Token ${key}`;
}

async function fromAuthorization(app: FastifyInstance, header: string): Promise<Principal | undefined> {
  const [scheme, value, ...rest] = header.trim().split(/\s+/);
  const keyword = scheme?.toLowerCase();
  if (keyword === 'token') {
    if (!value || rest.length > 0) throw AppError.unauthenticated('Invalid token header. Token string should not contain spaces.');
    const user = await app.ctx.services.auth.userForLegacyToken(value);
    return { user, method: 'legacy-token' };
  }
  if (keyword === 'bearer' && value) {
    // An invalid Bearer token is ignored, as Label Studio's JWT middleware does; the session may still authenticate.
    const user = await app.ctx.services.auth.userForAccessToken(value);
    return user ? { user, method: 'jwt' } : undefined;
  }
  return undefined;
}

/** Resolves `request.principal` from a token or the session cookie, enforces auth and CSRF, and records activity. */
export const authPlugin = fp(async (app: FastifyInstance) => {
  app.decorateRequest('principal', null);

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const config = request.routeOptions.config;
    const mode = config.auth ?? (request.url.startsWith('/api/') ? 'required' : 'optional');
    if (mode === 'none') return;
    const header = authorizationOf(request);
    if (header) request.principal = (await fromAuthorization(app, header)) ?? null;
    if (!request.principal) {
      const cookie = request.cookies[SESSION_COOKIE];
      const resolved = cookie ? await app.ctx.services.sessions.resolve(cookie) : undefined;
      if (resolved) {
        request.principal = { user: resolved.user, method: 'session' };
        // Cookie-authenticated unsafe API calls must carry the CSRF token (Label Studio exempts them; we do not).
        if (!SAFE_METHODS.has(request.method) && request.url.startsWith('/api/')) {
          const sent = request.headers[CSRF_HEADER];
          const expected = request.cookies[CSRF_COOKIE];
          if (typeof sent !== 'string' || !expected || !safeEqual(sent, expected)) {
            throw AppError.forbidden('CSRF Failed: CSRF token missing or incorrect.');
          }
        }
      } else if (cookie) {
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
      }
    }
    if (request.principal && request.method === 'GET') ensureCsrfCookie(app, request, reply);
    if (!request.principal && mode === 'required') throw AppError.unauthenticated();
  });

  app.addHook('preHandler', async (request: FastifyRequest) => {
    if (request.principal && !SAFE_METHODS.has(request.method)) {
      await app.ctx.services.activity.touch(request.principal.user);
    }
  });
});
