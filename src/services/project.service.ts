import { setImmediate as nextTurn } from 'node:timers/promises';
import { nowIso } from '#src/clock.js';
import { resolvePage, type PageRequest, type PageWindow } from '#src/domain/pagination.js';
import { AppError } from '#src/errors.js';
import type { MemberContext } from '#src/policies/action-context.js';
import type { NewTask, ProjectDetailRow, TaskInOrganizationRow, TaskWithCountRow } from '#src/repositories/project.repository.js';
import type { ServiceDeps } from '#src/services/service-deps.js';
import type { AnnotationRow } from '#src/storage/schema.js';

/** Label Studio's project title bounds (PROJECT_TITLE_MIN_LEN / MAX_LEN); an empty title is allowed. */
export const PROJECT_TITLE_MIN_LENGTH = 3;
export const PROJECT_TITLE_MAX_LENGTH = 50;
export const DEFAULT_LABEL_CONFIG = '<View></View>';
/** What one import request may cost: its body, and the tasks in it (import more in several requests). */
export const IMPORT_MAX_BYTES = 10 * 1024 * 1024;
export const IMPORT_MAX_TASKS = 20_000;
/** Tasks read between two yields to the event loop, so other requests are answered during a large import. */
const IMPORT_CHUNK = 1_000;

export interface NewProjectInput {
  title?: string | null;
  description?: string | null;
  labelConfig?: string | null;
}

export interface ImportResult {
  taskIds: number[];
  /** Keys of the imported tasks' data, in first-seen order. */
  dataColumns: string[];
  /** Seconds the import took. */
  duration: number;
}

export interface NewAnnotationInput {
  result?: unknown[];
  wasCancelled?: boolean;
  groundTruth?: boolean;
  leadTime?: number | null;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads one imported item: `{"data": {...}, "meta"?: {...}}` or a bare object taken as the data. */
function taskFromItem(item: unknown, index: number): { data: Record<string, unknown>; meta: Record<string, unknown> } {
  const where = `Task #${index + 1}`;
  if (!isPlainObject(item)) throw AppError.validation({ non_field_errors: [`${where}: a task must be a JSON object.`] });
  for (const nested of ['annotations', 'predictions'] as const) {
    const value = item[nested];
    if (Array.isArray(value) && value.length > 0) {
      throw AppError.validation({ [nested]: [`${where}: importing ${nested} with tasks is not supported by this server.`] });
    }
  }
  if (!('data' in item)) return { data: item, meta: {} };
  const { data, meta } = item;
  if (!isPlainObject(data)) throw AppError.validation({ data: [`${where}: "data" must be a JSON object.`] });
  if (meta !== undefined && meta !== null && !isPlainObject(meta)) {
    throw AppError.validation({ meta: [`${where}: "meta" must be a JSON object.`] });
  }
  return { data, meta: meta ?? {} };
}

/** Projects, their tasks and annotations, scoped to the actor's active organization. */
export class ProjectService {
  constructor(private readonly deps: ServiceDeps) {}

  async create(ctx: MemberContext, input: NewProjectInput): Promise<ProjectDetailRow> {
    const { actor } = ctx;
    const title = (input.title ?? '').trim();
    if (title.length > 0 && title.length < PROJECT_TITLE_MIN_LENGTH) {
      throw AppError.validation({ title: [`Ensure this field has at least ${PROJECT_TITLE_MIN_LENGTH} characters.`] });
    }
    const at = nowIso(this.deps.clock);
    const project = await this.deps.uow.run(ctx, async (tx) => {
      const created = await tx.repos.projects.insert({
        organization_id: actor.organizationId,
        created_by_id: actor.user.id,
        title,
        description: input.description ?? '',
        label_config: input.labelConfig || DEFAULT_LABEL_CONFIG,
        created_at: at,
        updated_at: at,
      });
      await tx.record({ action: 'project.created', projectId: created.id, target: { type: 'project', id: created.id }, details: { title } });
      return created;
    });
    return this.get(ctx, project.id);
  }

