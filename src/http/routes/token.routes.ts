import type { FastifyInstance } from 'fastify';
import { presentToken, presentTokenSettings } from '#src/http/presenters/token.presenter.js';
import { op, resource } from '#src/http/route.js';
import { errorResponses } from '#src/http/schemas/common.schema.js';
import {
  AccessTokenSchema,
  BlacklistBodySchema,
  JwtSettingsSchema,
  JwtSettingsUpdateSchema,
  PersonalTokenCreatedSchema,
  PersonalTokenListSchema,
  RefreshBodySchema,
  RotatedTokenSchema,
} from '#src/http/schemas/token.schema.js';

const tags = ['Tokens'];

/** Personal access tokens and JWT settings: /api/token/*, /api/jwt/settings (spec §5.5). */
export async function tokenRoutes(app: FastifyInstance): Promise<void> {
  const { personalTokens, jwtSettings } = app.ctx.services;

  resource(app, '/api/token/', {
    GET: op({
      access: { permission: 'users.token.any' },
      noStore: true,
      schema: {
        tags,
        summary: "The caller's live personal access tokens, without their signatures",
        response: { 200: PersonalTokenListSchema, ...errorResponses(401, 403) },
      },
      handler: async (_request, _reply, ctx) => (await personalTokens.listLive(ctx)).map((row) => presentToken(row.token_prefix, row)),
    }),
    POST: op({
      access: { permission: 'users.token.any' },
      noStore: true,
      schema: {
        tags,
        summary: 'Create a personal access token (one live token per user); its full value is shown only here',
        response: { 201: PersonalTokenCreatedSchema, ...errorResponses(401, 403, 409) },
      },
      handler: async (_request, reply, ctx) => {
        const issued = await personalTokens.create(ctx);
        reply.status(201);
        return presentToken(issued.token, issued.row);
      },
    }),
  });

  // Refresh and blacklist take the token itself as the credential; any Authorization header (even a stale or
  // disabled legacy key, as the SDK sends) is not read at all.
  resource(app, '/api/token/refresh/', {
    POST: op({
      access: 'public',
      noStore: true,
      schema: {
        tags,
        summary: 'Exchange a personal access token for a five-minute access token',
        security: [],
        body: RefreshBodySchema,
        response: { 200: AccessTokenSchema, ...errorResponses(400, 401) },
      },
      handler: async (request) => ({ access: await personalTokens.refresh(request.body.refresh) }),
    }),
  });

  resource(app, '/api/token/blacklist/', {
    POST: op({
      access: 'public',
      schema: {
        tags,
        summary: 'Revoke a personal access token (full, or its listed header.payload form)',
        security: [],
        body: BlacklistBodySchema,
        response: { 204: { type: 'null', description: 'Revoked' }, ...errorResponses(400, 404) },
      },
      handler: async (request, reply, ctx) => {
        await personalTokens.blacklist(ctx, request.body.refresh);
        return reply.status(204).send();
      },
    }),
  });

  resource(app, '/api/token/rotate/', {
    POST: op({
      access: { permission: 'users.token.any' },
      noStore: true,
      schema: {
        tags,
        summary: "Replace one of the caller's personal access tokens with a new one",
        body: RefreshBodySchema,
        response: { 200: RotatedTokenSchema, ...errorResponses(400, 401, 403) },
      },
      handler: async (request, _reply, ctx) => ({ refresh: (await personalTokens.rotate(ctx, request.body.refresh)).token }),
    }),
  });

  resource(app, '/api/jwt/settings', {
    GET: op({
      access: { permission: 'organizations.view' },
      schema: { tags, summary: "Token settings of the caller's active organization", response: { 200: JwtSettingsSchema, ...errorResponses(401, 403) } },
      handler: async (_request, _reply, ctx) => presentTokenSettings(await jwtSettings.get(ctx)),
    }),
    POST: op({
      access: { permission: 'organizations.token_settings' },
      schema: {
        tags,
        summary: 'Allow or refuse personal access tokens and legacy keys in the active organization (owner, administrator)',
        body: JwtSettingsUpdateSchema,
        response: { 200: JwtSettingsSchema, ...errorResponses(400, 401, 403) },
      },
      handler: async (request, _reply, ctx) =>
        presentTokenSettings(
          await jwtSettings.update(ctx, {
            apiTokensEnabled: request.body.api_tokens_enabled,
            legacyApiTokensEnabled: request.body.legacy_api_tokens_enabled,
          }),
        ),
    }),
  });
}
