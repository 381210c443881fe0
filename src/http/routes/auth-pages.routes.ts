import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '#src/errors.js';
import { CSRF_FIELD, ensureCsrfCookie, formCsrfValid } from '#src/http/csrf.js';
import { loginPage, signupPage, type FieldErrors } from '#src/http/pages/auth-pages.js';
import { SESSION_COOKIE } from '#src/http/plugins/auth.plugin.js';

const AFTER_LOGIN = '/projects/';

/** Only same-site paths are followed after login or sign-up; anything else goes to the projects page. */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return AFTER_LOGIN;
  if (/[\r\n]/.test(next)) return AFTER_LOGIN;
  return next;
}

type Form = Record<string, unknown>;
const text = (form: Form, key: string): string => (typeof form[key] === 'string' ? (form[key] as string) : '');
const checked = (form: Form, key: string): boolean => ['on', 'true', '1', 'yes'].includes(text(form, key).toLowerCase());

function withQuery(path: string, query: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) params.set(k, v);
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

function csrfRejected(reply: FastifyReply): FastifyReply {
  return reply
    .status(403)
    .type('text/html; charset=utf-8')
    .send('<!doctype html><title>403 Forbidden</title><h1>Forbidden (403)</h1><p>CSRF verification failed. Reload the page and try again.</p>');
}

function fieldErrors(error: unknown): FieldErrors {
  if (error instanceof AppError && error.validationErrors) {
    return Object.fromEntries(
      Object.entries(error.validationErrors).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]),
    );
  }
  throw error;
}

/** Sign-up, login and logout: server-rendered forms with CSRF tokens and safe redirects (§5.1). */
export async function authPagesRoutes(app: FastifyInstance): Promise<void> {
  const { auth } = app.ctx.services;
  const { config } = app.ctx;

  const startSession = (reply: FastifyReply, cookie: string, keep: boolean): void => {
    reply.setCookie(SESSION_COOKIE, cookie, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: config.secureCookies,
      ...(keep ? { maxAge: config.sessionMaxAgeSeconds } : {}),
    });
  };

  const query = (request: FastifyRequest) => request.query as Record<string, string | undefined>;

  app.get('/', async (request, reply) => reply.redirect(request.principal ? AFTER_LOGIN : '/user/login/'));

  const loginGet = async (request: FastifyRequest, reply: FastifyReply) => {
    const { next } = query(request);
    if (request.principal) return reply.redirect(safeNext(next));
    const csrfToken = ensureCsrfCookie(app, request, reply);
    return reply.type('text/html; charset=utf-8').send(
      loginPage({ csrfToken, action: withQuery('/user/login/', { next }), signupHref: withQuery('/user/signup/', { next }) }),
    );
  };
  const loginPost = async (request: FastifyRequest, reply: FastifyReply) => {
    const form = (request.body ?? {}) as Form;
    if (!formCsrfValid(request, form[CSRF_FIELD])) return csrfRejected(reply);
    const { next } = query(request);
    const keep = checked(form, 'persist_session');
    try {
      const result = await auth.login(text(form, 'email'), text(form, 'password'), keep);
      startSession(reply, result.sessionCookie, keep);
      return reply.redirect(safeNext(next));
    } catch (error) {
      const csrfToken = ensureCsrfCookie(app, request, reply);
      return reply.type('text/html; charset=utf-8').send(
        loginPage({
          csrfToken,
          action: withQuery('/user/login/', { next }),
          signupHref: withQuery('/user/signup/', { next }),
          email: text(form, 'email'),
          errors: fieldErrors(error),
        }),
      );
    }
  };

  const signupGet = async (request: FastifyRequest, reply: FastifyReply) => {
    const { next, token } = query(request);
    if (request.principal) return reply.redirect(safeNext(next));
    const csrfToken = ensureCsrfCookie(app, request, reply);
    const closedMessage =
      config.disableSignupWithoutLink && !token ? 'Sign-up is by invitation only. Ask an administrator for an invite link.' : undefined;
    return reply.type('text/html; charset=utf-8').send(
      signupPage({ csrfToken, action: withQuery('/user/signup/', { next, token }), loginHref: withQuery('/user/login/', { next }), closedMessage }),
    );
  };
  const signupPost = async (request: FastifyRequest, reply: FastifyReply) => {
    const form = (request.body ?? {}) as Form;
    if (!formCsrfValid(request, form[CSRF_FIELD])) return csrfRejected(reply);
    const { next, token } = query(request);
    const page = (errors: FieldErrors, status = 200, closedMessage?: string) =>
      reply
        .status(status)
        .type('text/html; charset=utf-8')
        .send(
          signupPage({
            csrfToken: ensureCsrfCookie(app, request, reply),
            action: withQuery('/user/signup/', { next, token }),
            loginHref: withQuery('/user/login/', { next }),
            email: text(form, 'email'),
            allowNewsletters: checked(form, 'allow_newsletters'),
            errors,
            closedMessage,
          }),
        );
    try {
      const result = await auth.signup({
        email: text(form, 'email'),
        password: text(form, 'password'),
        allowNewsletters: checked(form, 'allow_newsletters'),
        inviteToken: token || undefined,
      });
      startSession(reply, result.sessionCookie, true);
      return reply.redirect(safeNext(next));
    } catch (error) {
      if (error instanceof AppError && error.status === 403) return page({}, 403, error.detail);
      return page(fieldErrors(error));
    }
  };

  const logout = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.principal) return reply.redirect(withQuery('/user/login/', { next: '/logout' }));
    await auth.logout(request.cookies[SESSION_COOKIE]);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect(config.host ? `${config.host.replace(/\/+$/, '')}/` : '/');
  };

  // The app ignores trailing slashes, so each path also answers without (or with) one.
  app.get('/user/login/', loginGet);
  app.post('/user/login/', loginPost);
  app.get('/user/signup/', signupGet);
  app.post('/user/signup/', signupPost);
  app.get('/logout', logout);
  app.post('/logout', logout);
}
