import type { FastifyInstance } from 'fastify';

/** Users API: /api/users/* including avatars (spec §5.2). */
export async function userRoutes(app: FastifyInstance): Promise<void> {
  void app;
}
