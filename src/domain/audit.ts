/**
 * What the activity log records: one entry per state-changing action, named `area.what_happened`. The list is closed
 * so a typo is a build error and the log's filters can offer every action.
 */
export const AUDIT_ACTIONS = [
  'auth.signed_up',
  'auth.logged_in',
  'auth.login_failed',
  'auth.logged_out',
  'auth.locked_out',
  'auth.unlocked',
  'auth.session_revoked',
  'auth.two_factor_failed',
  'auth.recovery_code_used',
  'user.created',
  'user.profile_changed',
  'user.avatar_changed',
  'user.hotkeys_changed',
  'user.deleted',
  'user.password_changed',
  'user.password_reset',
  'user.password_reset_requested',
  'user.two_factor_enabled',
  'user.two_factor_disabled',
  'user.two_factor_reset',
  'user.recovery_codes_regenerated',
  'member.role_changed',
  'member.deactivated',
  'member.reactivated',
  'member.approved',
  'member.removed',
  'member.left',
  'organization.created',
  'organization.changed',
  'organization.default_role_changed',
  'organization.permission_changed',
  'organization.permissions_reset',
  'organization.ownership_transferred',
  'organization.token_settings_changed',
  'organization.session_policy_changed',
  'organization.two_factor_requirement_changed',
  'invite.link_reset',
  'invite.sent',
  'invite.resent',
  'invite.revoked',
  'invite.accepted',
  'token.legacy_reset',
  'token.created',
  'token.rotated',
  'token.revoked',
  'project.created',
  'project.tasks_imported',
  'project.annotation_created',
  'import.completed',
  'activity_log.purged',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const REDACTED = '[redacted]';

/**
 * Keys whose values are secrets: never written to the log, whatever the action. A session's id is one; a session
 * policy's durations and counts of sessions ended are not (`max_session_age`, `sessions_ended`).
 */
const SECRET_KEY = /pass(word)?|token|secret|key|hash|cookie|session_?id|refresh|access|csrf/i;

/** A copy of `value` with every secret-looking field replaced by `[redacted]`, at any depth. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key, SECRET_KEY.test(key) ? REDACTED : redactSecrets(inner)]),
  );
}

/** `{field: {before, after}}` for the fields that differ (what a change log shows). */
export function diffFields(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, { before: unknown; after: unknown }> {
  const changes: Record<string, { before: unknown; after: unknown }> = {};
  for (const [key, value] of Object.entries(after)) {
    if (value !== undefined && JSON.stringify(value) !== JSON.stringify(before[key])) changes[key] = { before: before[key] ?? null, after: value };
  }
  return changes;
}
