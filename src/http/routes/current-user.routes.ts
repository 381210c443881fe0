import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from '@sinclair/typebox';
import { BodyMemo } from '#src/http/presenters/body-memo.js';
import { presentUser, presentWhoAmI } from '#src/http/presenters/user.presenter.js';
import { JSON_TYPE, op, resource } from '#src/http/route.js';
import { errorResponses } from '#src/http/schemas/common.schema.js';
import { HotkeysBodyDoc, HotkeysInvalidSchema, HotkeysQuery, HotkeysSchema } from '#src/http/schemas/hotkeys.schema.js';
import { profileChangesFrom, UserObjectSchema, UserPatchBody, WhoAmISchema } from '#src/http/schemas/user.schema.js';
import type { UserRow } from '#src/storage/schema.js';

const TokenSchema = Type.Object({ token: Type.String() });
const tags = ['Current user'];

/** `?project=` as sent; with repeats, the last one counts (as Django's QueryDict.get). */
function projectParam(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[value.length - 1] : value;
}

/** Current user: /api/current-user/* (spec §5.3). */
export async function currentUserRoutes(app: FastifyInstance): Promise<void> {
  const { profiles, legacyTokens, hotkeys } = app.ctx.services;
  const host = app.ctx.config.server.host;
  const whoAmIBodies = new BodyMemo<UserRow>();

  resource(app, '/api/current-user/whoami', {
    GET: op({
      access: { permission: 'account.view' },
      schema: { tags, summary: 'The authenticated user, with their memberships and permissions', response: { 200: WhoAmISchema, ...errorResponses(401, 403) } },
      handler: async (_request, reply, ctx) => {
        const { user, organizationMeta, memberships, overrides, disabled } = await profiles.own(ctx);
        // Every page of the web app asks: the body is serialized once per change of what it shows, not per request.
        // The route's own serializer makes it, so the body is the same as if it were sent as an object.
        const plain: FastifyReply = reply;
        const body = whoAmIBodies.body(user, [organizationMeta, memberships, overrides, disabled], () =>
          String(plain.serializeInput(presentWhoAmI(user, memberships, overrides, disabled, { organizationMeta, host }), '200')),
        );
        return plain.type(JSON_TYPE).send(body);
      },
    }),
  });

  resource(app, '/api/current-user/token', {
    GET: op({
      access: { permission: 'account.view' },
      noStore: true,
      schema: { tags, summary: "The user's legacy API token", response: { 200: TokenSchema, ...errorResponses(401, 403) } },
      handler: async (_request, _reply, ctx) => ({ token: await legacyTokens.reveal(ctx, ctx.actor.user.id) }),
    }),
  });

  resource(app, '/api/current-user/reset-token/', {
    POST: op({
      access: { permission: 'account.change' },
      noStore: true,
      schema: {
        tags,
        summary: 'Replace the legacy API token; the old one stops working at once',
        response: { 201: TokenSchema, ...errorResponses(401, 403) },
      },
      handler: async (_request, reply, ctx) => {
        reply.status(201);
        return { token: await legacyTokens.reset(ctx) };
      },
    }),
  });

  resource(app, '/api/current-user', {
    GET: op({
      access: { permission: 'account.view' },
      schema: { tags, summary: 'Your own user object', response: { 200: UserObjectSchema, ...errorResponses(401, 403) } },
      handler: async (_request, _reply, ctx) => {
        const { user, organizationMeta } = await profiles.own(ctx);
        return presentUser(user, { organizationMeta, host });
      },
    }),
    PATCH: op({
      access: { permission: 'account.change' },
      schema: {
        tags,
        summary: 'Update your own profile; email is read-only (405 after saving the rest)',
        body: UserPatchBody,
        response: { 200: UserObjectSchema, ...errorResponses(400, 401, 403, 405) },
      },
      handler: async (request, _reply, ctx) => {
        const { user, organizationMeta } = await profiles.updateSelf(ctx, profileChangesFrom(request.body));
        return presentUser(user, { organizationMeta, host });
      },
    }),
  });

  resource(app, '/api/current-user/hotkeys/', {
    GET: op({
      access: { permission: 'account.view' },
      schema: {
        tags,
        summary: 'Your hotkeys: the account map, or your override for ?project= ({} when none)',
        querystring: HotkeysQuery,
        response: { 200: HotkeysSchema, ...errorResponses(400, 401, 403, 404, 500) },
      },
      handler: async (request, _reply, ctx) => ({ custom_hotkeys: await hotkeys.get(ctx, projectParam(request.query.project)) }),
    }),
    PATCH: op({
      access: { permission: 'account.change' },
      schema: {
        tags,
        summary: 'Replace your hotkey map, or your override for ?project= ({} removes the override)',
        querystring: HotkeysQuery,
        body: HotkeysBodyDoc,
        response: {
          200: HotkeysSchema,
          400: Type.Union([Type.Ref('ErrorEnvelope'), HotkeysInvalidSchema]),
          ...errorResponses(401, 403, 404, 500),
        },
      },
      handler: async (request, _reply, ctx) => ({
        custom_hotkeys: await hotkeys.replace(ctx, request.body, projectParam(request.query.project)),
      }),
    }),
  });
}
