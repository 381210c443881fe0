import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { AppError } from '#src/errors.js';
import { actorOf } from '#src/http/principal.js';
import { resource } from '#src/http/resource.js';
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
import { presentDateTime } from '#src/presenters/datetime.presenter.js';
import type { TokenSettings } from '#src/services/jwt-settings.service.js';
import type { PersonalAccessTokenRow } from '#src/storage/schema.js';

const TAGS = ['Tokens'];

function presentToken(token: string, row: PersonalAccessTokenRow) {
  return {
    token,
    created_at: presentDateTime(row.created_at),
    expires_at: presentDateTime(row.expires_at),
  };
}

function presentSettings(settings: TokenSettings) {
  return {
    api_tokens_enabled: settings.apiTokensEnabled,
    legacy_api_tokens_enabled: settings.legacyApiTokensEnabled,
    api_token_ttl_days: settings.apiTokenTtlDays,
  };
}

/** Personal access tokens and JWT settings: /api/token/*, /api/jwt/settings (spec §5.5). */
export async function tokenRoutes(app: FastifyInstance): Promise<void> {
  const { access, personalTokens, jwtSettings } = app.ctx.services;

  resource(app, '/api/token/', {
    GET: {
      schema: {
        tags: TAGS,
        summary: "The caller's live personal access tokens, without their signatures",
        response: { 200: PersonalTokenListSchema, ...errorResponses(401, 403) },
      },
      handler: async (request) => {
        const actor = await actorOf(app, request);
        access.authorize(actor, 'tokens.own');
        const rows = await personalTokens.listLive(actor.user.id);
        return rows.map((row) => presentToken(row.token_prefix, row));
      },
    },
    POST: {
      schema: {
        tags: TAGS,
        summary: 'Create a personal access token (one live token per user); its full value is shown only here',
        response: { 201: PersonalTokenCreatedSchema, ...errorResponses(401, 403, 409) },
      },
      handler: async (request, reply) => {
        const actor = await actorOf(app, request);
        access.authorize(actor, 'tokens.own');
        const issued = await personalTokens.create(actor.user);
        reply.status(201);
        return presentToken(issued.token, issued.row);
      },
    },
  });

  // Refresh and blacklist take the token itself as the credential; any Authorization header (even a stale or
  // disabled legacy key, as the SDK sends) is not read at all.
  resource(app, '/api/token/refresh/', {
    POST: {
      config: { auth: 'none' },
      schema: {
        tags: TAGS,
        summary: 'Exchange a personal access token for a five-minute access token',
        security: [],
        body: RefreshBodySchema,
        response: { 200: AccessTokenSchema, ...errorResponses(400, 401) },
      },
      handler: async (request) => {
        const { refresh } = request.body as Static<typeof RefreshBodySchema>;
        return { access: await personalTokens.refresh(refresh) };
      },
    },
  });

  resource(app, '/api/token/blacklist/', {
    POST: {
      config: { auth: 'none' },
      schema: {
        tags: TAGS,
        summary: 'Revoke a personal access token (full, or its listed header.payload form)',
        security: [],
        body: BlacklistBodySchema,
        response: { 204: { type: 'null', description: 'Revoked' }, ...errorResponses(400, 404) },
      },
      handler: async (request, reply) => {
        const { refresh } = request.body as Static<typeof BlacklistBodySchema>;
        await personalTokens.blacklist(refresh);
        return reply.status(204).send();
      },
    },
  });

  resource(app, '/api/token/rotate/', {
    POST: {
      schema: {
        tags: TAGS,
        summary: "Replace one of the caller's personal access tokens with a new one",
        body: RefreshBodySchema,
        response: { 200: RotatedTokenSchema, ...errorResponses(400, 401, 403) },
      },
      handler: async (request) => {
        const { refresh } = request.body as Static<typeof RefreshBodySchema>;
        const actor = await actorOf(app, request);
        access.authorize(actor, 'tokens.own');
        const issued = await personalTokens.rotate(actor.user, refresh);
        return { refresh: issued.token };
      },
    },
  });

  resource(app, '/api/jwt/settings', {
    GET: {
      schema: {
        tags: TAGS,
        summary: "Token settings of the caller's active organization",
        response: { 200: JwtSettingsSchema, ...errorResponses(401, 403) },
      },
      handler: async (request) => {
        const actor = await actorOf(app, request);
        access.authorize(actor, 'organization.view');
        return presentSettings(await jwtSettings.get(actor.organizationId));
      },
    },
    POST: {
      schema: {
        tags: TAGS,
        summary: 'Allow or refuse personal access tokens and legacy keys in the active organization (owner, administrator)',
        body: JwtSettingsUpdateSchema,
        response: { 200: JwtSettingsSchema, ...errorResponses(400, 401, 403) },
      },
      handler: async (request) => {
        const body = request.body as Static<typeof JwtSettingsUpdateSchema>;
        const actor = await actorOf(app, request);
        access.authorize(actor, 'organization.token_settings');
        const settings = await jwtSettings.update(actor.organizationId, {
          apiTokensEnabled: body.api_tokens_enabled,
          legacyApiTokensEnabled: body.legacy_api_tokens_enabled,
        });
        return presentSettings(settings);
      },
    },
  });
}
