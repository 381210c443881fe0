import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { rotateCsrfCookie, secureCookies } from '#src/http/csrf.js';
import { SESSION_COOKIE } from '#src/http/plugins/auth.plugin.js';

/**
 * Sets the cookie of a session just started (login, its second step, an accepted invitation): HttpOnly, SameSite=Lax,
 * Secure over HTTPS, kept across browser restarts for `maxAgeSeconds` (the session policy's maximum age; null when
 * the login asked not to be kept: a browser-session cookie); the CSRF token is replaced, so one planted before is
 * worthless after.
 */
export function setSessionCookie(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, cookie: string, maxAgeSeconds: number | null): void {
  reply.setCookie(SESSION_COOKIE, cookie, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: secureCookies(app, request),
    ...(maxAgeSeconds !== null ? { maxAge: maxAgeSeconds } : {}),
  });
  rotateCsrfCookie(app, request, reply);
}
