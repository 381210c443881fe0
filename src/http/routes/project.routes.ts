import type { FastifyInstance } from 'fastify';

/** Projects, tasks and annotations, just enough for contributions: /api/projects/*, /api/tasks/*. */
export async function projectRoutes(app: FastifyInstance): Promise<void> {
  void app;
}
