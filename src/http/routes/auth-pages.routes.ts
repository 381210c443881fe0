import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { AppError } from '#src/errors.js';
import { ensureCsrfCookie } from '#src/http/csrf.js';
import { AUTH_STYLES, AUTH_STYLES_PATH, AUTH_STYLES_VERSION } from '#src/http/pages/auth-layout.js';
import { loginPage, signupPage, signupPendingPage, type FieldErrors } from '#src/http/pages/auth-pages.js';
import { SESSION_COOKIE } from '#src/http/plugins/auth.plugin.js';
import { AFTER_LOGIN, safeNext } from '#src/http/redirects.js';
import { op, resource } from '#src/http/route.js';
import { startSecondFactor } from '#src/http/routes/two-factor-pages.routes.js';
import { setSessionCookie } from '#src/http/session-cookie.js';
import { SIGNUP_CLOSED_MESSAGE, type LoginResult } from '#src/services/auth.service.js';

type Form = Record<string, unknown>;
const text = (form: Form, key: string): string => (typeof form[key] === 'string' ? (form[key] as string) : '');
const checked = (form: Form, key: string): boolean => ['on', 'true', '1', 'yes'].includes(text(form, key).toLowerCase());

/** `?next=` and `?token=`: the pages' only query parameters. */
const PageQuery = Type.Object({
  next: Type.Optional(Type.String({ maxLength: 2000 })),
  token: Type.Optional(Type.String({ maxLength: 256 })),
});
/** The forms post text fields; the CSRF field is checked by the request pipeline. */
const FormBody = Type.Record(Type.String(), Type.Unknown());
const HTML = { hide: true } as const;

function withQuery(path: string, query: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) params.set(k, v);
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** Field errors to show on a form; anything that is not a refusal with field errors is a real failure. */
function fieldErrors(error: unknown): FieldErrors {
  if (error instanceof AppError && error.validationErrors) {
    return Object.fromEntries(Object.entries(error.validationErrors).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]));
  }
  throw error;
}

/** Sign-up, login and logout: server-rendered forms with CSRF tokens and safe redirects (§5.1). */
export async function authPagesRoutes(app: FastifyInstance): Promise<void> {
  const { auth } = app.ctx.services;
  const { config } = app.ctx;

  const startSession = (request: FastifyRequest, reply: FastifyReply, result: LoginResult, keep: boolean): void =>
    setSessionCookie(app, request, reply, result.sessionCookie, keep ? result.sessionMaxAgeSeconds : null);
  const html = (reply: FastifyReply, page: string, status = 200) => reply.status(status).type('text/html; charset=utf-8').send(page);

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
      handler: async (request, reply) => reply.redirect(request.action.principal ? AFTER_LOGIN : '/user/login/'),
    }),
  });

  resource(app, '/user/login/', {
    GET: op({
      access: 'optional',
      schema: { ...HTML, querystring: PageQuery },
      handler: async (request, reply) => {
        const { next } = request.query;
        if (request.action.principal) return reply.redirect(safeNext(next));
        const csrfToken = ensureCsrfCookie(app, request, reply);
        return html(reply, loginPage({ csrfToken, action: withQuery('/user/login/', { next }), signupHref: withQuery('/user/signup/', { next }) }));
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
            action: withQuery('/user/login/', { next }),
            signupHref: withQuery('/user/signup/', { next }),
            email: text(form, 'email'),
            errors,
          });
          return html(reply, page, status);
        }
      },
    }),
  });

  resource(app, '/user/signup/', {
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
          signupPage({ csrfToken, action: withQuery('/user/signup/', { next, token }), loginHref: withQuery('/user/login/', { next }), closedMessage }),
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
              action: withQuery('/user/signup/', { next, token }),
              loginHref: withQuery('/user/login/', { next }),
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
          if (result.pending) return html(reply, signupPendingPage(withQuery('/user/login/', { next })));
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
      if (!request.action.principal) return reply.redirect(withQuery('/user/login/', { next: '/logout' }));
      await auth.logout(request.action, request.cookies[SESSION_COOKIE]);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.redirect(config.server.host ? `${config.server.host.replace(/\/+$/, '')}/` : '/');
    },
  });
  resource(app, '/logout', { GET: logout, POST: logout });
}
