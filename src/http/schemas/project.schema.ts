import { Type } from '@sinclair/typebox';
import { Nullable, PageOf, PageQueryFields, RowId } from '#src/http/schemas/common.schema.js';

export const ProjectParams = Type.Object({ id: RowId });
export const TaskParams = Type.Object({ id: RowId });

const DateTime = Type.String({ format: 'date-time' });
const JsonObject = Type.Record(Type.String(), Type.Unknown());

export const ProjectCreateSchema = Type.Object(
  {
    title: Type.Optional(Nullable(Type.String({ maxLength: 50, description: 'Empty, or 3 to 50 characters' }))),
    description: Type.Optional(Nullable(Type.String())),
    label_config: Type.Optional(Nullable(Type.String())),
  },
  { additionalProperties: true },
);

/** The project fields this server keeps; Label Studio's many project settings are not stored here. */
export const ProjectSchema = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  description: Type.String(),
  label_config: Type.String(),
  organization: Type.Integer(),
  created_by: Nullable(
    Type.Object({
      id: Type.Integer(),
      first_name: Type.String(),
      last_name: Type.String(),
      email: Type.String(),
      avatar: Nullable(Type.String()),
    }),
  ),
  created_at: DateTime,
  num_tasks_with_annotations: Type.Integer(),
  task_number: Type.Integer(),
  total_annotations_number: Type.Integer(),
});

export const ProjectPageSchema = PageOf(ProjectSchema);

export const PageQuerySchema = Type.Object(PageQueryFields);

export const ImportQuerySchema = Type.Object({
  return_task_ids: Type.Optional(Type.String({ description: 'true to get `task_ids` back' })),
  commit_to_project: Type.Optional(Type.String({ description: 'Accepted and ignored: tasks are always stored' })),
});

export const ImportBodySchema = Type.Array(
  Type.Object({}, { additionalProperties: true, description: '{"data": {...}, "meta"?: {...}} or a bare object taken as the data' }),
  { description: 'The tasks to import' },
);

export const ImportResultSchema = Type.Object({
  task_count: Type.Integer(),
  annotation_count: Type.Integer(),
  prediction_count: Type.Integer(),
  predictions_count: Type.Integer({ description: 'Same as prediction_count: the name the official SDK reads' }),
  duration: Type.Number(),
  file_upload_ids: Type.Array(Type.Integer()),
  could_be_tasks_list: Type.Boolean(),
  found_formats: Type.Array(Type.String()),
  data_columns: Type.Array(Type.String()),
  task_ids: Type.Optional(Type.Array(Type.Integer())),
});

export const TaskListQuerySchema = Type.Object({
  project: RowId,
  ...PageQueryFields,
  fields: Type.Optional(Type.String({ description: 'Accepted and ignored (the SDK sends fields=all)' })),
});

export const TaskSchema = Type.Object({
  id: Type.Integer(),
  data: JsonObject,
  meta: JsonObject,
  created_at: DateTime,
  updated_at: DateTime,
  project: Type.Integer(),
  total_annotations: Type.Integer(),
});

export const TaskPageSchema = Type.Object({
  tasks: Type.Array(TaskSchema),
  total: Type.Integer(),
  total_annotations: Type.Integer(),
  total_predictions: Type.Integer(),
});

export const AnnotationCreateSchema = Type.Object(
  {
    result: Type.Optional(Type.Array(Type.Object({}, { additionalProperties: true }), { description: 'Regions; defaults to []' })),
    was_cancelled: Type.Optional(Type.Boolean()),
    ground_truth: Type.Optional(Type.Boolean()),
    lead_time: Type.Optional(Nullable(Type.Number())),
  },
  { additionalProperties: true, description: '`completed_by` and `project` are ignored: the annotation is the caller’s, in the task’s project' },
);

export const AnnotationSchema = Type.Object({
  id: Type.Integer(),
  task: Type.Integer(),
  project: Type.Integer(),
  result: Type.Array(Type.Unknown()),
  completed_by: Nullable(Type.Integer()),
  created_at: DateTime,
  updated_at: DateTime,
  lead_time: Nullable(Type.Number()),
  was_cancelled: Type.Boolean(),
  ground_truth: Type.Boolean(),
});
