import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { AppError } from '#src/errors.js';
import { ensureCsrfCookie, secureCookies } from '#src/http/csrf.js';
import { loginPage } from '#src/http/pages/auth-pages.js';
import { secondFactorPage } from '#src/http/pages/two-factor-pages.js';
import { FormBody, HTML_ROUTE as HTML, formText, sendPage as html } from '#src/http/page-forms.js';
import { LOGIN_PATH, SIGNUP_PATH, safeNext, withQuery } from '#src/http/redirects.js';
import { op, resource } from '#src/http/route.js';
import { setSessionCookie } from '#src/http/session-cookie.js';
import { CHALLENGE_TTL_SECONDS } from '#src/services/two-factor-login.service.js';

/** The pending login's cookie: only the login pages read it. */
export const PENDING_LOGIN_COOKIE = 'ls_two_factor';
const PENDING_PATH = LOGIN_PATH;
const SECOND_PAGE = '/user/login/two-factor/';

const PageQuery = Type.Object({ next: Type.Optional(Type.String({ maxLength: 2000 })) });
const withNext = (path: string, next: string | undefined) => withQuery(path, { next });

/**
 * After a right password of a user with two-factor sign-in: the browser gets the pending login (no session) and goes
 * to the second page, `next` kept.
 */
export function startSecondFactor(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, challengeCookie: string, next: string | undefined): FastifyReply {
  reply.setCookie(PENDING_LOGIN_COOKIE, challengeCookie, {
    path: PENDING_PATH,
    httpOnly: true,
    sameSite: 'lax',
    secure: secureCookies(app, request),
    maxAge: CHALLENGE_TTL_SECONDS,
  });
  return reply.redirect(withNext(SECOND_PAGE, next));
}

/** The login's second page (/user/login/two-factor/): the code, then the session. */
export async function twoFactorPagesRoutes(app: FastifyInstance): Promise<void> {
  const { auth, twoFactorLogin } = app.ctx.services;
  const endPending = (reply: FastifyReply) => reply.clearCookie(PENDING_LOGIN_COOKIE, { path: PENDING_PATH });
  const codePage = (request: FastifyRequest, reply: FastifyReply, next: string | undefined, error?: string) =>
    html(
      reply,
      secondFactorPage({ csrfToken: ensureCsrfCookie(app, request, reply), action: withNext(SECOND_PAGE, next), loginHref: withNext(PENDING_PATH, next), error }),
    );

  resource(app, SECOND_PAGE, {
    GET: op({
      access: 'optional',
      schema: { ...HTML, querystring: PageQuery },
      handler: async (request, reply) => {
        const { next } = request.query;
        if (request.action.principal) return reply.redirect(safeNext(next));
        if (!(await twoFactorLogin.isPending(request.cookies[PENDING_LOGIN_COOKIE]))) {
          endPending(reply);
          return reply.redirect(withNext(PENDING_PATH, next));
        }
        return codePage(request, reply, next);
      },
    }),
    POST: op({
      access: 'optional',
      schema: { ...HTML, querystring: PageQuery, body: FormBody },
      handler: async (request, reply) => {
        const { next } = request.query;
        const code = formText(request.body, 'code');
        try {
          const result = await auth.loginWithSecondFactor(request.action, request.cookies[PENDING_LOGIN_COOKIE], code);
          endPending(reply);
          setSessionCookie(app, request, reply, result.sessionCookie, result.keepLoggedIn ? result.sessionMaxAgeSeconds : null);
          return reply.redirect(safeNext(next));
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          if (error.code === 'two_factor.invalid_code') {
            const message = error.validationErrors?.code;
            return codePage(request, reply, next, Array.isArray(message) ? message.join(' ') : (message ?? error.detail));
          }
          if (error.code !== 'two_factor.challenge_invalid' && error.code !== 'two_factor.too_many_attempts') throw error;
          // The pending login is over: back to the password, saying why.
          endPending(reply);
          const page = loginPage({
            csrfToken: ensureCsrfCookie(app, request, reply),
            action: withNext(PENDING_PATH, next),
            signupHref: withNext(SIGNUP_PATH, next),
            errors: { non_field_errors: [error.detail] },
          });
          return html(reply, page, error.status);
        }
      },
    }),
  });
}
