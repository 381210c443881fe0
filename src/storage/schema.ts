import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Table types. Timestamps travel as ISO-8601 strings and booleans as booleans on both databases:
 * the database factory converts whatever the driver returns.
 */
export interface UserTable {
  id: Generated<number>;
  /** Normalised (trimmed, lower-cased) e-mail: the login identifier. */
  email: string;
  username: string;
  password: string;
  first_name: string;
  last_name: string;
  phone: string;
  avatar: string | null;
  custom_hotkeys: string;
  is_staff: boolean;
  is_superuser: boolean;
  is_active: boolean;
  allow_newsletters: boolean | null;
  date_joined: string;
  last_login: string | null;
  last_activity: string | null;
  active_organization_id: number | null;
  /** Set when the account was deleted: the row stays as "Deleted User", so their work stays attributed. */
  deleted_at: Generated<string | null>;
}

export interface OrganizationTable {
  id: Generated<number>;
  title: string;
  /** Keyed hash of the invite token (finds the organization of an invite link; the token itself is not stored). */
  invite_lookup_hash: string;
  /** The invite token encrypted under the instance secret, so members who may invite can still see the link. */
  invite_ciphertext: string | null;
  created_by_id: number | null;
  contact_info: string | null;
  allow_unsafe_instruction_tags: boolean;
  api_tokens_enabled: boolean;
  legacy_api_tokens_enabled: boolean;
  /** Role given to people who join through the invite link (Enterprise's `default_role`). */
  default_role: Generated<RoleCode>;
  /** Days a new personal access token lives (Label Studio's `api_token_ttl_days`; 73000, 200 years, by default). */
  api_token_ttl_days: Generated<number>;
  /** Every member must use two-factor sign-in; un-enrolled members are sent to enrolment (session calls refused until then). */
  require_two_factor: Generated<boolean>;
  created_at: string;
  updated_at: string;
}

/** Label Studio Enterprise's role codes; Community has no roles, we store them from the start. */
export type RoleCode = 'OW' | 'AD' | 'MA' | 'RE' | 'AN' | 'NO' | 'DI';

