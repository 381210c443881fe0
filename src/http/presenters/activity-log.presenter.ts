import type { Static } from '@sinclair/typebox';
import { presentDateTime } from '#src/http/presenters/datetime.presenter.js';
import type { ActivityLogEntrySchema } from '#src/http/schemas/activity-log.schema.js';
import type { ActivityLogRow } from '#src/storage/schema.js';

function parseDetails(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** An entry as Enterprise's `ActivityLog` (`response_code` a string), with what this server records in `extra_data`. */
export function presentActivityEntry(row: ActivityLogRow): Static<typeof ActivityLogEntrySchema> {
  return {
    id: row.id,
    user_id: row.actor_id,
    email: row.actor_email,
    request_method: row.request_method,
    request_url: row.request_url,
    response_code: row.response_code,
    organization_id: row.organization_id,
    project_id: row.project_id,
    workspace_owner_id: null,
    datetime: presentDateTime(row.created_at),
    ip_address: row.ip_address,
    user_agent: row.user_agent,
    extra_data: {
      action: row.action,
      auth_method: row.auth_method,
      target_type: row.target_type,
      target_id: row.target_id,
      request_id: row.request_id,
      details: parseDetails(row.details),
    },
  };
}

const CSV_COLUMNS = ['id', 'datetime', 'user_id', 'email', 'action', 'request_method', 'request_url', 'response_code', 'auth_method', 'ip_address', 'user_agent', 'target_type', 'target_id', 'project_id', 'request_id', 'details'] as const;

/** A CSV field: quoted when it must be; a leading =, +, - or @ is defused so a spreadsheet never runs it. */
function csvField(value: unknown): string {
  let text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function presentActivityCsvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\r\n`;
}

export function presentActivityCsvRow(row: ActivityLogRow): string {
  const values: Record<(typeof CSV_COLUMNS)[number], unknown> = {
    id: row.id,
    datetime: presentDateTime(row.created_at),
    user_id: row.actor_id,
    email: row.actor_email,
    action: row.action,
    request_method: row.request_method,
    request_url: row.request_url,
    response_code: row.response_code,
    auth_method: row.auth_method,
    ip_address: row.ip_address,
    user_agent: row.user_agent,
    target_type: row.target_type,
    target_id: row.target_id,
    project_id: row.project_id,
    request_id: row.request_id,
    details: row.details,
  };
  return `${CSV_COLUMNS.map((column) => csvField(values[column])).join(',')}\r\n`;
}
