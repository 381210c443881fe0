import { performance } from 'node:perf_hooks';
import { nowIso, type Clock } from '#src/clock.js';
import { resolvePage, type PageRequest, type PageWindow } from '#src/domain/pagination.js';
import { AppError } from '#src/errors.js';
import type { Repositories, UnitOfWork } from '#src/repositories/index.js';
import type { NewTask, ProjectDetailRow, TaskInOrganizationRow, TaskWithCountRow } from '#src/repositories/project.repository.js';
import type { Actor } from '#src/services/access.service.js';
import type { AnnotationRow } from '#src/storage/schema.js';

/** Label Studio's project title bounds (PROJECT_TITLE_MIN_LEN / MAX_LEN); an empty title is allowed. */
export const PROJECT_TITLE_MIN_LENGTH = 3;
export const PROJECT_TITLE_MAX_LENGTH = 50;
export const DEFAULT_LABEL_CONFIG = '<View></View>';

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
  constructor(
    private readonly repos: Repositories,
    private readonly transaction: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async create(actor: Actor, input: NewProjectInput): Promise<ProjectDetailRow> {
    const title = (input.title ?? '').trim();
    if (title.length > 0 && title.length < PROJECT_TITLE_MIN_LENGTH) {
      throw AppError.validation({ title: [`Ensure this field has at least ${PROJECT_TITLE_MIN_LENGTH} characters.`] });
    }
    const at = nowIso(this.clock);
    const project = await this.repos.projects.insert({
      organization_id: actor.organizationId,
      created_by_id: actor.user.id,
      title,
      description: input.description ?? '',
      label_config: input.labelConfig || DEFAULT_LABEL_CONFIG,
      created_at: at,
      updated_at: at,
    });
    return this.get(actor, project.id);
  }

  async list(actor: Actor, page: PageRequest): Promise<{ window: PageWindow; projects: ProjectDetailRow[] }> {
    const window = resolvePage(await this.repos.projects.countInOrganization(actor.organizationId), page);
    const projects = await this.repos.projects.listInOrganization(actor.organizationId, window.pageSize, window.offset);
    return { window, projects };
  }

  /** A project of the actor's organization; projects of other organizations do not exist for them (404). */
  async get(actor: Actor, projectId: number): Promise<ProjectDetailRow> {
    const project = await this.repos.projects.findDetail(projectId);
    if (!project || project.organization_id !== actor.organizationId) throw AppError.notFound();
    return project;
  }

  /** Imports a JSON array of tasks in one transaction: all of them or none. */
  async importTasks(actor: Actor, projectId: number, items: readonly unknown[]): Promise<ImportResult> {
    const started = performance.now();
    await this.get(actor, projectId);
    if (items.length === 0) throw AppError.validation({ non_field_errors: ['No tasks found in the request.'] });
    const columns = new Set<string>();
    const tasks: NewTask[] = items.map((item, index) => {
      const { data, meta } = taskFromItem(item, index);
      for (const key of Object.keys(data)) columns.add(key);
      return { data: JSON.stringify(data), meta: JSON.stringify(meta) };
    });
    const taskIds = await this.transaction((r) => r.projects.insertTasks(projectId, tasks, nowIso(this.clock)));
    return { taskIds, dataColumns: [...columns], duration: (performance.now() - started) / 1000 };
  }

  async listTasks(
    actor: Actor,
    projectId: number,
    page: PageRequest,
  ): Promise<{ tasks: TaskWithCountRow[]; total: number; totalAnnotations: number }> {
    await this.get(actor, projectId);
    const totals = await this.repos.projects.countTasks(projectId);
    const window = resolvePage(totals.tasks, page);
    const tasks = await this.repos.projects.listTasks(projectId, window.pageSize, window.offset);
    return { tasks, total: totals.tasks, totalAnnotations: totals.annotations };
  }

  private async task(actor: Actor, taskId: number): Promise<TaskInOrganizationRow> {
    const task = await this.repos.projects.findTaskWithOrganization(taskId);
    if (!task || task.organization_id !== actor.organizationId) throw AppError.notFound();
    return task;
  }

  /** Records an annotation by the actor (never on someone else's behalf). */
  async createAnnotation(actor: Actor, taskId: number, input: NewAnnotationInput): Promise<AnnotationRow> {
    const task = await this.task(actor, taskId);
    const at = nowIso(this.clock);
    return this.repos.projects.insertAnnotation({
      task_id: task.id,
      project_id: task.project_id,
      completed_by_id: actor.user.id,
      result: JSON.stringify(input.result ?? []),
      was_cancelled: input.wasCancelled ?? false,
      ground_truth: input.groundTruth ?? false,
      lead_time: input.leadTime ?? null,
      created_at: at,
      updated_at: at,
    });
  }

  async listAnnotations(actor: Actor, taskId: number): Promise<AnnotationRow[]> {
    const task = await this.task(actor, taskId);
    return this.repos.projects.listAnnotations(task.id);
  }
}