export interface OrganizationMemberTable {
  id: Generated<number>;
  user_id: number;
  organization_id: number;
  role: RoleCode;
  /** While deactivated (`DI`): the active role they had, which reactivation gives back (null otherwise). */
  role_before_deactivation: RoleCode | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface LegacyTokenTable {
  user_id: number;
  /** HMAC of the key under the instance secret: finds the row without storing the key. */
  lookup_hash: string;
  /** The key encrypted under the instance secret, so it can still be shown to its owner. */
  ciphertext: string;
  created_at: string;
}

export interface SessionTable {
  /** SHA-256 of the cookie value; the cookie value itself is never stored. */
  id_hash: string;
  user_id: number;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  keep_logged_in: boolean;
  /** Names the session to its owner (list, revoke): random, unrelated to the cookie. */
  public_id: string;
  /** Where it was last used from, and the browser that logged in (the owner's "Your sessions"). */
  ip: string | null;
  user_agent: string | null;
}

export interface PersonalAccessTokenTable {
  id: Generated<number>;
  user_id: number;
  jti: string;
  /** `header.payload` of the JWT, without its signature. */
  token_prefix: string;
  /**
   * SHA-256 (hex) of the whole token, for tokens this instance did not sign (imported from Label Studio, whose
   * signing key is not kept): such a token is recognised by this hash. Null for tokens signed with our own key.
   */
  token_hash: Generated<string | null>;
  created_at: string;
  expires_at: string;
  blacklisted_at: string | null;
}

export interface ProjectTable {
  id: Generated<number>;
  organization_id: number;
  created_by_id: number | null;
  title: string;
  description: string;
  label_config: string;
  created_at: string;
  updated_at: string;
}

export interface TaskTable {
  id: Generated<number>;
  project_id: number;
  /** JSON text. */
  data: string;
  /** JSON text. */
  meta: string;
  created_at: string;
  updated_at: string;
}

export interface AnnotationTable {
  id: Generated<number>;
  task_id: number;
  project_id: number;
  completed_by_id: number | null;
  /** JSON text. */
  result: string;
  was_cancelled: boolean;
  ground_truth: boolean;
  lead_time: number | null;
  created_at: string;
  updated_at: string;
}

export interface ProjectHotkeyPreferenceTable {
  user_id: number;
  project_id: number;
  /** JSON text. */
  custom_hotkeys: string;
}

/** An organization's override of which roles hold a configurable permission. */
export interface OrganizationPermissionTable {
  id: Generated<number>;
  organization_id: number;
  permission: string;
  /** JSON array of role codes. */
  roles: string;
  created_at: string;
  updated_at: string;
}

/** One state-changing action: who, what, where from, and what changed (secrets redacted). */
export interface ActivityLogTable {
  id: Generated<number>;
  created_at: string;
  organization_id: number | null;
  actor_id: number | null;
  actor_email: string;
  action: string;
  target_type: string | null;
  target_id: number | null;
  project_id: number | null;
  request_method: string;
  request_url: string;
  response_code: string;
  auth_method: string;
  ip_address: string | null;
  user_agent: string | null;
  request_id: string;
  /** JSON text. */
  details: string;
}

/** Mail written in the transaction of the change that causes it, sent after the commit. */
export interface MailOutboxTable {
  id: Generated<number>;
  recipient: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  created_at: string;
  attempts: Generated<number>;
  next_attempt_at: string;
  claimed_until: string | null;
  sent_at: string | null;
  last_error: string | null;
}

/** Files kept in the database (avatars with LABEL_STUDIO_FILE_STORE=database), so every server sees them. */
export interface StoredFileTable {
  name: string;
  content_type: string;
  data: Buffer;
  created_at: string;
}

/** Failure counters per scope (an account, a client address), shared by every server process. */
export interface AuthAttemptTable {
  scope: string;
  failures: number;
  window_started_at: string;
  last_failure_at: string;
  /** Attempts are refused until then (a progressive delay, or a lockout). */
  locked_until: Generated<string | null>;
}

/** An organization's session limits (Enterprise's SessionTimeoutPolicy), in minutes; absent means the server's defaults. */
export interface SessionPolicyTable {
  organization_id: number;
  max_session_age: number;
  max_time_between_activity: number;
  created_at: string;
  updated_at: string;
}

/** A user's authenticator (TOTP): the secret sealed under the instance secret; enabled once a code confirmed it. */
export interface UserTwoFactorTable {
  user_id: number;
  /** The base32 secret, AES-GCM encrypted: a database copy alone cannot compute codes. */
  secret_ciphertext: string;
  /** Null while enrolment waits for the first code. */
  enabled_at: string | null;
  /** Time step of the last accepted code: it and earlier steps are refused (no replay). */
  last_used_step: number | null;
  created_at: string;
}

/** One-time recovery codes, as keyed hashes (HMAC under the instance secret). */
export interface TwoFactorRecoveryCodeTable {
  id: Generated<number>;
  user_id: number;
  code_hash: string;
  used_at: string | null;
  created_at: string;
}

/** A login past its password, waiting for the second factor: the browser holds a random id, this table its SHA-256. */
export interface TwoFactorChallengeTable {
  id_hash: string;
  user_id: number;
  /** Where the session will open (the organization the password step chose). */
  organization_id: number;
  keep_logged_in: boolean;
  /** Wrong codes so far; a few end the pending login. */
  failures: Generated<number>;
  created_at: string;
  expires_at: string;
}

/** One Label Studio installation imported here, and how far its large tables were handled. */
export interface LabelStudioImportSourceTable {
  /** Fingerprint of the installation (its first migration), the same for a copy of its database. */
  source_key: string;
  description: string;
  first_imported_at: string;
  last_imported_at: string;
  /** Task and annotation ids up to these were handled by a previous run (imported, or left out on purpose). */
  task_high_water: number;
  annotation_high_water: number;
}

/** Where an imported row went: every user, organization, membership and project; tasks and annotations only when renumbered. */
export interface LabelStudioImportIdTable {
  source_key: string;
  entity: ImportedEntity;
  source_id: number;
  target_id: number;
}

/** A password-reset link, by the keyed hash of its secret; single use, time-limited. */
export interface PasswordResetTokenTable {
  id: Generated<number>;
  user_id: number;
  token_hash: string;
  /** Keyed hash of the password hash when the link was made: a password changed since makes it useless. */
  password_fingerprint: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** `pending` until accepted or revoked; a pending one past `expires_at` is expired (never stored as such). */
export type InvitationStatus = 'pending' | 'accepted' | 'revoked';

/** An e-mail invitation to an organization, in a role; the link's secret is kept only as a keyed hash. */
export interface EmailInvitationTable {
  id: Generated<number>;
  organization_id: number;
  email: string;
  role: RoleCode;
  token_hash: string;
  status: InvitationStatus;
  invited_by_id: number | null;
  created_at: string;
  updated_at: string;
  expires_at: string;
  last_sent_at: string;
  send_count: number;
  accepted_at: string | null;
  accepted_user_id: number | null;
  revoked_at: string | null;
}

/** Tables whose integer `id` the database numbers (a sequence on PostgreSQL, AUTOINCREMENT on SQLite). */
export type IdTable = 'users' | 'organizations' | 'organization_members' | 'projects' | 'tasks' | 'annotations';

/** `merged_user`: a Label Studio user whose e-mail was an account here, merged into it (`--on-conflict merge`). */
export type ImportedEntity = 'user' | 'merged_user' | 'organization' | 'membership' | 'project' | 'task' | 'annotation';

export interface Database {
  users: UserTable;
  organizations: OrganizationTable;
  organization_members: OrganizationMemberTable;
  legacy_tokens: LegacyTokenTable;
  sessions: SessionTable;
  personal_access_tokens: PersonalAccessTokenTable;
  projects: ProjectTable;
  tasks: TaskTable;
  annotations: AnnotationTable;
  project_hotkey_preferences: ProjectHotkeyPreferenceTable;
  mail_outbox: MailOutboxTable;
  stored_files: StoredFileTable;
  auth_attempts: AuthAttemptTable;
  session_policies: SessionPolicyTable;
  organization_permissions: OrganizationPermissionTable;
  activity_log: ActivityLogTable;
  label_studio_import_sources: LabelStudioImportSourceTable;
  label_studio_import_ids: LabelStudioImportIdTable;
  password_reset_tokens: PasswordResetTokenTable;
  email_invitations: EmailInvitationTable;
  user_two_factor: UserTwoFactorTable;
  two_factor_recovery_codes: TwoFactorRecoveryCodeTable;
  two_factor_challenges: TwoFactorChallengeTable;
}

/** Column names stored as booleans; SQLite keeps them as 0/1 and the factory converts them back. */
export const BOOLEAN_COLUMNS: ReadonlySet<string> = new Set([
  'is_staff',
  'is_superuser',
  'is_active',
  'allow_newsletters',
  'allow_unsafe_instruction_tags',
  'api_tokens_enabled',
  'legacy_api_tokens_enabled',
  'keep_logged_in',
  'was_cancelled',
  'ground_truth',
  'require_two_factor',
]);

/** A user as services see it: never the password hash, which only the credentials lookup reads. */
export type UserRow = Omit<Selectable<UserTable>, 'password'>;
export type UserColumn = keyof UserRow;
/** Every users column but the password hash; `satisfies` fails the build when a column is added and not listed. */
const USER_COLUMN_SET = {
  id: true,
  email: true,
  username: true,
  first_name: true,
  last_name: true,
  phone: true,
  avatar: true,
  custom_hotkeys: true,
  is_staff: true,
  is_superuser: true,
  is_active: true,
  allow_newsletters: true,
  date_joined: true,
  last_login: true,
  last_activity: true,
  active_organization_id: true,
  deleted_at: true,
} as const satisfies Record<UserColumn, true>;
export const USER_COLUMNS = Object.keys(USER_COLUMN_SET) as UserColumn[];
export type NewUser = Insertable<UserTable>;
export type UserUpdate = Updateable<UserTable>;
export type OrganizationRow = Selectable<OrganizationTable>;
export type OrganizationUpdate = Updateable<OrganizationTable>;
export type MembershipRow = Selectable<OrganizationMemberTable>;
export type PersonalAccessTokenRow = Selectable<PersonalAccessTokenTable>;
export type ProjectRow = Selectable<ProjectTable>;
export type TaskRow = Selectable<TaskTable>;
export type AnnotationRow = Selectable<AnnotationTable>;
export type MailOutboxRow = Selectable<MailOutboxTable>;
export type UserTwoFactorRow = Selectable<UserTwoFactorTable>;
export type TwoFactorChallengeRow = Selectable<TwoFactorChallengeTable>;
export type ActivityLogRow = Selectable<ActivityLogTable>;
export type NewActivityLog = Insertable<ActivityLogTable>;
export type PasswordResetTokenRow = Selectable<PasswordResetTokenTable>;
export type EmailInvitationRow = Selectable<EmailInvitationTable>;
