import type { Insertable, Kysely } from 'kysely';
import { chunksOf } from '#src/repositories/chunks.js';
import type { AnnotationRow, AnnotationTable, Database, ProjectRow, ProjectTable, TaskRow, TaskTable } from '#src/storage/schema.js';

/** A project with its creator's public fields and its counters, as the project API shows it. */
export interface ProjectDetailRow extends ProjectRow {
  creator_first_name: string | null;
  creator_last_name: string | null;
  creator_email: string | null;
  creator_avatar: string | null;
  /** Set when the creator's account was deleted: shown as "Deleted User". */
  creator_deleted_at: string | null;
  task_number: number;
  num_tasks_with_annotations: number;
  total_annotations_number: number;
}

/** A task with its number of (non-cancelled) annotations. */
export interface TaskWithCountRow extends TaskRow {
  total_annotations: number;
}

/** A task with the organization of its project (for access checks). */
export interface TaskInOrganizationRow extends TaskRow {
  organization_id: number;
}

export interface NewTask {
  data: string;
  meta: string;
}

/** Rows per INSERT: well under SQLite's bound-parameter limit. */
const INSERT_BATCH = 500;

/** SQL for projects, their tasks and annotations. */
export class ProjectRepository {
  constructor(private readonly db: Kysely<Database>) {}

  private detailQuery() {
    return this.db
      .selectFrom('projects as p')
      .leftJoin('users as u', 'u.id', 'p.created_by_id')
      .selectAll('p')
      .select([
        'u.first_name as creator_first_name',
        'u.last_name as creator_last_name',
        'u.email as creator_email',
        'u.avatar as creator_avatar',
        'u.deleted_at as creator_deleted_at',
      ])
      .select((eb) => [
        eb.selectFrom('tasks as t').whereRef('t.project_id', '=', 'p.id').select((s) => s.fn.countAll<number>().as('n')).as('task_number'),
        eb
          .selectFrom('annotations as a')
          .whereRef('a.project_id', '=', 'p.id')
          .where('a.was_cancelled', '=', false)
          .select((s) => s.fn.count<number>('a.task_id').distinct().as('n'))
          .as('num_tasks_with_annotations'),
        eb
          .selectFrom('annotations as a')
          .whereRef('a.project_id', '=', 'p.id')
          .where('a.was_cancelled', '=', false)
          .select((s) => s.fn.countAll<number>().as('n'))
          .as('total_annotations_number'),
      ]);
  }

  private static normalize(row: Omit<ProjectDetailRow, 'task_number' | 'num_tasks_with_annotations' | 'total_annotations_number'> & {
    task_number: number | null;
    num_tasks_with_annotations: number | null;
    total_annotations_number: number | null;
  }): ProjectDetailRow {
    return {
      ...row,
      task_number: Number(row.task_number ?? 0),
      num_tasks_with_annotations: Number(row.num_tasks_with_annotations ?? 0),
      total_annotations_number: Number(row.total_annotations_number ?? 0),
    };
  }

  async insert(project: Insertable<ProjectTable>): Promise<ProjectRow> {
    return this.db.insertInto('projects').values(project).returningAll().executeTakeFirstOrThrow();
  }

  /** Inserts many projects at once, ids included (an import). */
  async insertMany(projects: ReadonlyArray<Insertable<ProjectTable>>): Promise<void> {
    for (const chunk of chunksOf(projects, 8)) await this.db.insertInto('projects').values(chunk).execute();
  }

  /** Inserts tasks with their ids (an import keeping Label Studio's). */
  async insertTasksWithIds(tasks: ReadonlyArray<Insertable<TaskTable>>): Promise<void> {
    for (const chunk of chunksOf(tasks, 6)) await this.db.insertInto('tasks').values(chunk).execute();
  }

  /** Inserts annotations with their ids (an import keeping Label Studio's). */
  async insertAnnotationsWithIds(annotations: ReadonlyArray<Insertable<AnnotationTable>>): Promise<void> {
    for (const chunk of chunksOf(annotations, 10)) await this.db.insertInto('annotations').values(chunk).execute();
  }

