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
