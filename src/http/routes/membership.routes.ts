import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { parseBooleanParam, parsePageRequest } from '#src/domain/pagination.js';
import { memberFilterFrom } from '#src/http/member-filters.js';
import { presentMemberDetail, presentMemberListItem } from '#src/http/presenters/membership.presenter.js';
import { presentPage, streamPage } from '#src/http/presenters/pagination.presenter.js';
import { MEMBER_CHUNK_SIZE, type MemberListEntry } from '#src/services/membership.service.js';
import { JSON_TYPE, op, resource } from '#src/http/route.js';
import { errorResponses } from '#src/http/schemas/common.schema.js';
import {
  DetailOnlySchema,
  MemberDetailQuery,
  MemberDetailSchema,
  MemberListItemSchema,
  MemberListQuery,
  MemberRoleBody,
  MemberPageSchema,
  MemberParams,
  OrganizationParams,
  TransferBody,
} from '#src/http/schemas/organization.schema.js';

const tags = ['Organizations'];

/** Label Studio's memberships page size; `page_size=-1` (and anything larger) means everyone, as a million. */
const MEMBER_PAGE_RULES = { defaultSize: 20, maxSize: 1_000_000, unlimitedSize: 1_000_000 };

/** Members of an organization: /api/organizations/{id}/memberships[/{user_id}/] (spec §5.4). */
export async function membershipRoutes(app: FastifyInstance): Promise<void> {
  const { memberships, lifecycle } = app.ctx.services;
  const host = app.ctx.config.server.host;

  resource(app, '/api/organizations/:id/memberships', {
    GET: op({
      // Outsiders (removed members included) learn nothing about the organization: 404.
      access: { permission: 'members.view', organization: { param: 'id', outsiders: 'not_found' } },
      schema: {
        tags,
        summary: 'Members of the organization, paginated; removed members are shown as "Deleted User"',
        params: OrganizationParams,
        querystring: MemberListQuery,
        response: { 200: MemberPageSchema, ...errorResponses(400, 401, 403, 404) },
      },
      handler: async (request, reply, ctx) => {
        const { query } = request;
        const options = {
          page: parsePageRequest(query, MEMBER_PAGE_RULES),
          filter: memberFilterFrom(query),
          ordering: query.ordering,
          withProjects: parseBooleanParam(query.contributed_to_projects, 'contributed_to_projects') ?? false,
        };
        const present = (entry: MemberListEntry) => presentMemberListItem(entry, host);
        if (options.page.pageSize > MEMBER_CHUNK_SIZE) {
          // Everyone (`page_size=-1`) or any large page: streamed chunk by chunk, never built in memory.
          const { window, chunks } = await memberships.listChunks(ctx, options);
          // The same JSON the schema describes, written as it is read (a stream skips the serializer).
          const plain: FastifyReply = reply;
          return plain.type(JSON_TYPE).send(Readable.from(streamPage(chunks, present, window, request.url)));
        }
        const { window, entries } = await memberships.list(ctx, options);
        return presentPage(entries.map(present), window, request.url);
      },
    }),
    PATCH: op({
      access: { permission: 'members.change_role', organization: { param: 'id', outsiders: 'forbidden' } },
      schema: {
        tags,
        summary: "Change a member's role (Enterprise's members.update): DI deactivates, an active role reactivates or approves",
        params: OrganizationParams,
        body: MemberRoleBody,
        response: { 200: MemberListItemSchema, ...errorResponses(400, 401, 403, 404) },
      },
      handler: async (request, _reply, ctx) => presentMemberListItem(await lifecycle.changeRole(ctx, request.body.user_id, request.body.role), host),
    }),
  });

  resource(app, '/api/organizations/:id/transfer-ownership', {
    POST: op({
      access: { permission: 'organizations.transfer', organization: { param: 'id', outsiders: 'forbidden' } },
      schema: {
        tags,
        summary: 'Hand the organization to another active member (owner only); the old owner becomes an administrator',
        params: OrganizationParams,
        body: TransferBody,
        response: { 200: MemberListItemSchema, ...errorResponses(400, 401, 403, 404) },
      },
      handler: async (request, _reply, ctx) => presentMemberListItem(await lifecycle.transferOwnership(ctx, request.body.user_id), host),
    }),
  });

  resource(app, '/api/organizations/:id/leave', {
    POST: op({
      access: { permission: 'organizations.view', organization: { param: 'id', outsiders: 'not_found' } },
      schema: {
        tags,
        summary: 'Leave the organization (the owner must transfer ownership first)',
        params: OrganizationParams,
        response: { 204: { type: 'null', description: 'Left' }, ...errorResponses(401, 403, 404) },
      },
      handler: async (_request, reply, ctx) => {
        await lifecycle.leave(ctx);
        return reply.status(204).send();
      },
    }),
  });

  const member = { param: 'id', outsiders: 'forbidden' } as const;
  resource(app, '/api/organizations/:id/memberships/:user_id', {
    GET: op({
      access: { permission: 'members.view', organization: member },
      schema: {
        tags,
        summary: "One member's contributions to the organization",
        params: MemberParams,
        querystring: MemberDetailQuery,
        response: { 200: MemberDetailSchema, ...errorResponses(400, 401, 403, 404) },
      },
      handler: async (request, _reply, ctx) => {
        const withProjects = parseBooleanParam(request.query.contributed_to_projects, 'contributed_to_projects') ?? false;
        return presentMemberDetail(await memberships.detail(ctx, request.params.user_id, withProjects));
      },
    }),
    DELETE: op({
      access: { permission: 'members.delete', organization: member },
      schema: {
        tags,
        summary: 'Remove a member (soft delete; owner only). Removing yourself answers 405.',
        params: MemberParams,
        response: { 204: { type: 'null', description: 'Removed' }, 405: DetailOnlySchema, ...errorResponses(401, 403, 404) },
      },
      handler: async (request, reply, ctx) => {
        await lifecycle.remove(ctx, request.params.user_id);
        return reply.status(204).send();
      },
    }),
  });
}
