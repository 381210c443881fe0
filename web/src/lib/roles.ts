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

/** Mirrors the server's permission table: who may see and reset the invite link, who may change token settings. */
const CAN_INVITE: ReadonlySet<RoleCode> = new Set(['OW', 'AD', 'MA']);
const CAN_CHANGE_TOKEN_SETTINGS: ReadonlySet<RoleCode> = new Set(['OW', 'AD']);

/** The API declares `role` as a plain string: a code this app does not know counts as no known role. */
export function roleCode(role: string | undefined): RoleCode | undefined {
  if (role === undefined) return undefined;
  return Object.keys(ROLE_LABELS).find((code): code is RoleCode => code === role);
}

export const roleLabel = (role: string | undefined): string => {
  const code = roleCode(role);
  return code ? ROLE_LABELS[code] : 'Unknown';
};
/** By the membership role; without a known one (membership not loaded), by whoami's permission strings. */
export const canInvite = (role: string | undefined, permissions: readonly string[]): boolean => {
  const code = roleCode(role);
  return code !== undefined ? CAN_INVITE.has(code) : permissions.includes('organizations.invite');
};
export const canChangeTokenSettings = (role: string | undefined, permissions: readonly string[]): boolean => {
  const code = roleCode(role);
  return code !== undefined ? CAN_CHANGE_TOKEN_SETTINGS.has(code) : permissions.includes('organizations.change');
};
