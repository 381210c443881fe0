import type { FastifyInstance } from 'fastify';
import { AppError } from '#src/errors.js';
import { ensureCsrfCookie } from '#src/http/csrf.js';
import {
  INVITATION_PAGE_PATH,
  invitationConfirmPage,
  invitationInvalidPage,
  invitationAccountPage,
  invitationSignupPage,
  invitationWrongAccountPage,
} from '#src/http/pages/invitation-pages.js';
import { FormBody, HTML_ROUTE as HTML, TokenQuery, fieldErrors, formText, sendSecretLinkPage as sendPage } from '#src/http/page-forms.js';
import { AFTER_LOGIN, LOGIN_PATH } from '#src/http/redirects.js';
import { op, resource } from '#src/http/route.js';
import { setSessionCookie } from '#src/http/session-cookie.js';


const isInvalidInvitation = (error: unknown): error is AppError => error instanceof AppError && error.code === 'auth.invite_invalid';

/**
 * The page an e-mail invitation links to: create the account (no account for the address yet), accept and then log
 * in (one exists), or accept while signed in as it. Server-rendered, no script.
 */
export async function invitationPagesRoutes(app: FastifyInstance): Promise<void> {
  const { invitationAcceptance } = app.ctx.services;
  const selfLink = (token: string) => `${INVITATION_PAGE_PATH}?${new URLSearchParams({ token }).toString()}`;

  resource(app, INVITATION_PAGE_PATH, {
    GET: op({
      access: 'optional',
      noStore: true,
      schema: { ...HTML, querystring: TokenQuery },
      handler: async (request, reply) => {
        const token = request.query.token ?? '';
        try {
          const { invitation, organization, account } = await invitationAcceptance.inspect(token);
          const facts = { organization: organization.title, role: invitation.role, email: invitation.email };
          const { principal } = request.action;
          if (principal && principal.email.toLowerCase() !== invitation.email) {
            return sendPage(reply, invitationWrongAccountPage({ ...facts, signedInAs: principal.email }));
          }
          const csrfToken = ensureCsrfCookie(app, request, reply);
          if (principal) return sendPage(reply, invitationConfirmPage({ ...facts, csrfToken, action: selfLink(token) }));
          if (account) return sendPage(reply, invitationAccountPage({ ...facts, csrfToken, action: selfLink(token) }));
          return sendPage(reply, invitationSignupPage({ ...facts, csrfToken, action: selfLink(token) }));
        } catch (error) {
          if (isInvalidInvitation(error)) return sendPage(reply, invitationInvalidPage(error.detail), error.status);
          throw error;
        }
      },
    }),
    POST: op({
      access: 'optional',
      noStore: true,
      schema: { ...HTML, querystring: TokenQuery, body: FormBody },
      handler: async (request, reply) => {
        const token = request.query.token ?? '';
        const password = formText(request.body, 'password');
        try {
          if (request.action.principal) {
            await invitationAcceptance.acceptAsSignedIn(request.action, token);
            return reply.redirect(AFTER_LOGIN, 303);
          }
          if ((await invitationAcceptance.inspect(token)).account) {
            await invitationAcceptance.acceptForAccount(request.action, token);
            return reply.redirect(LOGIN_PATH, 303);
          }
          const { sessionCookie, sessionMaxAgeSeconds } = await invitationAcceptance.acceptAsNewAccount(request.action, token, password);
          setSessionCookie(app, request, reply, sessionCookie, sessionMaxAgeSeconds);
          return reply.redirect(AFTER_LOGIN, 303);
        } catch (error) {
          if (isInvalidInvitation(error)) return sendPage(reply, invitationInvalidPage(error.detail), error.status);
          const errors = fieldErrors(error);
          const { invitation, organization } = await invitationAcceptance.inspect(token);
          const facts = { organization: organization.title, role: invitation.role, email: invitation.email };
          return sendPage(reply, invitationSignupPage({ ...facts, csrfToken: ensureCsrfCookie(app, request, reply), action: selfLink(token), errors }), 400);
        }
      },
    }),
  });
}
