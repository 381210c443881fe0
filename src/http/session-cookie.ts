import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { rotateCsrfCookie, secureCookies } from '#src/http/csrf.js';
import { SESSION_COOKIE } from '#src/http/plugins/auth.plugin.js';

/**
 * Sets the cookie of a session just started (login, its second step, an accepted invitation): HttpOnly, SameSite=Lax,
 * Secure over HTTPS, kept across browser restarts for the session's maximum age unless the login asked otherwise; the
 * CSRF token is replaced, so one planted before is worthless after.
 */
export function setSessionCookie(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, cookie: string, keepLoggedIn = true): void {
  reply.setCookie(SESSION_COOKIE, cookie, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: secureCookies(app, request),
    ...(keepLoggedIn ? { maxAge: app.ctx.config.sessions.maxAgeSeconds } : {}),
  });
  rotateCsrfCookie(app, request, reply);
}
