import type { FastifyInstance } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { parseBooleanParam, parsePageRequest } from '#src/domain/pagination.js';
import { principalOf } from '#src/http/principal.js';
import { resource } from '#src/http/resource.js';
import { errorResponses } from '#src/http/schemas/common.schema.js';
import {
  DetailOnlySchema,
  MemberDetailQuery,
  MemberDetailSchema,
  MemberListQuery,
  MemberPageSchema,
  MemberParams,
  OrganizationParams,
} from '#src/http/schemas/organization.schema.js';
import { presentMemberDetail, presentMemberListItem } from '#src/presenters/membership.presenter.js';
import { presentPage } from '#src/presenters/pagination.presenter.js';

const tags = ['Organizations'];

/** Label Studio's memberships page size, and what `page_size=-1` ("everyone") stands for. */
const MEMBER_PAGE_RULES = { defaultSize: 20, unlimitedSize: 1_000_000 };

/** Members of an organization: /api/organizations/{id}/memberships[/{user_id}/] (spec §5.4). */
export async function membershipRoutes(app: FastifyInstance): Promise<void> {
  const { organizations, memberships, access } = app.ctx.services;
  const host = app.ctx.config.host;

  resource(app, '/api/organizations/:id/memberships', {
    GET: {
      schema: {
        tags,
        summary: 'Members of the organization, paginated; removed members are shown as "Deleted User"',
        params: OrganizationParams,
        querystring: MemberListQuery,
        response: { 200: MemberPageSchema, ...errorResponses(400, 401, 403, 404) },
      },
      handler: async (request) => {
        const { id } = request.params as Static<typeof OrganizationParams>;
        const query = request.query as Static<typeof MemberListQuery>;
        // Outsiders (removed members included) learn nothing about the organization: 404.
        const actor = await organizations.actorIn(principalOf(request).user, id, 'not_found');
        access.authorize(actor, 'members.view');
        const { window, entries } = await memberships.list(actor, {
          page: parsePageRequest(query, MEMBER_PAGE_RULES),
          search: query.search,
          ordering: query.ordering,
          withProjects: parseBooleanParam(query.contributed_to_projects, 'contributed_to_projects') ?? false,
        });
        return presentPage(
          entries.map((entry) => presentMemberListItem(entry, host)),
          window,
          request.url,
        );
      },
    },
  });

  resource(app, '/api/organizations/:id/memberships/:user_id', {
    GET: {
      schema: {
        tags,
        summary: "One member's contributions to the organization",
        params: MemberParams,
        querystring: MemberDetailQuery,
        response: { 200: MemberDetailSchema, ...errorResponses(400, 401, 403, 404) },
      },
      handler: async (request) => {
        const { id, user_id: userId } = request.params as Static<typeof MemberParams>;
        const query = request.query as Static<typeof MemberDetailQuery>;
        const actor = await organizations.actorIn(principalOf(request).user, id, 'forbidden');
        access.authorize(actor, 'members.view');
        const withProjects = parseBooleanParam(query.contributed_to_projects, 'contributed_to_projects') ?? false;
        return presentMemberDetail(await memberships.detail(actor, userId, withProjects));
      },
    },
    DELETE: {
      schema: {
        tags,
        summary: 'Remove a member (soft delete; owner only). Removing yourself answers 405.',
        params: MemberParams,
        response: { 204: { type: 'null', description: 'Removed' }, 405: DetailOnlySchema, ...errorResponses(401, 403, 404) },
      },
      handler: async (request, reply) => {
        const { id, user_id: userId } = request.params as Static<typeof MemberParams>;
        const actor = await organizations.actorIn(principalOf(request).user, id, 'forbidden');
        access.authorize(actor, 'members.delete');
        if ((await memberships.remove(actor, userId)) === 'self') {
          return reply.status(405).send({ detail: 'User cannot soft delete self' });
        }
        return reply.status(204).send();
      },
    },
  });
}
