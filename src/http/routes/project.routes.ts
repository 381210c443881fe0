import type { FastifyInstance } from 'fastify';
import { parseBooleanParam, parsePageRequest } from '#src/domain/pagination.js';
import { op, resource } from '#src/http/route.js';
import { taskRoutes } from '#src/http/routes/task.routes.js';
import { IMPORT_MAX_BYTES, IMPORT_MAX_TASKS } from '#src/services/project.service.js';
import { errorResponses } from '#src/http/schemas/common.schema.js';
import {
  ImportBodySchema,
  ImportQuerySchema,
  ImportResultSchema,
  PageQuerySchema,
  ProjectCreateSchema,
  ProjectPageSchema,
  ProjectParams,
  ProjectSchema,
} from '#src/http/schemas/project.schema.js';
import { presentPage } from '#src/http/presenters/pagination.presenter.js';
import { presentProject } from '#src/http/presenters/project.presenter.js';

const tags = ['Projects'];
/** Label Studio's project list page size and the largest page it serves. */
const PROJECT_PAGE_RULES = { defaultSize: 30, maxSize: 1000 };

/** Projects, tasks and annotations, just enough for contributions: /api/projects/*, /api/tasks/*. */
export async function projectRoutes(app: FastifyInstance): Promise<void> {
  const { projects } = app.ctx.services;
  const host = app.ctx.config.server.host;

  resource(app, '/api/projects/', {
    GET: op({
      access: { permission: 'projects.view' },
      schema: {
        tags,
        summary: "Projects of the caller's active organization, newest first, paginated",
        querystring: PageQuerySchema,
        response: { 200: ProjectPageSchema, ...errorResponses(401, 403, 404) },
      },
      handler: async (request, _reply, ctx) => {
        const { window, projects: rows } = await projects.list(ctx, parsePageRequest(request.query, PROJECT_PAGE_RULES));
        return presentPage(
          rows.map((row) => presentProject(row, host)),
          window,
          request.url,
        );
      },
    }),
    POST: op({
      access: { permission: 'projects.create' },
      schema: {
        tags,
        summary: "Create a project in the caller's active organization",
        body: ProjectCreateSchema,
        response: { 201: ProjectSchema, ...errorResponses(400, 401, 403) },
      },
      handler: async (request, reply, ctx) => {
        const { body } = request;
        const project = await projects.create(ctx, { title: body.title, description: body.description, labelConfig: body.label_config });
        reply.status(201);
        return presentProject(project, host);
      },
    }),
  });

  resource(app, '/api/projects/:id', {
    GET: op({
      access: { permission: 'projects.view' },
      schema: {
        tags,
        summary: 'One project of the active organization',
        params: ProjectParams,
        response: { 200: ProjectSchema, ...errorResponses(400, 401, 403, 404) },
      },
      handler: async (request, _reply, ctx) => presentProject(await projects.get(ctx, request.params.id), host),
    }),
  });

  resource(app, '/api/projects/:id/import', {
    POST: op({
      access: { permission: 'tasks.create' },
      schema: {
        tags,
        summary: `Import a JSON array of tasks (at most ${IMPORT_MAX_TASKS} tasks and ${IMPORT_MAX_BYTES / 1024 / 1024} MiB; annotations and predictions inside tasks are not supported)`,
        params: ProjectParams,
        querystring: ImportQuerySchema,
        body: ImportBodySchema,
        response: { 201: ImportResultSchema, ...errorResponses(400, 401, 403, 404) },
      },
      bodyLimit: IMPORT_MAX_BYTES,
      handler: async (request, reply, ctx) => {
        const returnTaskIds = parseBooleanParam(request.query.return_task_ids, 'return_task_ids') ?? false;
        const result = await projects.importTasks(ctx, request.params.id, request.body);
        reply.status(201);
        return {
          task_count: result.taskIds.length,
          annotation_count: 0,
          prediction_count: 0,
          predictions_count: 0,
          duration: result.duration,
          file_upload_ids: [],
          could_be_tasks_list: false,
          found_formats: [],
          data_columns: result.dataColumns,
          ...(returnTaskIds ? { task_ids: result.taskIds } : {}),
        };
      },
    }),
  });

  await taskRoutes(app);
}
