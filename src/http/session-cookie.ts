import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { rotateCsrfCookie, secureCookies } from '#src/http/csrf.js';
import { SESSION_COOKIE } from '#src/http/plugins/auth.plugin.js';

/** Hands the browser its new session (kept across browser restarts when asked) and a fresh CSRF token. */
export function setSessionCookie(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, value: string, keepLoggedIn: boolean): void {
  reply.setCookie(SESSION_COOKIE, value, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: secureCookies(app, request),
    ...(keepLoggedIn ? { maxAge: app.ctx.config.sessions.maxAgeSeconds } : {}),
  });
  // A token planted in the browser before login is worthless after it.
  rotateCsrfCookie(app, request, reply);
}
