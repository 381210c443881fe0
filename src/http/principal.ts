import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '#src/errors.js';
import type { Principal } from '#src/http/request-context.js';
import type { Actor } from '#src/services/access.service.js';

/** The authenticated principal; the auth plugin already answered 401 on routes that require one. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw AppError.unauthenticated();
  return request.principal;
}

/** The principal as a live member of their active organization (403 when they are not one). */
export function actorOf(app: FastifyInstance, request: FastifyRequest): Promise<Actor> {
  return app.ctx.services.access.actorFor(principalOf(request).user);
}
