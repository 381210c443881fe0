import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { principalOf } from '#src/http/principal.js';
import { resource } from '#src/http/resource.js';
import { errorResponses } from '#src/http/schemas/common.schema.js';
import { WhoAmISchema } from '#src/http/schemas/user.schema.js';
import { labelStudioPermissionsFor } from '#src/policies/permissions.js';
import { presentUser } from '#src/presenters/user.presenter.js';

const TokenSchema = Type.Object({ token: Type.String() });

/** Current user: /api/current-user/* (spec §5.3). */
export async function currentUserRoutes(app: FastifyInstance): Promise<void> {
  const { users, legacyTokens, access } = app.ctx.services;

  resource(app, '/api/current-user/whoami', {
    GET: {
      schema: { tags: ['Current user'], summary: 'The authenticated user, with permissions', response: { 200: WhoAmISchema, ...errorResponses(401) } },
      handler: async (request) => {
        const { user } = principalOf(request);
        const [organizationMeta, role] = await Promise.all([users.organizationMeta(user), access.roleOf(user)]);
        return { ...presentUser(user, { organizationMeta, host: app.ctx.config.host }), permissions: labelStudioPermissionsFor(role) };
      },
    },
  });

  resource(app, '/api/current-user/token', {
    GET: {
      schema: { tags: ['Current user'], summary: "The user's legacy API token", response: { 200: TokenSchema, ...errorResponses(401) } },
      handler: async (request) => ({ token: await legacyTokens.reveal(principalOf(request).user.id) }),
    },
  });

  resource(app, '/api/current-user/reset-token/', {
    POST: {
      schema: {
        tags: ['Current user'],
        summary: 'Replace the legacy API token; the old one stops working at once',
        response: { 201: TokenSchema, ...errorResponses(401) },
      },
      handler: async (request, reply) => {
        reply.status(201);
        return { token: await legacyTokens.issue(principalOf(request).user.id) };
      },
    },
  });
}
