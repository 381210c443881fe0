import { Type } from '@sinclair/typebox';
import { Nullable } from '#src/http/schemas/common.schema.js';

const Id = Type.Optional(Type.String({ maxLength: 20 }));

export const ActivityLogQuery = Type.Object({
  user: Id,
  project: Id,
  workspace: Type.Optional(Type.String({ maxLength: 20, description: 'Accepted and ignored: no workspaces here' })),
  method: Type.Optional(Type.String({ maxLength: 10, description: 'GET, POST, PATCH, PUT, DELETE, CLI, SYSTEM or all' })),
  action: Type.Optional(Type.String({ maxLength: 500, description: 'Actions, comma-separated (e.g. member.role_changed,auth.login_failed)' })),
  start_date: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601' })),
  end_date: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601; a bare date includes that whole day' })),
  search: Type.Optional(Type.String({ maxLength: 200, description: 'Words over the request URL, joined by AND or OR' })),
  ordering: Type.Optional(Type.String({ maxLength: 20, description: '-datetime (default) or datetime' })),
  page: Type.Optional(Type.String({ maxLength: 20 })),
  page_size: Type.Optional(Type.String({ maxLength: 20, description: `Entries per page (default 50); -1: all, at most 10,000` })),
  before_id: Id,
});

export const ActivityLogExportQuery = Type.Object({
  ...ActivityLogQuery.properties,
  format: Type.Optional(Type.Union([Type.Literal('jsonl'), Type.Literal('csv')], { description: 'jsonl (default) or csv' })),
});

/** Enterprise's `ActivityLog`, plus what this server records in `extra_data`. */
export const ActivityLogEntrySchema = Type.Object({
  id: Type.Integer(),
  user_id: Nullable(Type.Integer()),
  email: Type.String(),
  request_method: Type.String(),
  request_url: Type.String(),
  response_code: Type.String(),
  organization_id: Nullable(Type.Integer()),
  project_id: Nullable(Type.Integer()),
  workspace_owner_id: Type.Null(),
  datetime: Type.String({ format: 'date-time' }),
  ip_address: Nullable(Type.String()),
  user_agent: Nullable(Type.String()),
  extra_data: Type.Object({
    action: Type.String(),
    auth_method: Type.String(),
    target_type: Nullable(Type.String()),
    target_id: Nullable(Type.Integer()),
    request_id: Type.String(),
    details: Type.Record(Type.String(), Type.Unknown()),
  }),
});

/** Enterprise's declared answer: an array holding one DataTables envelope. */
export const ActivityLogPageSchema = Type.Array(
  Type.Object({ data: Type.Array(ActivityLogEntrySchema), recordsTotal: Type.Integer(), recordsFiltered: Type.Integer() }),
);
