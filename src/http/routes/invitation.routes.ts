import type { FastifyInstance } from 'fastify';
import { parsePageRequest } from '#src/domain/pagination.js';
import { AppError } from '#src/errors.js';
import { presentInvitation, presentInviteResult } from '#src/http/presenters/invitation.presenter.js';
import { presentPage } from '#src/http/presenters/pagination.presenter.js';
import { op, resource } from '#src/http/route.js';
import { errorResponses } from '#src/http/schemas/common.schema.js';
import { InvitationListQuery, InvitationPageSchema, InviteEmailBody, InviteResultSchema, SendInvitesBody } from '#src/http/schemas/invitation.schema.js';
import type { InvitationListStatus } from '#src/repositories/invitation.repository.js';
import { INVITATION_STATUSES } from '#src/services/invitation.service.js';

const tags = ['Invitations'];
const PAGE_RULES = { defaultSize: 30, maxSize: 100 };

/** `?status=pending,expired`: each word one of the statuses; absent means all of them. */
function statusesFrom(raw: string | undefined): InvitationListStatus[] {
  if (!raw) return [...INVITATION_STATUSES];
  const words = raw.split(',').map((word) => word.trim()).filter(Boolean);
  const unknown = words.filter((word) => !(INVITATION_STATUSES as readonly string[]).includes(word));
  if (unknown.length > 0) throw AppError.validation({ status: [`Unknown status: ${unknown.join(', ')}. Use ${INVITATION_STATUSES.join(', ')}.`] });
  return words as InvitationListStatus[];
}

/**
 * E-mail invitations of the active organization: Enterprise's `send-email` and `revoke` as the SDK calls them, and
 * our list and resend for the People page. All need `organizations.invite`; roles above the caller's are refused.
 */
export async function invitationRoutes(app: FastifyInstance): Promise<void> {
  const { invitations } = app.ctx.services;

  resource(app, '/api/invite/send-email', {
    POST: op({
      access: { permission: 'organizations.invite' },
      schema: {
        tags,
        summary: "Invite people by e-mail in a role (Enterprise's invites.send_email); 400 mail.not_configured without SMTP",
        body: SendInvitesBody,
        response: { 200: InviteResultSchema, ...errorResponses(400, 401, 403, 429) },
      },
      handler: async (request, _reply, ctx) => {
        const { emails, role, user_type: userType } = request.body;
        return presentInviteResult('Invite sent', await invitations.send(ctx, { emails, role, userType }));
      },
    }),
  });

  resource(app, '/api/invite/revoke', {
    POST: op({
      access: { permission: 'organizations.invite' },
      schema: {
        tags,
        summary: "Withdraw the pending invitation of an address (Enterprise's invites.revoke_invite): its link stops working",
        body: InviteEmailBody,
        response: { 200: InviteResultSchema, ...errorResponses(400, 401, 403) },
      },
      handler: async (request, _reply, ctx) => presentInviteResult('Invite revoked', [await invitations.revokeByEmail(ctx, request.body.email)]),
    }),
  });

  resource(app, '/api/invite/resend', {
    POST: op({
      access: { permission: 'organizations.invite' },
      schema: {
        tags,
        summary: 'E-mail the pending (or expired) invitation of an address again: a new link, a new expiry; the old link stops working',
        body: InviteEmailBody,
        response: { 200: InviteResultSchema, ...errorResponses(400, 401, 403, 429) },
      },
      handler: async (request, _reply, ctx) => presentInviteResult('Invite sent', [await invitations.resendByEmail(ctx, request.body.email)]),
    }),
  });

  resource(app, '/api/invite/invitations', {
    GET: op({
      access: { permission: 'organizations.invite' },
      schema: {
        tags,
        summary: 'E-mail invitations of the active organization, most recently sent first, with what the caller may do with each',
        querystring: InvitationListQuery,
        response: { 200: InvitationPageSchema, ...errorResponses(400, 401, 403) },
      },
      handler: async (request, _reply, ctx) => {
        const { query } = request;
        const list = await invitations.list(ctx, statusesFrom(query.status), parsePageRequest(query, PAGE_RULES));
        return {
          ...presentPage(list.entries.map(presentInvitation), list.window, request.url),
          email_enabled: list.emailEnabled,
          invitable_roles: list.invitableRoles,
        };
      },
    }),
  });
}