  async list(ctx: MemberContext, page: PageRequest): Promise<{ window: PageWindow; projects: ProjectDetailRow[] }> {
    const { repos } = this.deps;
    const organizationId = ctx.actor.organizationId;
    const window = resolvePage(await repos.projects.countInOrganization(organizationId), page);
    const projects = await repos.projects.listInOrganization(organizationId, window.pageSize, window.offset);
    return { window, projects };
  }

  /** A project of the actor's organization; projects of other organizations do not exist for them (404). */
  async get(ctx: MemberContext, projectId: number): Promise<ProjectDetailRow> {
    const project = await this.deps.repos.projects.findDetail(projectId);
    if (!project || project.organization_id !== ctx.actor.organizationId) throw AppError.notFound();
    return project;
  }

  /** Imports a JSON array of tasks in one transaction: all of them or none. */
  async importTasks(ctx: MemberContext, projectId: number, items: readonly unknown[]): Promise<ImportResult> {
    const started = performance.now();
    await this.get(ctx, projectId);
    if (items.length === 0) throw AppError.validation({ non_field_errors: ['No tasks found in the request.'] });
    if (items.length > IMPORT_MAX_TASKS) {
      throw AppError.validation({ non_field_errors: [`At most ${IMPORT_MAX_TASKS} tasks per import; split the file into several requests.`] });
    }
    const columns = new Set<string>();
    const tasks: NewTask[] = [];
    for (let start = 0; start < items.length; start += IMPORT_CHUNK) {
      if (start > 0) await nextTurn();
      items.slice(start, start + IMPORT_CHUNK).forEach((item, offset) => {
        const { data, meta } = taskFromItem(item, start + offset);
        for (const key of Object.keys(data)) columns.add(key);
        tasks.push({ data: JSON.stringify(data), meta: JSON.stringify(meta) });
      });
    }
    const taskIds = await this.deps.uow.run(ctx, async (tx) => {
      const ids = await tx.repos.projects.insertTasks(projectId, tasks, nowIso(this.deps.clock));
      await tx.record({ action: 'project.tasks_imported', projectId, target: { type: 'project', id: projectId }, details: { tasks: ids.length } });
      return ids;
    });
    return { taskIds, dataColumns: [...columns], duration: (performance.now() - started) / 1000 };
  }

  async listTasks(
    ctx: MemberContext,
    projectId: number,
    page: PageRequest,
  ): Promise<{ tasks: TaskWithCountRow[]; total: number; totalAnnotations: number }> {
    const { repos } = this.deps;
    await this.get(ctx, projectId);
    const totals = await repos.projects.countTasks(projectId);
    const window = resolvePage(totals.tasks, page);
    const tasks = await repos.projects.listTasks(projectId, window.pageSize, window.offset);
    return { tasks, total: totals.tasks, totalAnnotations: totals.annotations };
  }

  private async task(ctx: MemberContext, taskId: number): Promise<TaskInOrganizationRow> {
    const task = await this.deps.repos.projects.findTaskWithOrganization(taskId);
    if (!task || task.organization_id !== ctx.actor.organizationId) throw AppError.notFound();
    return task;
  }

  /** Records an annotation by the actor (never on someone else's behalf). */
  async createAnnotation(ctx: MemberContext, taskId: number, input: NewAnnotationInput): Promise<AnnotationRow> {
    const task = await this.task(ctx, taskId);
    const at = nowIso(this.deps.clock);
    return this.deps.uow.run(ctx, async (tx) => {
      const annotation = await tx.repos.projects.insertAnnotation({
        task_id: task.id,
        project_id: task.project_id,
        completed_by_id: ctx.actor.user.id,
        result: JSON.stringify(input.result ?? []),
        was_cancelled: input.wasCancelled ?? false,
        ground_truth: input.groundTruth ?? false,
        lead_time: input.leadTime ?? null,
        created_at: at,
        updated_at: at,
      });
      await tx.record({ action: 'project.annotation_created', projectId: task.project_id, details: { task: task.id, annotation: annotation.id } });
      return annotation;
    });
  }

  async listAnnotations(ctx: MemberContext, taskId: number): Promise<AnnotationRow[]> {
    const task = await this.task(ctx, taskId);
    return this.deps.repos.projects.listAnnotations(task.id);
  }
}
