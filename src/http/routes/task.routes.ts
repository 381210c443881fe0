import type { FastifyInstance } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import { parsePageRequest } from '#src/domain/pagination.js';
import { actorOf } from '#src/http/principal.js';
import { resource } from '#src/http/resource.js';
import { errorResponses } from '#src/http/schemas/common.schema.js';
import {
  AnnotationCreateSchema,
  AnnotationSchema,
  TaskListQuerySchema,
  TaskPageSchema,
  TaskParams,
} from '#src/http/schemas/project.schema.js';
import { presentAnnotation, presentTask } from '#src/presenters/project.presenter.js';

const tags = ['Tasks'];
/** The data manager's task page size, and the largest page served. */
const TASK_PAGE_RULES = { defaultSize: 100, maxSize: 1000 };

/** Tasks of a project and their annotations: /api/tasks/*. Registered by the project routes. */
export async function taskRoutes(app: FastifyInstance): Promise<void> {
  const { projects, access } = app.ctx.services;

  resource(app, '/api/tasks/', {
    GET: {
      schema: {
        tags,
        summary: "A project's tasks, paginated in the data manager's shape ({tasks, total, …})",
        querystring: TaskListQuerySchema,
        response: { 200: TaskPageSchema, ...errorResponses(400, 401, 403, 404) },
      },
      handler: async (request) => {
        const actor = await actorOf(app, request);
        access.authorize(actor, 'tasks.view');
        const query = request.query as Static<typeof TaskListQuerySchema>;
        const page = await projects.listTasks(actor, query.project, parsePageRequest(query, TASK_PAGE_RULES));
        return {
          tasks: page.tasks.map(presentTask),
          total: page.total,
          total_annotations: page.totalAnnotations,
          total_predictions: 0,
        };
      },
    },
  });

  resource(app, '/api/tasks/:id/annotations/', {
    GET: {
      schema: {
        tags,
        summary: "A task's annotations (a bare array)",
        params: TaskParams,
        response: { 200: Type.Array(AnnotationSchema), ...errorResponses(400, 401, 403, 404) },
      },
      handler: async (request) => {
        const actor = await actorOf(app, request);
        access.authorize(actor, 'tasks.view');
        const { id } = request.params as Static<typeof TaskParams>;
        return (await projects.listAnnotations(actor, id)).map(presentAnnotation);
      },
    },
    POST: {
      schema: {
        tags,
        summary: 'Annotate a task as the caller',
        params: TaskParams,
        body: AnnotationCreateSchema,
        response: { 201: AnnotationSchema, ...errorResponses(400, 401, 403, 404) },
      },
      handler: async (request, reply) => {
        const actor = await actorOf(app, request);
        access.authorize(actor, 'annotations.create');
        const { id } = request.params as Static<typeof TaskParams>;
        const body = request.body as Static<typeof AnnotationCreateSchema>;
        const annotation = await projects.createAnnotation(actor, id, {
          result: body.result,
          wasCancelled: body.was_cancelled,
          groundTruth: body.ground_truth,
          leadTime: body.lead_time,
        });
        reply.status(201);
        return presentAnnotation(annotation);
      },
    },
  });
}
