import type { FastifyInstance } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { parseBooleanParam, parsePageRequest } from '#src/domain/pagination.js';
import { actorOf } from '#src/http/principal.js';
import { resource } from '#src/http/resource.js';
import { taskRoutes } from '#src/http/routes/task.routes.js';
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
import { presentPage } from '#src/presenters/pagination.presenter.js';
import { presentProject } from '#src/presenters/project.presenter.js';

const tags = ['Projects'];
/** Label Studio's project list page size and the largest page it serves. */
const PROJECT_PAGE_RULES = { defaultSize: 30, maxSize: 1000 };

/** Projects, tasks and annotations, just enough for contributions: /api/projects/*, /api/tasks/*. */
export async function projectRoutes(app: FastifyInstance): Promise<void> {
  const { projects, access } = app.ctx.services;
  const host = app.ctx.config.host;

  resource(app, '/api/projects/', {
    GET: {
      schema: {
        tags,
        summary: "Projects of the caller's active organization, newest first, paginated",
        querystring: PageQuerySchema,
        response: { 200: ProjectPageSchema, ...errorResponses(401, 403, 404) },
      },
      handler: async (request) => {
        const actor = await actorOf(app, request);
        access.authorize(actor, 'projects.view');
        const page = parsePageRequest(request.query as Static<typeof PageQuerySchema>, PROJECT_PAGE_RULES);
        const { window, projects: rows } = await projects.list(actor, page);
        return presentPage(
          rows.map((row) => presentProject(row, host)),
          window,
          request.url,
        );
      },
    },
    POST: {
      schema: {
        tags,
        summary: "Create a project in the caller's active organization",
        body: ProjectCreateSchema,
        response: { 201: ProjectSchema, ...errorResponses(400, 401, 403) },
      },
      handler: async (request, reply) => {
        const actor = await actorOf(app, request);
        access.authorize(actor, 'projects.create');
        const body = request.body as Static<typeof ProjectCreateSchema>;
        const project = await projects.create(actor, { title: body.title, description: body.description, labelConfig: body.label_config });
        reply.status(201);
        return presentProject(project, host);
      },
    },
  });

  resource(app, '/api/projects/:id', {
    GET: {
      schema: {
        tags,
        summary: 'One project of the active organization',
        params: ProjectParams,
        response: { 200: ProjectSchema, ...errorResponses(400, 401, 403, 404) },
      },
      handler: async (request) => {
        const actor = await actorOf(app, request);
        access.authorize(actor, 'projects.view');
        const { id } = request.params as Static<typeof ProjectParams>;
        return presentProject(await projects.get(actor, id), host);
      },
    },
  });

  resource(app, '/api/projects/:id/import', {
    POST: {
      schema: {
        tags,
        summary: 'Import a JSON array of tasks (annotations and predictions inside tasks are not supported)',
        params: ProjectParams,
        querystring: ImportQuerySchema,
        body: ImportBodySchema,
        response: { 201: ImportResultSchema, ...errorResponses(400, 401, 403, 404) },
      },
      bodyLimit: 50 * 1024 * 1024,
      handler: async (request, reply) => {
        const actor = await actorOf(app, request);
        access.authorize(actor, 'tasks.create');
        const { id } = request.params as Static<typeof ProjectParams>;
        const query = request.query as Static<typeof ImportQuerySchema>;
        const returnTaskIds = parseBooleanParam(query.return_task_ids, 'return_task_ids') ?? false;
        const result = await projects.importTasks(actor, id, request.body as unknown[]);
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
    },
  });

  await taskRoutes(app);
}
