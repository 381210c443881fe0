import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { AppError } from '#src/errors.js';
import { ensureCsrfCookie } from '#src/http/csrf.js';
import { AUTH_STYLES, AUTH_STYLES_PATH, AUTH_STYLES_VERSION } from '#src/http/pages/auth-layout.js';
import { loginPage, signupPage, signupPendingPage, type FieldErrors } from '#src/http/pages/auth-pages.js';
import { SESSION_COOKIE } from '#src/http/plugins/auth.plugin.js';
import { FormBody, HTML_ROUTE as HTML, fieldErrors, formChecked as checked, formText as text, sendPage as html } from '#src/http/page-forms.js';
import { AFTER_LOGIN, LOGIN_PATH, SIGNUP_PATH, safeNext, withQuery } from '#src/http/redirects.js';
import { op, resource } from '#src/http/route.js';
import { startSecondFactor } from '#src/http/routes/two-factor-pages.routes.js';
import { setSessionCookie } from '#src/http/session-cookie.js';
import { SIGNUP_CLOSED_MESSAGE, type LoginResult } from '#src/services/auth.service.js';

/** `?next=` and `?token=`: the pages' only query parameters. */
const PageQuery = Type.Object({
  next: Type.Optional(Type.String({ maxLength: 2000 })),
  token: Type.Optional(Type.String({ maxLength: 256 })),
});

/** Sign-up, login and logout: server-rendered forms with CSRF tokens and safe redirects (§5.1). */
export async function authPagesRoutes(app: FastifyInstance): Promise<void> {
  const { auth } = app.ctx.services;
  const { config } = app.ctx;

  const startSession = (request: FastifyRequest, reply: FastifyReply, result: LoginResult, keep: boolean): void =>
    setSessionCookie(app, request, reply, result.sessionCookie, keep ? result.sessionMaxAgeSeconds : null);

  resource(app, AUTH_STYLES_PATH, {
    GET: op({
      access: 'public',
      schema: { ...HTML, querystring: Type.Object({ v: Type.Optional(Type.String({ maxLength: 64 })) }) },
      handler: async (request, reply) =>
        reply
          // The versioned URL never changes content: kept for good; any other asks again.
          .header('Cache-Control', request.query.v === AUTH_STYLES_VERSION ? 'public, max-age=31536000, immutable' : 'no-cache')
          .type('text/css; charset=utf-8')
          .send(AUTH_STYLES),
    }),
  });

  resource(app, '/', {
    GET: op({
      access: 'optional',
      schema: HTML,
      handler: async (request, reply) => reply.redirect(request.action.principal ? AFTER_LOGIN : LOGIN_PATH),
    }),
  });

  resource(app, LOGIN_PATH, {
    GET: op({
      access: 'optional',
      schema: { ...HTML, querystring: PageQuery },
      handler: async (request, reply) => {
        const { next } = request.query;
        if (request.action.principal) return reply.redirect(safeNext(next));
        const csrfToken = ensureCsrfCookie(app, request, reply);
        return html(reply, loginPage({ csrfToken, action: withQuery(LOGIN_PATH, { next }), signupHref: withQuery(SIGNUP_PATH, { next }) }));
      },
    }),
    POST: op({
      access: 'optional',
      schema: { ...HTML, querystring: PageQuery, body: FormBody },
      handler: async (request, reply) => {
        const form = request.body;
        const { next } = request.query;
        const keep = checked(form, 'persist_session');
        try {
          const result = await auth.login(request.action, text(form, 'email'), text(form, 'password'), keep);
          if ('challengeCookie' in result) return startSecondFactor(app, request, reply, result.challengeCookie, next);
          startSession(request, reply, result, keep);
          return reply.redirect(safeNext(next));
        } catch (error) {
          const errors = fieldErrors(error);
          const status = error instanceof AppError && (error.code.startsWith('membership.') || error.status === 429) ? error.status : 200;
          if (error instanceof AppError && error.retryAfterSeconds !== undefined) reply.header('Retry-After', String(error.retryAfterSeconds));
          const page = loginPage({
            csrfToken: ensureCsrfCookie(app, request, reply),
            action: withQuery(LOGIN_PATH, { next }),
            signupHref: withQuery(SIGNUP_PATH, { next }),
            email: text(form, 'email'),
            errors,
          });
          return html(reply, page, status);
        }
      },
    }),
  });

  resource(app, SIGNUP_PATH, {
    GET: op({
      access: 'optional',
      schema: { ...HTML, querystring: PageQuery },
      handler: async (request, reply) => {
        const { next, token } = request.query;
        if (request.action.principal) return reply.redirect(safeNext(next));
        const csrfToken = ensureCsrfCookie(app, request, reply);
        const closedMessage = config.security.disableSignupWithoutLink && !token ? SIGNUP_CLOSED_MESSAGE : undefined;
        return html(
          reply,
          signupPage({ csrfToken, action: withQuery(SIGNUP_PATH, { next, token }), loginHref: withQuery(LOGIN_PATH, { next }), closedMessage }),
        );
      },
    }),
    POST: op({
      access: 'optional',
      schema: { ...HTML, querystring: PageQuery, body: FormBody },
      handler: async (request, reply) => {
        const form = request.body;
        const { next, token } = request.query;
        const page = (errors: FieldErrors, status = 200, closedMessage?: string) =>
          html(
            reply,
            signupPage({
              csrfToken: ensureCsrfCookie(app, request, reply),
              action: withQuery(SIGNUP_PATH, { next, token }),
              loginHref: withQuery(LOGIN_PATH, { next }),
              email: text(form, 'email'),
              allowNewsletters: checked(form, 'allow_newsletters'),
              errors,
              closedMessage,
            }),
            status,
          );
        try {
          const result = await auth.signup(request.action, {
            email: text(form, 'email'),
            password: text(form, 'password'),
            allowNewsletters: checked(form, 'allow_newsletters'),
            inviteToken: token || undefined,
          });
          if (result.pending) return html(reply, signupPendingPage(withQuery(LOGIN_PATH, { next })));
          startSession(request, reply, result, true);
          return reply.redirect(safeNext(next));
        } catch (error) {
          if (error instanceof AppError && error.status === 403) return page({}, 403, error.detail);
          return page(fieldErrors(error));
        }
      },
    }),
  });

  const logout = op({
    access: 'optional',
    schema: HTML,
    handler: async (request, reply) => {
      if (!request.action.principal) return reply.redirect(withQuery(LOGIN_PATH, { next: '/logout' }));
      await auth.logout(request.action, request.cookies[SESSION_COOKIE]);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.redirect(config.server.host ? `${config.server.host.replace(/\/+$/, '')}/` : '/');
    },
  });
  resource(app, '/logout', { GET: logout, POST: logout });
}
