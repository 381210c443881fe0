import type { FastifyInstance } from 'fastify';

/** The web app's pages (Organization, Account & Settings, Projects) and their static assets (spec §5.1, §7). */
export async function webPagesRoutes(app: FastifyInstance): Promise<void> {
  void app;
}
