import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '#src/errors.js';
import { ensureCsrfCookie } from '#src/http/csrf.js';
import type { FieldErrors } from '#src/http/pages/auth-pages.js';
import {
  PASSWORD_RESET_PATHS,
  resetConfirmPage,
  resetDonePage,
  resetInvalidPage,
  resetRequestPage,
  resetSentPage,
} from '#src/http/pages/password-reset-pages.js';
import { FormBody, HTML_ROUTE as HTML, TokenQuery, fieldErrors, formText as text, sendSecretLinkPage as sendPage } from '#src/http/page-forms.js';
import { op, resource } from '#src/http/route.js';
import { RESET_MAIL_DISABLED_MESSAGE, RESET_REQUESTED_MESSAGE } from '#src/services/password-reset.service.js';


/** Forgotten passwords: ask for a link, follow it, choose a new password (server-rendered, no script). */
export async function passwordResetRoutes(app: FastifyInstance): Promise<void> {
  const { passwordResets } = app.ctx.services;
  const confirmAction = (token: string) => `${PASSWORD_RESET_PATHS.confirm}?${new URLSearchParams({ token }).toString()}`;

  resource(app, PASSWORD_RESET_PATHS.request, {
    GET: op({
      access: 'optional',
      schema: HTML,
      handler: async (request, reply) => {
        const csrfToken = ensureCsrfCookie(app, request, reply);
        return sendPage(reply, resetRequestPage({ csrfToken, unavailable: passwordResets.enabled ? undefined : RESET_MAIL_DISABLED_MESSAGE }));
      },
    }),
    POST: op({
      access: 'optional',
      schema: { ...HTML, body: FormBody },
      handler: async (request, reply) => {
        const email = text(request.body, 'email');
        try {
          await passwordResets.request(request.action, email);
          return sendPage(reply, resetSentPage(RESET_REQUESTED_MESSAGE));
        } catch (error) {
          const csrfToken = ensureCsrfCookie(app, request, reply);
          if (error instanceof AppError && error.code === 'mail.not_configured') return sendPage(reply, resetRequestPage({ csrfToken, unavailable: error.detail }), error.status);
          if (error instanceof AppError && error.code === 'request.rate_limited') {
            return sendPage(reply, resetRequestPage({ csrfToken, email, errors: { non_field_errors: [error.detail] } }), error.status);
          }
          return sendPage(reply, resetRequestPage({ csrfToken, email, errors: fieldErrors(error) }), 400);
        }
      },
    }),
  });

  /** The set-new-password form for a link, or the page saying the link cannot be used. */
  const confirmPage = async (request: FastifyRequest, reply: FastifyReply, token: string, errors?: FieldErrors) => {
    try {
      const user = await passwordResets.check(token);
      const csrfToken = ensureCsrfCookie(app, request, reply);
      return sendPage(reply, resetConfirmPage({ csrfToken, action: confirmAction(token), email: user.email, errors }), errors ? 400 : 200);
    } catch (error) {
      if (error instanceof AppError && error.code === 'auth.reset_link_invalid') return sendPage(reply, resetInvalidPage(error.detail), error.status);
      throw error;
    }
  };

  resource(app, PASSWORD_RESET_PATHS.confirm, {
    GET: op({
      access: 'optional',
      noStore: true,
      schema: { ...HTML, querystring: TokenQuery },
      handler: async (request, reply) => confirmPage(request, reply, request.query.token ?? ''),
    }),
    POST: op({
      access: 'optional',
      noStore: true,
      schema: { ...HTML, querystring: TokenQuery, body: FormBody },
      handler: async (request, reply) => {
        const token = request.query.token ?? '';
        const password = text(request.body, 'password');
        if (password !== text(request.body, 'password_confirm')) {
          return confirmPage(request, reply, token, { password_confirm: ['The two passwords do not match.'] });
        }
        try {
          await passwordResets.complete(request.action, token, password);
          return reply.redirect(PASSWORD_RESET_PATHS.done, 303);
        } catch (error) {
          if (error instanceof AppError && error.code === 'auth.reset_link_invalid') return sendPage(reply, resetInvalidPage(error.detail), error.status);
          return confirmPage(request, reply, token, fieldErrors(error));
        }
      },
    }),
  });

  resource(app, PASSWORD_RESET_PATHS.done, {
    GET: op({ access: 'optional', schema: HTML, handler: async (_request, reply) => sendPage(reply, resetDonePage()) }),
  });
}
