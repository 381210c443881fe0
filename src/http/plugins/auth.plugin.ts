import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { looksLikeJwt } from '#src/auth/jwt.js';
import { AppError } from '#src/errors.js';
import { csrfValid, ensureCsrfCookie } from '#src/http/csrf.js';
import { asMember, type ActionContext, type AuthMethod } from '#src/policies/action-context.js';
import { isMemberAccess, type RouteAccess } from '#src/policies/route-access.js';
import type { UserRow } from '#src/storage/schema.js';

export const SESSION_COOKIE = 'sessionid';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Ways in that a browser sends by itself (a cookie, a proxy's sign-in): unsafe requests need the CSRF token. */
const BROWSER_METHODS: ReadonlySet<AuthMethod> = new Set(['session', 'proxy']);

/** The access the matched route declared; unknown paths (the 404 handler) read no credentials. */
const accessOf = (request: FastifyRequest): RouteAccess => request.routeOptions.config.access ?? 'public';

/** `X-Api-Key` becomes an Authorization header: Bearer for JWTs, Token otherwise (Label Studio's rewrite). */
function authorizationOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header) return header;
  const apiKey = request.headers['x-api-key'];
  const key = Array.isArray(apiKey) ? apiKey[0] : apiKey;
  if (!key) return undefined;
  return looksLikeJwt(key) ? `Bearer ${key}` : `Token ${key}`;
}

async function fromAuthorization(app: FastifyInstance, header: string): Promise<{ user: UserRow; via: AuthMethod } | undefined> {
  const [scheme, value, ...rest] = header.trim().split(/\s+/);
  const keyword = scheme?.toLowerCase();
  if (keyword === 'token') {
    if (!value || rest.length > 0) throw new AppError('auth.invalid_token', 'Invalid token header. Token string should not contain spaces.');
    return { user: await app.ctx.services.auth.userForLegacyToken(value), via: 'legacy-token' };
  }
  if (keyword === 'bearer' && value) {
    // An invalid Bearer token is ignored, as Label Studio's JWT middleware does; the session may still authenticate.
    const user = await app.ctx.services.auth.userForAccessToken(value);
    return user ? { user, via: 'jwt' } : undefined;
  }
  return undefined;
}

/** The user a trusted proxy names in its header; only a connection from a configured proxy address is believed. */
async function fromProxy(app: FastifyInstance, request: FastifyRequest): Promise<{ user: UserRow; via: AuthMethod } | undefined> {
  const proxyAuth = app.ctx.services.proxyAuth;
  const header = proxyAuth.header;
  if (header === undefined) return undefined;
  const value = request.headers[header];
  // The socket's own peer, never X-Forwarded-For: a client cannot make itself look like the proxy.
  if (typeof value !== 'string' || !proxyAuth.trusts(request.socket.remoteAddress)) return undefined;
  const user = await proxyAuth.userFor(value);
  return user ? { user, via: 'proxy' } : undefined;
}

/** Per route schema, worked out at its first request. */
const successStatuses = new WeakMap<object, number>();

/** The status the route answers on success: its lowest declared 2xx (201 for creations), else 200. */
function successStatusOf(schema: { response?: Record<string, unknown> } | undefined): number {
  if (!schema) return 200;
  let status = successStatuses.get(schema);
  if (status === undefined) {
    const codes = Object.keys(schema.response ?? {}).map(Number).filter((code) => code >= 200 && code < 300);
    successStatuses.set(schema, (status = codes.length > 0 ? Math.min(...codes) : 200));
  }
  return status;
}

function baseContext(request: FastifyRequest, schema: object | undefined): ActionContext {
  return {
    principal: undefined,
    actor: undefined,
    via: 'anonymous',
    ip: request.ip || null,
    userAgent: request.headers['user-agent'] ?? null,
    requestId: request.id,
    method: request.method,
    url: request.url,
    successStatus: successStatusOf(schema),
  };
}

/**
 * The request pipeline's security: one ActionContext per request (who, how, from where), built from a token or the
 * session cookie; CSRF for every unsafe request a session cookie authenticates, decided on the route that matched;
 * then the route's declared access — permission and organization — resolved before any handler runs.
 */
export const authPlugin = fp(async (app: FastifyInstance) => {
  app.decorateRequest('action');

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const { schema, config } = request.routeOptions;
    request.action = baseContext(request, schema);
    const access = config.access ?? 'public';
    if (access === 'public') return;
    const header = authorizationOf(request);
    const byToken = header ? await fromAuthorization(app, header) : undefined;
    let principal = byToken ?? (await fromProxy(app, request));
    if (!principal) {
      const cookie = request.cookies[SESSION_COOKIE];
      const resolved = cookie ? await app.ctx.services.sessions.resolve(cookie, request.action.ip) : undefined;
      if (resolved) principal = { user: resolved.user, via: 'session' };
      else if (cookie) reply.clearCookie(SESSION_COOKIE, { path: '/' });
    }
    if (principal) {
      request.action = { ...request.action, principal: principal.user, via: principal.via };
      // Only the web app reads the CSRF cookie; token clients need none.
      if (BROWSER_METHODS.has(principal.via) && request.method === 'GET') ensureCsrfCookie(app, request, reply);
    } else if (isMemberAccess(access)) {
      throw AppError.unauthenticated();
    }
  });

  // After the body is parsed (the CSRF token may be a form field) and before validation. CSRF guards every unsafe
  // request a session cookie authenticates, and every form post of the pages (login CSRF included), whatever the URL.
  app.addHook('preValidation', async (request: FastifyRequest) => {
    const { principal, via } = request.action;
    const access = accessOf(request);
    const needsCsrf = BROWSER_METHODS.has(via) || access === 'optional';
    if (needsCsrf && !SAFE_METHODS.has(request.method) && !csrfValid(request)) {
      throw AppError.forbidden('CSRF Failed: CSRF token missing or incorrect.', 'auth.csrf_failed');
    }
    if (principal && isMemberAccess(access)) {
      const actor = await app.ctx.deps.actors.authorize(principal, access, request.params as Record<string, unknown>);
      request.action = asMember(request.action, actor);
    }
  });

  app.addHook('preHandler', async (request: FastifyRequest) => {
    const { principal } = request.action;
    if (principal && !SAFE_METHODS.has(request.method)) await app.ctx.services.activity.touch(principal);
  });
});
