import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomAlphanumeric } from '#src/auth/random-token.js';
import { safeEqual } from '#src/auth/secret-box.js';

/** Django's names: the SPA reads the cookie and sends it back in the header; forms post it as a field. */
export const CSRF_COOKIE = 'csrftoken';
export const CSRF_HEADER = 'x-csrftoken';
export const CSRF_FIELD = 'csrfmiddlewaretoken';
const CSRF_MAX_AGE_SECONDS = 31_449_600;

/** The request's CSRF token, setting the cookie when the browser has none yet. */
export function ensureCsrfCookie(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply): string {
  const existing = request.cookies[CSRF_COOKIE];
  if (existing && /^[A-Za-z0-9]{32,64}$/.test(existing)) return existing;
  const token = randomAlphanumeric(64);
  reply.setCookie(CSRF_COOKIE, token, {
    path: '/',
    sameSite: 'lax',
    secure: app.ctx.config.secureCookies,
    maxAge: CSRF_MAX_AGE_SECONDS,
  });
  request.cookies[CSRF_COOKIE] = token;
  return token;
}

/** True when a form post carries the same token as its cookie (double submit). */
export function formCsrfValid(request: FastifyRequest, submitted: unknown): boolean {
  const expected = request.cookies[CSRF_COOKIE];
  return typeof submitted === 'string' && !!expected && safeEqual(submitted, expected);
}
