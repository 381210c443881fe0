import type { Static } from '@sinclair/typebox';
import type { OrganizationMembershipSchema, UserObjectSchema, WhoAmISchema } from '#src/http/schemas/user.schema.js';
import { presentDateTime } from '#src/http/presenters/datetime.presenter.js';
import { isActiveRole, permissionsOf, type PermissionOverrides } from '#src/policies/permissions.js';
import type { MembershipRow, RoleCode, UserRow } from '#src/storage/schema.js';

export interface OrganizationMeta {
  title: string;
  email: string;
}

/** Label Studio's user object (§6.1), fields in its order. */
export type UserJson = Static<typeof UserObjectSchema>;

export interface PresentUserOptions {
  /** Title and owner e-mail of the user's active organization, when it has one. */
  organizationMeta?: OrganizationMeta;
  /** True when the user is no longer a member of the viewer's organization: shown as "Deleted User". */
  masked?: boolean;
  /** Public base URL (`--host`) for avatar links; relative links when empty. */
  host?: string;
}

/** Label Studio's initials rule: two first letters of the e-mail, else first letters of the names; not upper-cased. */
export function initialsOf(user: Pick<UserRow, 'first_name' | 'last_name' | 'email'>, masked = false): string {
  if (masked) return 'DU';
  const first = user.first_name.trim();
  const last = user.last_name.trim();
  if (!first && !last) return user.email.slice(0, 2);
  return `${first.slice(0, 1)}${last.slice(0, 1)}`;
}

export function avatarUrl(avatar: string | null, host = ''): string | null {
  return avatar ? `${host.replace(/\/+$/, '')}/data/avatars/${avatar}` : null;
}

function parseHotkeys(raw: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(raw);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function presentUser(user: UserRow, options: PresentUserOptions = {}): UserJson {
  // A deleted account is "Deleted User" everywhere, whoever looks.
  const masked = options.masked === true || user.deleted_at !== null;
  return {
    id: user.id,
    first_name: masked ? 'Deleted' : user.first_name,
    last_name: masked ? 'User' : user.last_name,
    username: masked ? `deleted-${user.id}` : user.username,
    email: masked ? `deleted-${user.id}-user@example.com` : user.email,
    last_activity: presentDateTime(user.last_activity),
    custom_hotkeys: parseHotkeys(user.custom_hotkeys),
    avatar: masked ? null : avatarUrl(user.avatar, options.host),
    initials: initialsOf(user, masked),
    phone: masked ? '' : user.phone,
    active_organization: user.active_organization_id,
    active_organization_meta: options.organizationMeta ?? { title: '', email: '' },
    allow_newsletters: user.allow_newsletters,
    date_joined: presentDateTime(user.date_joined),
  };
}

/** A membership as whoami shows it (Label Studio Enterprise's `organization_membership`). */
function presentMembership(membership: MembershipRow): Static<typeof OrganizationMembershipSchema> {
  return { role: membership.role, active: isActiveRole(membership.role), organization_id: membership.organization_id };
}

/**
 * whoami: the user, their membership in the active organization and all their live ones, and the permission keys
 * their role holds there — what the web app shows and hides by, so it never copies the permission table.
 */
export function presentWhoAmI(
  user: UserRow,
  memberships: MembershipRow[],
  overrides: PermissionOverrides,
  disabled: readonly string[],
  options: PresentUserOptions,
): Static<typeof WhoAmISchema> {
  const active = memberships.find((m) => m.organization_id === user.active_organization_id);
  const role: RoleCode | undefined = active?.role;
  const held = permissionsOf(role, overrides);
  // Extended in place: spreading the user object into a new one costs more than the rest of the presenter.
  return Object.assign(presentUser(user, options), {
    organization_membership: active ? presentMembership(active) : null,
    org_membership: memberships.map(presentMembership),
    permissions: disabled.length === 0 ? [...held] : held.filter((permission) => !disabled.includes(permission)),
  });
}
