import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { op, resource } from '#src/http/route.js';

/** `GET /health`: Label Studio's liveness answer. */
export async function healthRoutes(app: FastifyInstance): Promise<void> {
  resource(app, '/health', {
    GET: op({
      access: 'public',
      schema: { hide: true, response: { 200: Type.Object({ status: Type.String() }) } },
      handler: async () => ({ status: 'UP' }),
    }),
  });
}
