import type { Static } from '@sinclair/typebox';
import type { AnnotationSchema, ProjectSchema, TaskSchema } from '#src/http/schemas/project.schema.js';
import type { ProjectDetailRow, TaskWithCountRow } from '#src/repositories/project.repository.js';
import type { AnnotationRow } from '#src/storage/schema.js';
import { presentDateTime } from '#src/http/presenters/datetime.presenter.js';
import { avatarUrl } from '#src/http/presenters/user.presenter.js';

/** Parses a JSON column; a value that is not valid JSON (never written by this server) reads as `fallback`. */
function parseJson<T>(raw: string, fallback: T, accept: (value: unknown) => value is T): T {
  try {
    const value: unknown = JSON.parse(raw);
    return accept(value) ? value : fallback;
  } catch {
    return fallback;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Project object, Label Studio's field order for the fields this server keeps. */
export function presentProject(project: ProjectDetailRow, host: string): Static<typeof ProjectSchema> {
  return {
    id: project.id,
    title: project.title,
    description: project.description,
    label_config: project.label_config,
    organization: project.organization_id,
    created_by:
      project.created_by_id === null
        ? null
        : project.creator_deleted_at !== null
          ? { id: project.created_by_id, first_name: 'Deleted', last_name: 'User', email: `deleted-${project.created_by_id}-user@example.com`, avatar: null }
          : {
              id: project.created_by_id,
              first_name: project.creator_first_name ?? '',
              last_name: project.creator_last_name ?? '',
              email: project.creator_email ?? '',
              avatar: avatarUrl(project.creator_avatar, host),
            },
    created_at: presentDateTime(project.created_at),
    num_tasks_with_annotations: project.num_tasks_with_annotations,
    task_number: project.task_number,
    total_annotations_number: project.total_annotations_number,
  };
}

export function presentTask(task: TaskWithCountRow): Static<typeof TaskSchema> {
  return {
    id: task.id,
    data: parseJson(task.data, {}, isObject),
    meta: parseJson(task.meta, {}, isObject),
    created_at: presentDateTime(task.created_at),
    updated_at: presentDateTime(task.updated_at),
    project: task.project_id,
    total_annotations: task.total_annotations,
  };
}

export function presentAnnotation(annotation: AnnotationRow): Static<typeof AnnotationSchema> {
  return {
    id: annotation.id,
    task: annotation.task_id,
    project: annotation.project_id,
    result: parseJson(annotation.result, [], Array.isArray),
    completed_by: annotation.completed_by_id,
    created_at: presentDateTime(annotation.created_at),
    updated_at: presentDateTime(annotation.updated_at),
    lead_time: annotation.lead_time,
    was_cancelled: annotation.was_cancelled,
    ground_truth: annotation.ground_truth,
  };
}
