import type { FastifyInstance } from 'fastify';

/** `GET /health`: Label Studio's liveness answer. */
export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/health', { config: { auth: 'none' } }, async () => ({ status: 'UP' }));
}
