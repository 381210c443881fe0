import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { parsePageRequest } from '#src/domain/pagination.js';
import { op, resource } from '#src/http/route.js';
import { errorResponses } from '#src/http/schemas/common.schema.js';
import {
  AnnotationCreateSchema,
  AnnotationSchema,
  TaskListQuerySchema,
  TaskPageSchema,
  TaskParams,
} from '#src/http/schemas/project.schema.js';
import { presentAnnotation, presentTask } from '#src/http/presenters/project.presenter.js';

const tags = ['Tasks'];
/** The data manager's task page size, and the largest page served. */
const TASK_PAGE_RULES = { defaultSize: 100, maxSize: 1000 };

/** Tasks of a project and their annotations: /api/tasks/*. Registered by the project routes. */
export async function taskRoutes(app: FastifyInstance): Promise<void> {
  const { projects } = app.ctx.services;

  resource(app, '/api/tasks/', {
    GET: op({
      access: { permission: 'tasks.view' },
      schema: {
        tags,
        summary: "A project's tasks, paginated in the data manager's shape ({tasks, total, …})",
        querystring: TaskListQuerySchema,
        response: { 200: TaskPageSchema, ...errorResponses(400, 401, 403, 404) },
      },
      handler: async (request, _reply, ctx) => {
        const { query } = request;
        const page = await projects.listTasks(ctx, query.project, parsePageRequest(query, TASK_PAGE_RULES));
        return {
          tasks: page.tasks.map(presentTask),
          total: page.total,
          total_annotations: page.totalAnnotations,
          total_predictions: 0,
        };
      },
    }),
  });

  resource(app, '/api/tasks/:id/annotations/', {
    GET: op({
      access: { permission: 'annotations.view' },
      schema: {
        tags,
        summary: "A task's annotations (a bare array)",
        params: TaskParams,
        response: { 200: Type.Array(AnnotationSchema), ...errorResponses(400, 401, 403, 404) },
      },
      handler: async (request, _reply, ctx) => (await projects.listAnnotations(ctx, request.params.id)).map(presentAnnotation),
    }),
    POST: op({
      access: { permission: 'annotations.create' },
      schema: {
        tags,
        summary: 'Annotate a task as the caller',
        params: TaskParams,
        body: AnnotationCreateSchema,
        response: { 201: AnnotationSchema, ...errorResponses(400, 401, 403, 404) },
      },
      handler: async (request, reply, ctx) => {
        const { body } = request;
        const annotation = await projects.createAnnotation(ctx, request.params.id, {
          result: body.result,
          wasCancelled: body.was_cancelled,
          groundTruth: body.ground_truth,
          leadTime: body.lead_time,
        });
        reply.status(201);
        return presentAnnotation(annotation);
      },
    }),
  });
}
