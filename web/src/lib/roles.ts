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

export const roleLabel = (role: RoleCode | undefined): string => (role ? ROLE_LABELS[role] : 'Unknown');
/** By the membership role; without one (membership not loaded), by whoami's permission strings. */
export const canInvite = (role: RoleCode | undefined, permissions: readonly string[]): boolean =>
  role !== undefined ? CAN_INVITE.has(role) : permissions.includes('organizations.invite');
export const canChangeTokenSettings = (role: RoleCode | undefined, permissions: readonly string[]): boolean =>
  role !== undefined ? CAN_CHANGE_TOKEN_SETTINGS.has(role) : permissions.includes('organizations.change');
