import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { presentInvite, presentOrganization, presentOrganizationListItem } from '#src/http/presenters/organization.presenter.js';
import { op, resource } from '#src/http/route.js';
import { membershipRoutes } from '#src/http/routes/membership.routes.js';
import { permissionRoutes } from '#src/http/routes/permission.routes.js';
import { errorResponses } from '#src/http/schemas/common.schema.js';
import {
  DefaultRoleBody,
  DefaultRoleSchema,
  InviteSchema,
  OrganizationCreateBody,
  OrganizationListItemSchema,
  OrganizationParams,
  OrganizationPatchSchema,
  OrganizationSchema,
} from '#src/http/schemas/organization.schema.js';

const tags = ['Organizations'];
/** The organization named by `{id}`; callers who are not members of it get 403. */
const NAMED = { param: 'id', outsiders: 'forbidden' } as const;

/** Organizations, memberships and invites: /api/organizations/*, /api/invite* (spec §5.4). */
export async function organizationRoutes(app: FastifyInstance): Promise<void> {
  const { organizations } = app.ctx.services;

  resource(app, '/api/organizations/', {
    GET: op({
      access: { permission: 'organizations.view' },
      schema: {
        tags,
        summary: 'Organizations where the caller is a member (a bare array)',
        response: { 200: Type.Array(OrganizationListItemSchema), ...errorResponses(401, 403) },
      },
      handler: async (_request, _reply, ctx) => (await organizations.listForUser(ctx.actor.user.id)).map(presentOrganizationListItem),
    }),
    POST: op({
      access: { permission: 'organizations.create' },
      schema: {
        tags,
        summary: 'Create an organization of your own (you become its owner and move into it), where the server allows it',
        body: OrganizationCreateBody,
        response: { 201: OrganizationListItemSchema, ...errorResponses(400, 401, 403) },
      },
      handler: async (request, reply, ctx) => {
        const organization = await organizations.createForMember(ctx, request.body.title);
        reply.status(201);
        return presentOrganizationListItem(organization);
      },
    }),
  });

  resource(app, '/api/organizations/:id/set-default-role', {
    PATCH: op({
      access: { permission: 'organizations.change', organization: NAMED },
      schema: {
        tags,
        summary: "The role invite-link sign-ups get (Enterprise's update_default_role); NO makes them wait for approval",
        params: OrganizationParams,
        body: DefaultRoleBody,
        response: { 200: DefaultRoleSchema, ...errorResponses(400, 401, 403, 404) },
      },
      handler: async (request, _reply, ctx) => {
        const organization = await organizations.setDefaultRole(ctx, request.body.default_role);
        return { organization: organization.id, default_role: organization.default_role };
      },
    }),
  });

  resource(app, '/api/organizations/:id', {
    GET: op({
      access: { permission: 'organizations.view', organization: NAMED },
      noStore: true,
      schema: {
        tags,
        summary: 'One organization; the invite token only for members allowed to invite',
        params: OrganizationParams,
        response: { 200: OrganizationSchema, ...errorResponses(400, 401, 403, 404) },
      },
      handler: async (_request, _reply, ctx) => presentOrganization(await organizations.detail(ctx)),
    }),
    PATCH: op({
      access: { permission: 'organizations.change', organization: NAMED },
      noStore: true,
      schema: {
        tags,
        summary: 'Change title or contact e-mail (owner and administrators)',
        params: OrganizationParams,
        body: OrganizationPatchSchema,
        response: { 200: OrganizationSchema, ...errorResponses(400, 401, 403, 404) },
      },
      handler: async (request, _reply, ctx) =>
        presentOrganization(await organizations.update(ctx, { title: request.body.title, contactInfo: request.body.contact_info })),
    }),
  });

  resource(app, '/api/invite', {
    GET: op({
      access: { permission: 'organizations.invite' },
      noStore: true,
      schema: { tags, summary: "The active organization's invite link", response: { 200: InviteSchema, ...errorResponses(401, 403) } },
      handler: async (_request, _reply, ctx) => presentInvite(await organizations.inviteToken(ctx)),
    }),
  });

  resource(app, '/api/invite/reset-token', {
    POST: op({
      access: { permission: 'organizations.invite' },
      noStore: true,
      schema: {
        tags,
        summary: 'Replace the invite token; links with the old one stop working',
        response: { 201: InviteSchema, ...errorResponses(401, 403) },
      },
      handler: async (_request, reply, ctx) => {
        const token = await organizations.resetInviteToken(ctx);
        reply.status(201);
        return presentInvite(token);
      },
    }),
  });

  await membershipRoutes(app);
  await permissionRoutes(app);
}
