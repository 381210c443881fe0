import type { RoleCode } from '#src/storage/schema.js';

/**
 * Everything a member can be allowed to do, and which roles may do it: the one permission table.
 * Community Label Studio lets every member do everything; we keep that for everyday work and reserve
 * administration to the owner (OW) and administrators (AD). docs/permissions.md is checked against this table.
 */
export const PERMISSIONS = {
  'organization.view': ['OW', 'AD', 'MA', 'RE', 'AN'],
  'organization.change': ['OW', 'AD'],
  'organization.invite': ['OW', 'AD', 'MA'],
  'organization.token_settings': ['OW', 'AD'],
  'members.view': ['OW', 'AD', 'MA', 'RE', 'AN'],
  'members.delete': ['OW'],
  'users.view': ['OW', 'AD', 'MA', 'RE', 'AN'],
  'users.create': ['OW', 'AD'],
  'users.change_others': ['OW', 'AD'],
  'users.delete': ['OW'],
  'projects.view': ['OW', 'AD', 'MA', 'RE', 'AN'],
  'projects.create': ['OW', 'AD', 'MA', 'RE', 'AN'],
  'projects.change': ['OW', 'AD', 'MA', 'RE', 'AN'],
  'tasks.create': ['OW', 'AD', 'MA', 'RE', 'AN'],
  'tasks.view': ['OW', 'AD', 'MA', 'RE', 'AN'],
  'annotations.create': ['OW', 'AD', 'MA', 'RE', 'AN'],
  'tokens.own': ['OW', 'AD', 'MA', 'RE', 'AN'],
} as const satisfies Record<string, readonly RoleCode[]>;

export type Action = keyof typeof PERMISSIONS;

/** Label Studio's permission strings (whoami `permissions`), granted to every active role as in Community. */
export const LABEL_STUDIO_PERMISSION_STRINGS: readonly string[] = [
  ...['create', 'view', 'change', 'delete', 'invite'].map((a) => `organizations.${a}`),
  ...['create', 'view', 'change', 'delete'].map((a) => `projects.${a}`),
  'projects.reset_cache',
  ...['create', 'view', 'change', 'delete'].map((a) => `tasks.${a}`),
  'views.reset',
  ...['create', 'view', 'change', 'delete'].map((a) => `annotations.${a}`),
  'actions.perform',
  'predictions.any',
  'avatar.any',
  ...['create', 'view', 'change', 'delete'].map((a) => `labels.${a}`),
  ...['create', 'view', 'change', 'delete'].map((a) => `models.${a}`),
  ...['create', 'view', 'change', 'delete'].map((a) => `model_provider_connection.${a}`),
  'webhooks.view',
  'webhooks.change',
  'users.token.any',
  'storages.view',
  'storages.change',
  'storages.sync',
  ...['view', 'create', 'change', 'delete'].map((a) => `views.${a}`),
];

/** Label Studio permission strings that need one of our actions; the rest follow `organization.view`. */
const STRING_REQUIRES: Readonly<Record<string, Action>> = {
  'organizations.invite': 'organization.invite',
  'organizations.change': 'organization.change',
  'organizations.delete': 'organization.change',
};

/** The Label Studio permission strings a role holds (whoami `permissions`). */
export function labelStudioPermissionsFor(role: RoleCode | undefined): string[] {
  if (!role) return [];
  return LABEL_STUDIO_PERMISSION_STRINGS.filter((p) => roleAllows(role, STRING_REQUIRES[p] ?? 'organization.view'));
}

/** True when a member with this role may perform the action. Pending (NO) and deactivated (DI) members may do nothing. */
export function roleAllows(role: RoleCode, action: Action): boolean {
  return (PERMISSIONS[action] as readonly RoleCode[]).includes(role);
}

/** Role given to people who join an organization by sign-up or API creation. */
export const DEFAULT_MEMBER_ROLE: RoleCode = 'AN';
