import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from '@sinclair/typebox';
import { AppError } from '#src/errors.js';
import { presentDirectoryEntry } from '#src/http/presenters/user-directory.presenter.js';
import { JSON_TYPE, op, resource } from '#src/http/route.js';
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

const tags = ['Users'];

/** Users API: /api/users/* including avatars (spec §5.2), and the avatar files themselves. */
export async function userRoutes(app: FastifyInstance): Promise<void> {
  const { members, profiles, avatars } = app.ctx.services;
  const host = app.ctx.config.server.host;

  resource(app, '/api/users/', {
    GET: op({
      access: { permission: 'users.view' },
      schema: {
        tags,
        summary: 'Every user of your active organization (removed members masked); never paginated',
        response: { 200: UserListSchema, ...errorResponses(401, 403) },
      },
      handler: async (_request, reply, ctx) => {
        const chunks = members.list(ctx);
        async function* json(): AsyncGenerator<string> {
          yield '[';
          let first = true;
          for await (const chunk of chunks) {
            const text = chunk.map((entry) => JSON.stringify(presentDirectoryEntry(entry, host))).join(',');
            yield first ? text : `,${text}`;
            first = false;
          }
          yield ']';
        }
        // Label Studio answers every user at once: the same array, streamed as it is read (a stream skips the serializer).
        const plain: FastifyReply = reply;
        return plain.type(JSON_TYPE).send(Readable.from(json()));
      },
    }),
    POST: op({
      access: { permission: 'users.create' },
      schema: {
        tags,
        summary: 'Create a user in your active organization (default role); with a password they can log in',
        body: UserCreateBody,
        response: { 201: UserObjectSchema, ...errorResponses(400, 401, 403) },
      },
      handler: async (request, reply, ctx) => {
        const { body } = request;
        const entry = await members.create(ctx, {
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
    }),
  });

  resource(app, '/api/users/:id/', {
    GET: op({
      access: { permission: 'users.view' },
      schema: { tags, summary: 'A user of your active organization', params: UserIdParams, response: { 200: UserObjectSchema, ...errorResponses(401, 403, 404) } },
      handler: async (request, _reply, ctx) => presentDirectoryEntry(await members.find(ctx, request.params.id), host),
    }),
    PATCH: op({
      access: { permission: 'account.change' },
      schema: {
        tags,
        summary:
          'Update yourself, or (owners and administrators) another member of no higher role, never the owner; email is read-only (405 after saving the rest)',
        params: UserIdParams,
        body: UserPatchBody,
        response: { 200: UserObjectSchema, ...errorResponses(400, 401, 403, 404, 405) },
      },
      handler: async (request, _reply, ctx) =>
        presentDirectoryEntry(await profiles.updateUser(ctx, request.params.id, profileChangesFrom(request.body)), host),
    }),
    DELETE: op({
      access: { permission: 'users.delete', denied: 'Only the organization owner and administrators can delete users' },
      schema: {
        tags,
        summary: 'Delete an account for good (owner and administrators; never the owner, yourself or a higher role): shown as "Deleted User", their work stays, their e-mail is freed',
        params: UserIdParams,
        response: { 204: { type: 'null', description: 'Deleted' }, ...errorResponses(401, 403, 404) },
      },
      handler: async (request, reply, ctx) => {
        await members.delete(ctx, request.params.id);
        return reply.status(204).send();
      },
    }),
  });

  resource(app, '/api/users/:id/avatar/', {
    POST: op({
      access: { permission: 'account.change' },
      schema: {
        tags,
        summary: 'Upload an avatar (multipart, first file; JPEG/GIF/PNG, at most 1200×1200 px and 1 MiB); no file clears it',
        params: UserIdParams,
        consumes: ['multipart/form-data'],
        response: { 200: AvatarSavedSchema, ...errorResponses(400, 401, 403, 404) },
      },
      handler: async (request, _reply, ctx) => {
        // Label Studio takes the first file whatever its field name.
        await avatars.replace(ctx, request.params.id, request.uploads[0]);
        return { detail: 'avatar saved' };
      },
    }),
    DELETE: op({
      access: { permission: 'account.change' },
      schema: { tags, summary: 'Remove the avatar', params: UserIdParams, response: { 204: { type: 'null', description: 'Removed' }, ...errorResponses(401, 403, 404) } },
      handler: async (request, reply, ctx) => {
        await avatars.clear(ctx, request.params.id);
        return reply.status(204).send();
      },
    }),
  });

  resource(app, '/data/avatars/:file', {
    GET: op({
      access: 'public',
      schema: { hide: true, params: Type.Object({ file: Type.String({ maxLength: 200 }) }) },
      handler: async (request, reply) => {
        const file = await avatars.read(request.params.file);
        if (!file) throw AppError.notFound();
        // Never let a browser treat an uploaded file as anything but the image type we name.
        reply.header('Content-Security-Policy', "default-src 'none'; sandbox");
        reply.header('Cache-Control', 'public, max-age=86400');
        return reply.type(file.contentType).send(file.data);
      },
    }),
  });
}