  /** Task id → its project, for those of the tasks that exist. */
  async projectsOfTasks(taskIds: readonly number[]): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    for (const chunk of chunksOf([...new Set(taskIds)], 1)) {
      for (const row of await this.db.selectFrom('tasks').select(['id', 'project_id']).where('id', 'in', chunk).execute()) out.set(row.id, row.project_id);
    }
    return out;
  }

  findById(id: number): Promise<ProjectRow | undefined> {
    return this.db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async findDetail(id: number): Promise<ProjectDetailRow | undefined> {
    const row = await this.detailQuery().where('p.id', '=', id).executeTakeFirst();
    return row ? ProjectRepository.normalize(row) : undefined;
  }

  async countInOrganization(organizationId: number): Promise<number> {
    const row = await this.db
      .selectFrom('projects')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('organization_id', '=', organizationId)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Newest first, as Label Studio lists projects. */
  async listInOrganization(organizationId: number, limit: number, offset: number): Promise<ProjectDetailRow[]> {
    const rows = await this.detailQuery()
      .where('p.organization_id', '=', organizationId)
      .orderBy('p.created_at', 'desc')
      .orderBy('p.id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute();
    return rows.map((row) => ProjectRepository.normalize(row));
  }

  /** Inserts tasks in order and returns their ids in the same order. */
  async insertTasks(projectId: number, tasks: readonly NewTask[], at: string): Promise<number[]> {
    const ids: number[] = [];
    for (let start = 0; start < tasks.length; start += INSERT_BATCH) {
      const batch = tasks.slice(start, start + INSERT_BATCH);
      const rows = await this.db
        .insertInto('tasks')
        .values(batch.map((t) => ({ project_id: projectId, data: t.data, meta: t.meta, created_at: at, updated_at: at })))
        .returning('id')
        .execute();
      // Both databases return rows in insertion order; sorting makes that independent of the driver.
      ids.push(...rows.map((r) => r.id).sort((a, b) => a - b));
    }
    return ids;
  }

  async countTasks(projectId: number): Promise<{ tasks: number; annotations: number }> {
    const row = await this.db
      .selectFrom('projects as p')
      .select((eb) => [
        eb.selectFrom('tasks as t').whereRef('t.project_id', '=', 'p.id').select((s) => s.fn.countAll<number>().as('n')).as('tasks'),
        eb
          .selectFrom('annotations as a')
          .whereRef('a.project_id', '=', 'p.id')
          .where('a.was_cancelled', '=', false)
          .select((s) => s.fn.countAll<number>().as('n'))
          .as('annotations'),
      ])
      .where('p.id', '=', projectId)
      .executeTakeFirst();
    return { tasks: Number(row?.tasks ?? 0), annotations: Number(row?.annotations ?? 0) };
  }

  async listTasks(projectId: number, limit: number, offset: number): Promise<TaskWithCountRow[]> {
    const rows = await this.db
      .selectFrom('tasks as t')
      .selectAll('t')
      .select((eb) =>
        eb
          .selectFrom('annotations as a')
          .whereRef('a.task_id', '=', 't.id')
          .where('a.was_cancelled', '=', false)
          .select((s) => s.fn.countAll<number>().as('n'))
          .as('total_annotations'),
      )
      .where('t.project_id', '=', projectId)
      .orderBy('t.id')
      .limit(limit)
      .offset(offset)
      .execute();
    return rows.map((r) => ({ ...r, total_annotations: Number(r.total_annotations ?? 0) }));
  }

  findTaskWithOrganization(taskId: number): Promise<TaskInOrganizationRow | undefined> {
    return this.db
      .selectFrom('tasks as t')
      .innerJoin('projects as p', 'p.id', 't.project_id')
      .selectAll('t')
      .select('p.organization_id')
      .where('t.id', '=', taskId)
      .executeTakeFirst();
  }

  insertAnnotation(annotation: Insertable<AnnotationTable>): Promise<AnnotationRow> {
    return this.db.insertInto('annotations').values(annotation).returningAll().executeTakeFirstOrThrow();
  }

  listAnnotations(taskId: number): Promise<AnnotationRow[]> {
    return this.db.selectFrom('annotations').selectAll().where('task_id', '=', taskId).orderBy('id').execute();
  }
}
