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
  'session_policy.change': ['OW', 'AD'],
  'organizations.create': ACTIVE,
  'organizations.transfer': ['OW'],
  'organizations.two_factor': ['OW', 'AD'],
  'permissions.view': ['OW', 'AD'],
  'permissions.change': ['OW'],
  'activity_log.view': ['OW', 'AD'],
  'members.view': ACTIVE,
  'members.change_role': ['OW', 'AD'],
  'members.delete': ['OW'],
  'members.two_factor': ['OW', 'AD'],
  'users.view': ACTIVE,
  'users.create': ['OW', 'AD'],
  'users.change': ['OW', 'AD'],
  'users.delete': ['OW', 'AD'],
  'users.unlock': ['OW', 'AD'],
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
  'session_policy.change': 'change how long web sessions may live and stay idle in the organization',
  'organizations.create': 'create another organization (becoming its owner), where the instance allows it',
  'organizations.transfer': 'hand the organization’s ownership to another member',
  'organizations.two_factor': 'require two-factor sign-in of every member, or stop requiring it',
  'permissions.view': 'see which roles hold the configurable permissions',
  'permissions.change': 'move configurable permissions between roles, or reset them to these defaults',
  'activity_log.view': 'read and export the activity log',
  'members.view': 'list members and see their contributions',
  'members.change_role': 'change members’ roles: deactivate, reactivate, approve pending sign-ups (never upwards)',
  'members.delete': 'remove a member (soft delete)',
  'members.two_factor': 'see whether members use two-factor sign-in; reset a member’s second factor (never the owner’s, never a higher role’s)',
  'users.view': 'list and see the users of the organization',
  'users.create': 'create users in the organization',
  'users.change': 'change other members’ profiles and avatars (never the owner’s, never a higher role’s)',
  'users.delete': 'delete an account for good: shown as "Deleted User", their work stays (never the owner)',
  'users.unlock': 'see and lift a member’s login lockout',
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

/** A permission an owner may move between roles (Enterprise's "Customize organization permissions"). */
export interface ConfigurablePermission {
  label: string;
  group: string;
  tooltip: string;
  /** Roles that may be given it; the owner always holds it. */
  options: readonly RoleCode[];
}

export const CONFIGURABLE_PERMISSIONS: Partial<Record<Permission, ConfigurablePermission>> = {
  'organizations.invite': {
    label: 'Invite members to organization',
    group: 'Organization',
    tooltip: 'See, copy and reset the invite link',
    options: ['OW', 'AD', 'MA', 'RE', 'AN'],
  },
  'users.token.any': {
    label: 'Create API tokens',
    group: 'Account',
    tooltip: 'Create, list and rotate personal access tokens',
    options: ['OW', 'AD', 'MA', 'RE', 'AN'],
  },
  'projects.create': { label: 'Create projects', group: 'Projects', tooltip: 'Create new projects', options: ['OW', 'AD', 'MA', 'RE', 'AN'] },
  'tasks.create': { label: 'Import tasks', group: 'Projects', tooltip: 'Import tasks into projects', options: ['OW', 'AD', 'MA', 'RE', 'AN'] },
  'users.delete': { label: 'Delete users', group: 'Organization', tooltip: 'Delete accounts for good', options: ['OW', 'AD'] },
  'activity_log.view': { label: 'View the activity log', group: 'Organization', tooltip: 'Read and export who did what', options: ['OW', 'AD', 'MA'] },
};

export const isConfigurable = (key: string): key is Permission => key in CONFIGURABLE_PERMISSIONS;

/** An organization's overrides: permission → the roles that hold it there instead of the table's default. */
export type PermissionOverrides = ReadonlyMap<string, readonly RoleCode[]>;
const NO_OVERRIDES: PermissionOverrides = new Map();

/**
 * True when a member with this role may do it, in an organization with these overrides. Pending (NO) and
 * deactivated (DI) members may do nothing; the owner keeps every permission whatever the overrides say.
 */
export function roleAllows(role: RoleCode, permission: Permission, overrides: PermissionOverrides = NO_OVERRIDES): boolean {
  if (!isActiveRole(role)) return false;
  const override = isConfigurable(permission) ? overrides.get(permission) : undefined;
  if (override) return role === 'OW' || override.includes(role);
  return (PERMISSIONS[permission] as readonly RoleCode[]).includes(role);
}

/** Computed once per role and overrides table: whoami asks on every request, and the cached table is one object. */
const heldByOverrides = new WeakMap<PermissionOverrides, Map<RoleCode, readonly string[]>>();

/** Every permission key a role holds (whoami `permissions`): what the web app shows and hides by. */
export function permissionsOf(role: RoleCode | undefined, overrides: PermissionOverrides = NO_OVERRIDES): readonly string[] {
  if (!role) return [];
  let byRole = heldByOverrides.get(overrides);
  if (!byRole) heldByOverrides.set(overrides, (byRole = new Map()));
  const known = byRole.get(role);
  if (known) return known;
  const held = (Object.keys(PERMISSIONS) as Permission[]).filter((permission) => roleAllows(role, permission, overrides));
  const extras = UNENFORCED_LABEL_STUDIO_PERMISSIONS.filter((name) =>
    roleAllows(role, name === 'organizations.delete' ? 'organizations.change' : 'organizations.view'),
  );
  const all = Object.freeze([...held, ...extras]);
  byRole.set(role, all);
  return all;
}

/** Role given to people who join an organization by sign-up or API creation. */
export const DEFAULT_MEMBER_ROLE: RoleCode = 'AN';

/** Roles that may act at all; the others (pending, deactivated) are members without access. */
export function isActiveRole(role: RoleCode): boolean {
  return ACTIVE.includes(role);
}
