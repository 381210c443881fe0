import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomAlphanumeric } from '#src/auth/random-token.js';
import { safeEqual } from '#src/auth/secret-box.js';

/** Django's names: the SPA reads the cookie and sends it back in the header; forms post it as a field. */
export const CSRF_COOKIE = 'csrftoken';
export const CSRF_HEADER = 'x-csrftoken';
export const CSRF_FIELD = 'csrfmiddlewaretoken';
const CSRF_MAX_AGE_SECONDS = 31_449_600;

/** Cookies are `Secure` when configured so, or when the request came over HTTPS (through a trusted proxy). */
export function secureCookies(app: FastifyInstance, request: FastifyRequest): boolean {
  return app.ctx.config.sessions.secureCookies || request.protocol === 'https';
}

/** Sets a new CSRF token (at login, so a token planted before it is worthless after); returns it. */
export function rotateCsrfCookie(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply): string {
  const token = randomAlphanumeric(64);
  reply.setCookie(CSRF_COOKIE, token, { path: '/', sameSite: 'lax', secure: secureCookies(app, request), maxAge: CSRF_MAX_AGE_SECONDS });
  request.cookies[CSRF_COOKIE] = token;
  return token;
}

/** The request's CSRF token, setting the cookie when the browser has none yet. */
export function ensureCsrfCookie(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply): string {
  const existing = request.cookies[CSRF_COOKIE];
  if (existing && /^[A-Za-z0-9]{32,64}$/.test(existing)) return existing;
  return rotateCsrfCookie(app, request, reply);
}

/** True when the request carries the same token as its cookie, in the header or as the form field (double submit). */
export function csrfValid(request: FastifyRequest): boolean {
  const expected = request.cookies[CSRF_COOKIE];
  const header = request.headers[CSRF_HEADER];
  const field = typeof request.body === 'object' && request.body !== null ? (request.body as Record<string, unknown>)[CSRF_FIELD] : undefined;
  const sent = typeof header === 'string' ? header : field;
  return typeof sent === 'string' && !!expected && safeEqual(sent, expected);
}
