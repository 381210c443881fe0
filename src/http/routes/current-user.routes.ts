import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { principalOf } from '#src/http/principal.js';
import { resource } from '#src/http/resource.js';
import { errorResponses } from '#src/http/schemas/common.schema.js';
import { HotkeysBodyDoc, HotkeysInvalidSchema, HotkeysQuery, HotkeysSchema } from '#src/http/schemas/hotkeys.schema.js';
import { profileChangesFrom, UserObjectSchema, UserPatchBody, WhoAmISchema } from '#src/http/schemas/user.schema.js';
import { labelStudioPermissionsFor } from '#src/policies/permissions.js';
import { presentUser } from '#src/presenters/user.presenter.js';

const TokenSchema = Type.Object({ token: Type.String() });
const hotkeysTags = ['Current user'];

/** `?project=` as sent; with repeats, the last one counts (as Django's QueryDict.get). */
function projectParam(request: FastifyRequest): string | undefined {
  const value = (request.query as Record<string, unknown> | undefined)?.project;
  const last = Array.isArray(value) ? value[value.length - 1] : value;
  return last === undefined ? undefined : String(last);
}

/** Current user: /api/current-user/* (spec §5.3). */
export async function currentUserRoutes(app: FastifyInstance): Promise<void> {
  const { users, legacyTokens, hotkeys, access } = app.ctx.services;
  const host = app.ctx.config.host;

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

  resource(app, '/api/current-user', {
    GET: {
      schema: { tags: ['Current user'], summary: 'Your own user object', response: { 200: UserObjectSchema, ...errorResponses(401) } },
      handler: async (request) => {
        const { user } = principalOf(request);
        return presentUser(user, { organizationMeta: await users.organizationMeta(user), host });
      },
    },
    PATCH: {
      schema: {
        tags: ['Current user'],
        summary: 'Update your own profile; email is read-only (405 after saving the rest)',
        body: UserPatchBody,
        response: { 200: UserObjectSchema, ...errorResponses(400, 401, 405) },
      },
      handler: async (request) => {
        const changes = profileChangesFrom(request.body as Static<typeof UserPatchBody> | undefined);
        const user = await users.updateSelf(principalOf(request).user, changes);
        return presentUser(user, { organizationMeta: await users.organizationMeta(user), host });
      },
    },
  });

  resource(app, '/api/current-user/hotkeys/', {
    GET: {
      schema: {
        tags: hotkeysTags,
        summary: 'Your hotkeys: the account map, or your override for ?project= ({} when none)',
        querystring: HotkeysQuery,
        response: { 200: HotkeysSchema, ...errorResponses(400, 401, 403, 404, 500) },
      },
      handler: async (request) => ({ custom_hotkeys: await hotkeys.get(principalOf(request).user, projectParam(request)) }),
    },
    PATCH: {
      schema: {
        tags: hotkeysTags,
        summary: 'Replace your hotkey map, or your override for ?project= ({} removes the override)',
        querystring: HotkeysQuery,
        body: HotkeysBodyDoc,
        response: {
          200: HotkeysSchema,
          400: Type.Union([Type.Ref('ErrorEnvelope'), HotkeysInvalidSchema]),
          ...errorResponses(401, 403, 404, 500),
        },
      },
      handler: async (request, reply) => {
        const result = await hotkeys.replace(principalOf(request).user, request.body, projectParam(request));
        if (!result.ok) return reply.status(400).send({ error: 'Invalid hotkeys configuration', details: result.details });
        return { custom_hotkeys: result.customHotkeys };
      },
    },
  });
}
