import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Readable } from 'node:stream';
import { parsePageNumber } from '#src/domain/pagination.js';
import { AppError } from '#src/errors.js';
import { presentActivityCsvHeader, presentActivityCsvRow, presentActivityEntry } from '#src/http/presenters/activity-log.presenter.js';
import { parseInstant } from '#src/http/query-values.js';
import { op, resource } from '#src/http/route.js';
import { ActivityLogExportQuery, ActivityLogPageSchema, ActivityLogQuery } from '#src/http/schemas/activity-log.schema.js';
import { errorResponses } from '#src/http/schemas/common.schema.js';
import { ACTIVITY_LOG_ALL_LIMIT, type ActivityLogQuery as LogQuery } from '#src/services/activity-log.service.js';

const tags = ['Activity log'];
const DEFAULT_PAGE_SIZE = 50;

function idParam(raw: string | undefined, field: string): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d{1,10}$/.test(raw) || Number(raw) > 2_147_483_647) throw AppError.validation({ [field]: ['A valid integer is required.'] });
  return Number(raw);
}

function logQueryFrom(query: Static<typeof ActivityLogQuery>): LogQuery {
  return {
    actorId: idParam(query.user, 'user'),
    projectId: idParam(query.project, 'project'),
    method: query.method,
    actions: query.action ? query.action.split(',').map((a) => a.trim()).filter(Boolean) : undefined,
    since: parseInstant(query.start_date, 'start_date'),
    until: parseInstant(query.end_date, 'end_date', true),
    search: query.search,
  };
}

/** The activity log: /api/activity-logs/ (Enterprise's list, its declared shape) and an export that streams. */
export async function activityLogRoutes(app: FastifyInstance): Promise<void> {
  const { activityLog } = app.ctx.services;

  resource(app, '/api/activity-logs/', {
    GET: op({
      access: { permission: 'activity_log.view' },
      schema: {
        tags,
        summary: "Who did what in your organization, newest first (Enterprise's activity_logs.list); 404 past the end",
        querystring: ActivityLogQuery,
        response: { 200: ActivityLogPageSchema, ...errorResponses(400, 401, 403, 404) },
      },
      handler: async (request, _reply, ctx) => {
        const { query } = request;
        const page = parsePageNumber(query.page);
        const rawSize = query.page_size === undefined ? DEFAULT_PAGE_SIZE : Number(query.page_size);
        const size = rawSize === -1 ? ACTIVITY_LOG_ALL_LIMIT : Number.isInteger(rawSize) && rawSize > 0 ? Math.min(rawSize, ACTIVITY_LOG_ALL_LIMIT) : DEFAULT_PAGE_SIZE;
        if (query.ordering !== undefined && !['-datetime', 'datetime', '-id', 'id'].includes(query.ordering)) {
          throw AppError.validation({ ordering: ['Use -datetime (newest first) or datetime.'] });
        }
        const { rows, total, filtered } = await activityLog.page(ctx, logQueryFrom(query), {
          number: page === 'last' ? 1 : page,
          size,
          beforeId: idParam(query.before_id, 'before_id'),
          oldestFirst: query.ordering === 'datetime' || query.ordering === 'id',
        });
        return [{ data: rows.map(presentActivityEntry), recordsTotal: total, recordsFiltered: filtered }];
      },
    }),
  });

  resource(app, '/api/activity-logs/export', {
    GET: op({
      access: { permission: 'activity_log.view' },
      schema: {
        tags,
        summary: 'Every matching entry as JSON Lines or CSV, streamed',
        querystring: ActivityLogExportQuery,
        produces: ['application/x-ndjson', 'text/csv'],
        response: { 200: { type: 'string', description: 'One entry per line' }, ...errorResponses(400, 401, 403) },
      },
      handler: async (request, reply, ctx) => {
        const format = request.query.format ?? 'jsonl';
        const entries = activityLog.stream(ctx.actor.organizationId, logQueryFrom(request.query));
        async function* lines(): AsyncGenerator<string> {
          if (format === 'csv') yield presentActivityCsvHeader();
          for await (const row of entries) {
            yield format === 'csv' ? presentActivityCsvRow(row) : `${JSON.stringify(presentActivityEntry(row))}\n`;
          }
        }
        reply.header('Content-Disposition', `attachment; filename="activity-log.${format}"`);
        return reply.type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson').send(Readable.from(lines()));
      },
    }),
  });
}
