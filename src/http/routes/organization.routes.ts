import type { FastifyInstance } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import { actorOf, principalOf } from '#src/http/principal.js';
import { resource } from '#src/http/resource.js';
import { membershipRoutes } from '#src/http/routes/membership.routes.js';
import { errorResponses } from '#src/http/schemas/common.schema.js';
import {
  InviteSchema,
  OrganizationListItemSchema,
  OrganizationParams,
  OrganizationPatchSchema,
  OrganizationSchema,
} from '#src/http/schemas/organization.schema.js';
import { presentInvite, presentOrganization, presentOrganizationListItem } from '#src/presenters/organization.presenter.js';

const tags = ['Organizations'];

/** Organizations, memberships and invites: /api/organizations/*, /api/invite* (spec §5.4). */
export async function organizationRoutes(app: FastifyInstance): Promise<void> {
  const { organizations, access } = app.ctx.services;

  resource(app, '/api/organizations/', {
    GET: {
      schema: {
        tags,
        summary: 'Organizations where the caller is a member (a bare array)',
        response: { 200: Type.Array(OrganizationListItemSchema), ...errorResponses(401) },
      },
      handler: async (request) => (await organizations.listForUser(principalOf(request).user.id)).map(presentOrganizationListItem),
    },
  });

  resource(app, '/api/organizations/:id', {
    GET: {
      schema: {
        tags,
        summary: 'One organization; the invite token only for members allowed to invite',
        params: OrganizationParams,
        response: { 200: OrganizationSchema, ...errorResponses(400, 401, 403, 404) },
      },
      handler: async (request) => {
        const { id } = request.params as Static<typeof OrganizationParams>;
        const actor = await organizations.actorIn(principalOf(request).user, id, 'forbidden');
        access.authorize(actor, 'organization.view');
        const { organization, userIds } = await organizations.detail(id);
        return presentOrganization(organization, userIds, access.can(actor, 'organization.invite'));
      },
    },
    PATCH: {
      schema: {
        tags,
        summary: 'Change title or contact e-mail (owner and administrators)',
        params: OrganizationParams,
        body: OrganizationPatchSchema,
        response: { 200: OrganizationSchema, ...errorResponses(400, 401, 403, 404) },
      },
      handler: async (request) => {
        const { id } = request.params as Static<typeof OrganizationParams>;
        const body = request.body as Static<typeof OrganizationPatchSchema>;
        const actor = await organizations.actorIn(principalOf(request).user, id, 'forbidden');
        access.authorize(actor, 'organization.change');
        const { organization, userIds } = await organizations.update(id, { title: body.title, contactInfo: body.contact_info });
        return presentOrganization(organization, userIds, access.can(actor, 'organization.invite'));
      },
    },
  });

  resource(app, '/api/invite', {
    GET: {
      schema: {
        tags,
        summary: "The active organization's invite link",
        response: { 200: InviteSchema, ...errorResponses(401, 403) },
      },
      handler: async (request) => {
        const actor = await actorOf(app, request);
        access.authorize(actor, 'organization.invite');
        return presentInvite(await organizations.inviteToken(actor.organizationId));
      },
    },
  });

  resource(app, '/api/invite/reset-token', {
    POST: {
      schema: {
        tags,
        summary: 'Replace the invite token; links with the old one stop working',
        response: { 201: InviteSchema, ...errorResponses(401, 403) },
      },
      handler: async (request, reply) => {
        const actor = await actorOf(app, request);
        access.authorize(actor, 'organization.invite');
        const token = await organizations.resetInviteToken(actor.organizationId);
        reply.status(201);
        return presentInvite(token);
      },
    },
  });

  await membershipRoutes(app);
}
