import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { AppError } from '#src/errors.js';
import { op, resource } from '#src/http/route.js';
import { errorResponses } from '#src/http/schemas/common.schema.js';
import { OrganizationParams } from '#src/http/schemas/organization.schema.js';
import {
  PermissionCreateBody,
  PermissionOptionSchema,
  PermissionOverrideSchema,
  PermissionParams,
  PermissionUpdateBody,
} from '#src/http/schemas/permission.schema.js';
import { permissionOptions, type PermissionOption, type PermissionOverride } from '#src/services/permission.service.js';

const tags = ['Permissions'];
const NAMED = { param: 'id', outsiders: 'forbidden' } as const;
const VIEW = { permission: 'permissions.view', organization: NAMED } as const;
const CHANGE = { permission: 'permissions.change', organization: NAMED } as const;

function presentOption(option: PermissionOption): Static<typeof PermissionOptionSchema> {
  return { permission: option.permission, default: [...option.default], options: [...option.options], label: option.label, group: option.group, tooltip: option.tooltip };
}

function presentOverride(override: PermissionOverride): Static<typeof PermissionOverrideSchema> {
  return { id: override.id, organization: override.organizationId, ...presentOption(override), roles: [...override.roles] };
}

/** Customizable permissions: /api/organizations/{id}/permissions[/options|/{key}] (Enterprise's paths, no slashes). */
export async function permissionRoutes(app: FastifyInstance): Promise<void> {
  const { permissions } = app.ctx.services;

  resource(app, '/api/organizations/:id/permissions', {
    GET: op({
      access: VIEW,
      schema: { tags, summary: 'The overrides this organization has (an empty array: every permission at its default)', params: OrganizationParams, response: { 200: Type.Array(PermissionOverrideSchema), ...errorResponses(401, 403, 404) } },
      handler: async (_request, _reply, ctx) => (await permissions.list(ctx)).map(presentOverride),
    }),
    POST: op({
      access: CHANGE,
      schema: { tags, summary: 'Customize a permission: which roles hold it (the owner always does)', params: OrganizationParams, body: PermissionCreateBody, response: { 200: PermissionOverrideSchema, ...errorResponses(400, 401, 403, 404) } },
      handler: async (request, _reply, ctx) => presentOverride(await permissions.create(ctx, request.body.permission, request.body.roles)),
    }),
  });

  resource(app, '/api/organizations/:id/permissions/options', {
    GET: op({
      access: VIEW,
      schema: { tags, summary: 'The configurable permissions: default roles and the roles each may be given', params: OrganizationParams, response: { 200: Type.Array(PermissionOptionSchema), ...errorResponses(401, 403, 404) } },
      handler: async () => permissionOptions().map(presentOption),
    }),
  });

  resource(app, '/api/organizations/:id/permissions/reset', {
    POST: op({
      access: CHANGE,
      schema: { tags, summary: 'Reset every permission to its default', params: OrganizationParams, response: { 204: { type: 'null', description: 'Reset' }, ...errorResponses(401, 403, 404) } },
      handler: async (_request, reply, ctx) => {
        await permissions.resetAll(ctx);
        return reply.status(204).send();
      },
    }),
  });

  const update = op({
    access: CHANGE,
    schema: { tags, summary: "Change a customized permission's roles", params: PermissionParams, body: PermissionUpdateBody, response: { 200: PermissionOverrideSchema, ...errorResponses(400, 401, 403, 404) } },
    handler: async (request, _reply, ctx) => {
      const { key } = request.params;
      if (request.body.permission !== undefined && request.body.permission !== key) {
        throw AppError.validation({ permission: ['The permission in the body must be the one in the path.'] });
      }
      return presentOverride(await permissions.update(ctx, key, request.body.roles));
    },
  });
  resource(app, '/api/organizations/:id/permissions/:key', {
    GET: op({
      access: VIEW,
      schema: { tags, summary: 'One customized permission (404 while it is at its default)', params: PermissionParams, response: { 200: PermissionOverrideSchema, ...errorResponses(401, 403, 404) } },
      handler: async (request, _reply, ctx) => presentOverride(await permissions.get(ctx, request.params.key)),
    }),
    PUT: update,
    PATCH: update,
    DELETE: op({
      access: CHANGE,
      schema: { tags, summary: 'Reset one permission to its default', params: PermissionParams, response: { 204: { type: 'null', description: 'Reset' }, ...errorResponses(401, 403, 404) } },
      handler: async (request, reply, ctx) => {
        await permissions.reset(ctx, request.params.key);
        return reply.status(204).send();
      },
    }),
  });
}
