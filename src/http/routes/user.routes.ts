import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { AppError } from '#src/errors.js';
import { actorOf } from '#src/http/principal.js';
import { resource } from '#src/http/resource.js';
import { errorResponses } from '#src/http/schemas/common.schema.js';
import {
  AvatarSavedSchema,
  profileChangesFrom,
  UserCreateBody,
  UserIdParams,
  UserListSchema,
  UserObjectSchema,
  UserPatchBody,
} from '#src/http/schemas/user.schema.js';
import { presentDirectoryEntry } from '#src/presenters/user-directory.presenter.js';
import { AVATAR_MAX_BYTES, type AvatarUpload } from '#src/services/avatar.service.js';

const tags = ['Users'];
const idOf = (request: FastifyRequest): number => (request.params as Static<typeof UserIdParams>).id;

/**
 * The first uploaded file, whatever its field name (Label Studio takes `request.FILES` in order). Reading stops one
 * byte past the size limit, so an oversized upload costs at most 1 MiB of memory and is still reported as too large.
 */
async function firstUploadedFile(request: FastifyRequest): Promise<AvatarUpload | undefined> {
  if (!request.isMultipart()) return undefined;
  const part = await request.file({ limits: { fileSize: AVATAR_MAX_BYTES + 1 }, throwFileSizeLimit: false });
  if (!part) return undefined;
  const data = await part.toBuffer();
  return { fileName: part.filename, contentType: part.mimetype, data, truncated: part.file.truncated };
}

/** Users API: /api/users/* including avatars (spec §5.2), and the avatar files themselves. */
export async function userRoutes(app: FastifyInstance): Promise<void> {
  const { users, avatars, access } = app.ctx.services;
  const host = app.ctx.config.host;

  resource(app, '/api/users/', {
    GET: {
      schema: {
        tags,
        summary: 'Every user of your active organization (removed members masked); never paginated',
        response: { 200: UserListSchema, ...errorResponses(401, 403) },
      },
      handler: async (request) => {
        const actor = await actorOf(app, request);
        access.authorize(actor, 'users.view');
        return (await users.listInOrganization(actor)).map((entry) => presentDirectoryEntry(entry, host));
      },
    },
    POST: {
      schema: {
        tags,
        summary: 'Create a user in your active organization (default role); with a password they can log in',
        body: UserCreateBody,
        response: { 201: UserObjectSchema, ...errorResponses(400, 401, 403) },
      },
      handler: async (request, reply) => {
        const actor = await actorOf(app, request);
        access.authorize(actor, 'users.create');
        const body = request.body as Static<typeof UserCreateBody>;
        const entry = await users.createMember(actor, {
          email: body.email,
          username: body.username,
          password: body.password,
          firstName: body.first_name,
          lastName: body.last_name,
          phone: body.phone,
          allowNewsletters: body.allow_newsletters,
          customHotkeys: body.custom_hotkeys,
        });
        reply.status(201);
        return presentDirectoryEntry(entry, host);
      },
    },
  });

  resource(app, '/api/users/:id/', {
    GET: {
      schema: { tags, summary: 'A user of your active organization', params: UserIdParams, response: { 200: UserObjectSchema, ...errorResponses(401, 403, 404) } },
      handler: async (request) => {
        const actor = await actorOf(app, request);
        access.authorize(actor, 'users.view');
        return presentDirectoryEntry(await users.findInOrganization(actor, idOf(request)), host);
      },
    },
    PATCH: {
      schema: {
        tags,
        summary: 'Update yourself, or (owners and administrators) anyone in your organization; email is read-only (405 after saving the rest)',
        params: UserIdParams,
        body: UserPatchBody,
        response: { 200: UserObjectSchema, ...errorResponses(400, 401, 403, 404, 405) },
      },
      handler: async (request) => {
        const changes = profileChangesFrom(request.body as Static<typeof UserPatchBody> | undefined);
        return presentDirectoryEntry(await users.updateInOrganization(await actorOf(app, request), idOf(request), changes), host);
      },
    },
    DELETE: {
      schema: {
        tags,
        summary: 'Delete a user for good (owner only; never an organization owner or yourself); their work stays',
        params: UserIdParams,
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404) },
      },
      handler: async (request, reply) => {
        await users.deleteFromOrganization(await actorOf(app, request), idOf(request));
        return reply.status(204).send();
      },
    },
  });

  resource(app, '/api/users/:id/avatar/', {
    POST: {
      schema: {
        tags,
        summary: 'Upload an avatar (multipart, first file; JPEG/GIF/PNG, at most 1200×1200 px and 1 MiB); no file clears it',
        params: UserIdParams,
        consumes: ['multipart/form-data'],
        response: { 200: AvatarSavedSchema, ...errorResponses(400, 401, 403, 404) },
      },
      handler: async (request) => {
        const upload = await firstUploadedFile(request);
        await avatars.replace(await actorOf(app, request), idOf(request), upload);
        return { detail: 'avatar saved' };
      },
    },
    DELETE: {
      schema: { tags, summary: 'Remove the avatar', params: UserIdParams, response: { 204: Type.Null(), ...errorResponses(401, 403, 404) } },
      handler: async (request, reply) => {
        await avatars.clear(await actorOf(app, request), idOf(request));
        return reply.status(204).send();
      },
    },
  });

  resource(app, '/data/avatars/:file', {
    GET: {
      schema: { hide: true },
      config: { auth: 'none' },
      handler: async (request, reply) => {
        const file = await avatars.read((request.params as { file: string }).file);
        if (!file) throw AppError.notFound();
        // Never let a browser treat an uploaded file as anything but the image type we name.
        reply.header('X-Content-Type-Options', 'nosniff');
        reply.header('Content-Security-Policy', "default-src 'none'; sandbox");
        reply.header('Cache-Control', 'public, max-age=86400');
        return reply.type(file.contentType).send(file.data);
      },
    },
  });
}
