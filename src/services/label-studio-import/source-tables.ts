import type { ColumnKind, ColumnSpec, RowSpec, TableSpec } from '#src/ports/label-studio-source.port.js';

/**
 * What the import reads from Label Studio's tables (label-studio-database.md §4), by column name. Columns added by
 * later Label Studio versions are `optional`: an older database reads them as null. Columns not named here — newer
 * ones, a fork's, Enterprise's — are never selected, so they cannot get in the way.
 */

const required = <K extends ColumnKind>(kind: K): ColumnSpec<K> => ({ kind });
const optional = <K extends ColumnKind>(kind: K): ColumnSpec<K> => ({ kind, optional: true });

const spec = <S extends RowSpec>(table: string, key: string, columns: S): TableSpec<S> => ({ table, key, columns });

export const USERS = spec('htx_user', 'id', {
  id: required('integer'),
  password: required('text'),
  last_login: required('datetime'),
  is_superuser: required('boolean'),
  username: required('text'),
  email: required('text'),
  first_name: required('text'),
  last_name: required('text'),
  is_staff: required('boolean'),
  is_active: required('boolean'),
  date_joined: required('datetime'),
  last_activity: optional('datetime'),
  phone: optional('text'),
  avatar: optional('text'),
  active_organization_id: optional('integer'),
  allow_newsletters: optional('boolean'),
  custom_hotkeys: optional('json'),
});

export const LEGACY_TOKENS = spec('authtoken_token', 'user_id', {
  key: required('text'),
  created: required('datetime'),
  user_id: required('integer'),
});

export const ORGANIZATIONS = spec('organization', 'id', {
  id: required('integer'),
  title: required('text'),
  created_at: required('datetime'),
  updated_at: required('datetime'),
  created_by_id: required('integer'),
  token: required('text'),
  contact_info: optional('text'),
  allow_unsafe_instruction_tags: optional('boolean'),
  // Label Studio Enterprise (and forks) keep the invite-link role on the organization.
  default_role: optional('text'),
});

export const MEMBERSHIPS = spec('organizations_organizationmember', 'id', {
  id: required('integer'),
  created_at: required('datetime'),
  updated_at: required('datetime'),
  organization_id: required('integer'),
  user_id: required('integer'),
  deleted_at: optional('datetime'),
  // Label Studio Enterprise's role code, when the database has one.
  role: optional('text'),
});

export const TOKEN_SETTINGS = spec('jwt_auth_jwtsettings', 'organization_id', {
  organization_id: required('integer'),
  api_tokens_enabled: required('boolean'),
  api_token_ttl_days: required('integer'),
  legacy_api_tokens_enabled: required('boolean'),
});

export const OUTSTANDING_TOKENS = spec('token_blacklist_outstandingtoken', 'id', {
  id: required('integer'),
  token: required('text'),
  created_at: required('datetime'),
  expires_at: required('datetime'),
  user_id: required('integer'),
  jti: required('text'),
});

export const BLACKLISTED_TOKENS = spec('token_blacklist_blacklistedtoken', 'id', {
  id: required('integer'),
  blacklisted_at: required('datetime'),
  token_id: required('integer'),
});

export const PROJECTS = spec('project', 'id', {
  id: required('integer'),
  title: required('text'),
  label_config: required('text'),
  description: optional('text'),
  created_at: required('datetime'),
  updated_at: required('datetime'),
  created_by_id: required('integer'),
  organization_id: required('integer'),
  deleted_at: optional('datetime'),
});

export const TASKS = spec('task', 'id', {
  id: required('integer'),
  data: required('json'),
  meta: optional('json'),
  created_at: required('datetime'),
  updated_at: required('datetime'),
  project_id: required('integer'),
});

export const ANNOTATIONS = spec('task_completion', 'id', {
  id: required('integer'),
  result: required('json'),
  was_cancelled: required('boolean'),
  ground_truth: required('boolean'),
  created_at: required('datetime'),
  updated_at: required('datetime'),
  task_id: required('integer'),
  lead_time: optional('real'),
  completed_by_id: required('integer'),
  project_id: required('integer'),
});

export const PROJECT_HOTKEYS = spec('projects_projecthotkeypreference', 'id', {
  id: required('integer'),
  custom_hotkeys: required('json'),
  project_id: required('integer'),
  user_id: required('integer'),
});

/** Every table read, with the name the progress display and the report use. */
export const SOURCE_TABLES: ReadonlyArray<readonly [string, TableSpec]> = [
  ['users', USERS],
  ['organizations', ORGANIZATIONS],
  ['memberships', MEMBERSHIPS],
  ['personal access tokens', OUTSTANDING_TOKENS],
  ['projects', PROJECTS],
  ['tasks', TASKS],
  ['annotations', ANNOTATIONS],
  ['project hotkeys', PROJECT_HOTKEYS],
];
