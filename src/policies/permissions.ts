import type { RoleCode } from '#src/storage/schema.js';

const ACTIVE: readonly RoleCode[] = ['OW', 'AD', 'MA', 'RE', 'AN'];

/**
 * Everything a member can be allowed to do, and which roles may do it: the one permission table. Keys use Label
 * Studio's dotted permission names where it has one (whoami lists them), ours otherwise. Community lets every member
 * do everything; we keep that for everyday work and reserve administration to the owner (OW) and administrators (AD).
 * Pending (NO) and deactivated (DI) members may do nothing. docs/permissions.md is generated from this table.
 */
export const PERMISSIONS = {
  'account.view': ACTIVE,
  'account.change': ACTIVE,
  'users.token.any': ACTIVE,
  'organizations.view': ACTIVE,
  'organizations.change': ['OW', 'AD'],
  'organizations.invite': ['OW', 'AD', 'MA'],
  'organizations.token_settings': ['OW', 'AD'],
  'members.view': ACTIVE,
  'members.delete': ['OW'],
  'users.view': ACTIVE,
  'users.create': ['OW', 'AD'],
  'users.change': ['OW', 'AD'],
  'users.delete': ['OW'],
  'projects.view': ACTIVE,
  'projects.create': ACTIVE,
  'tasks.view': ACTIVE,
  'tasks.create': ACTIVE,
  'annotations.view': ACTIVE,
  'annotations.create': ACTIVE,
} as const satisfies Record<string, readonly RoleCode[]>;

export type Permission = keyof typeof PERMISSIONS;

/** What each permission lets a member do, for docs/permissions.md. */
export const PERMISSION_MEANINGS: Record<Permission, string> = {
  'account.view': 'see your own account and legacy API token',
  'account.change': 'change your own profile, hotkeys, avatar and legacy API token',
  'users.token.any': 'create, list and rotate your personal access tokens',
  'organizations.view': 'see the organization and its token settings',
  'organizations.change': 'rename the organization, change its contact e-mail',
  'organizations.invite': 'see and reset the invite link',
  'organizations.token_settings': 'allow or refuse personal access tokens and legacy keys',
  'members.view': 'list members and see their contributions',
  'members.delete': 'remove a member (soft delete)',
  'users.view': 'list and see the users of the organization',
  'users.create': 'create users in the organization',
  'users.change': 'change other members’ profiles and avatars (never the owner’s, never a higher role’s)',
  'users.delete': 'delete a user for good (their work stays)',
  'projects.view': 'list and see projects',
  'projects.create': 'create projects',
  'tasks.view': 'list tasks',
  'tasks.create': 'import tasks',
  'annotations.view': 'list a task’s annotations',
  'annotations.create': 'annotate tasks',
};

/**
 * Label Studio permission strings this server has no routes for, listed in whoami for Label Studio's clients.
 * They follow `organizations.view` (every active role), except deleting the organization, which follows changing it.
 */
const UNENFORCED_LABEL_STUDIO_PERMISSIONS: readonly string[] = [
  'organizations.create',
  'organizations.delete',
  'projects.change',
  'projects.delete',
  'projects.reset_cache',
  'tasks.change',
  'tasks.delete',
  'views.reset',
  'annotations.change',
  'annotations.delete',
  'actions.perform',
  'predictions.any',
  'avatar.any',
  ...['create', 'view', 'change', 'delete'].map((a) => `labels.${a}`),
  ...['create', 'view', 'change', 'delete'].map((a) => `models.${a}`),
  ...['create', 'view', 'change', 'delete'].map((a) => `model_provider_connection.${a}`),
  'webhooks.view',
  'webhooks.change',
  'storages.view',
  'storages.change',
  'storages.sync',
  ...['view', 'create', 'change', 'delete'].map((a) => `views.${a}`),
];

/** True when a member with this role may do it. Pending (NO) and deactivated (DI) members may do nothing. */
export function roleAllows(role: RoleCode, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly RoleCode[]).includes(role);
}

/** Every permission key a role holds (whoami `permissions`): what the web app shows and hides by. */
export function permissionsOf(role: RoleCode | undefined): string[] {
  if (!role) return [];
  const held = (Object.keys(PERMISSIONS) as Permission[]).filter((permission) => roleAllows(role, permission));
  const extras = UNENFORCED_LABEL_STUDIO_PERMISSIONS.filter((name) =>
    roleAllows(role, name === 'organizations.delete' ? 'organizations.change' : 'organizations.view'),
  );
  return [...held, ...extras];
}

/** Role given to people who join an organization by sign-up or API creation. */
export const DEFAULT_MEMBER_ROLE: RoleCode = 'AN';

/** Roles that may act at all; the others (pending, deactivated) are members without access. */
export const isActiveRole = (role: RoleCode): boolean => ACTIVE.includes(role);
