import type { FastifyInstance } from 'fastify';

/** Personal access tokens and JWT settings: /api/token/*, /api/jwt/settings (spec §5.5). */
export async function tokenRoutes(app: FastifyInstance): Promise<void> {
  void app;
}
