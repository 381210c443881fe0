import type { RoleCode } from '../api/types';

/** Role labels of Label Studio's Account page (§7.3). */
export const ROLE_LABELS: Record<RoleCode, string> = {
  OW: 'Owner',
  AD: 'Administrator',
  MA: 'Manager',
  RE: 'Reviewer',
  AN: 'Annotator',
  NO: 'Pending',
  DI: 'Deactivated',
};

/** The API declares `role` as a plain string: a code this app does not know counts as no known role. */
export function roleCode(role: string | undefined): RoleCode | undefined {
  if (role === undefined) return undefined;
  return Object.keys(ROLE_LABELS).find((code): code is RoleCode => code === role);
}

export const roleLabel = (role: string | undefined): string => {
  const code = roleCode(role);
  return code ? ROLE_LABELS[code] : 'Unknown';
};

/** Every role, highest first: the order of filters, columns and pickers. */
export const ALL_ROLES: readonly RoleCode[] = ['OW', 'AD', 'MA', 'RE', 'AN', 'NO', 'DI'];

/** Roles a role change may give (the API's `role` values): the owner changes only by transferring ownership. */
export const ASSIGNABLE_ROLES: readonly RoleCode[] = ['AD', 'MA', 'RE', 'AN', 'NO', 'DI'];

/** Roles invite-link sign-ups may get (set-default-role): NO makes them wait for approval. */
export const SIGN_UP_ROLES: readonly RoleCode[] = ['AD', 'MA', 'RE', 'AN', 'NO'];

/** Pending and deactivated members have no access at all. */
export const isActiveRole = (role: RoleCode): boolean => role !== 'NO' && role !== 'DI';

/** Giving this role takes the member's access away: the page asks first. */
export const removesAccess = (role: RoleCode): boolean => !isActiveRole(role);

/**
 * The role a pending sign-up gets when approved, or a deactivated member with no kept role when reactivated: the
 * organization's default role for sign-ups, or Annotator while that default is "wait for approval" itself.
 */
export function activationRole(defaultRole: string | undefined): RoleCode {
  const code = roleCode(defaultRole);
  return code && code !== 'OW' && isActiveRole(code) ? code : 'AN';
}

/**
 * What each role is for, in a sentence: names only, never what a role may do here (that is the server's
 * permission table, customizable per organization, and shown from whoami and the Permissions page).
 */
export const ROLE_PURPOSES: Record<RoleCode, string> = {
  OW: 'Created the organization, or received it by transfer. There is exactly one.',
  AD: 'Runs the organization with the owner: its members and settings.',
  MA: 'Runs projects and the people working on them.',
  RE: 'Checks and corrects the annotations of others.',
  AN: 'Labels the tasks of the projects they work on.',
  NO: 'Signed up through the invite link and waits for approval; no access until then.',
  DI: 'No access. Their work stays; reactivating gives their role back (or another role).',
};
