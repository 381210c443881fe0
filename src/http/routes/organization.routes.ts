import type { FastifyInstance } from 'fastify';

/** Organizations, memberships and invites: /api/organizations/*, /api/invite* (spec §5.4). */
export async function organizationRoutes(app: FastifyInstance): Promise<void> {
  void app;
}
