/**
 * The activity log's action names, read from the server's own closed list (src/domain/audit.ts, a module with no
 * imports) so the filter offers exactly what the server records and accepts; the labels are made from the names.
 */
import { AUDIT_ACTIONS } from '../../../src/domain/audit';

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

const sentence = (words: string) => {
  const text = words.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
};

/** `member.role_changed` → "Role changed" (the area is the group's name). */
export const actionLabel = (action: string): string => sentence(action.slice(action.indexOf('.') + 1));

/** `member` → "Member", `auth` → "Authentication". */
export const areaLabel = (area: string): string => (area === 'auth' ? 'Authentication' : sentence(area));

/** `member.role_changed` → "Member: role changed", for a table cell read on its own. */
export const fullActionLabel = (action: string): string =>
  action.includes('.') ? `${areaLabel(action.slice(0, action.indexOf('.')))}: ${actionLabel(action).toLowerCase()}` : action;

/** The actions by area, in the server's order: the action filter's groups. */
export function actionGroups(): [string, AuditAction[]][] {
  const groups = new Map<string, AuditAction[]>();
  for (const action of AUDIT_ACTIONS) {
    const area = action.slice(0, action.indexOf('.'));
    groups.set(area, [...(groups.get(area) ?? []), action]);
  }
  return [...groups];
}

export const isAuditAction = (value: string): value is AuditAction => (AUDIT_ACTIONS as readonly string[]).includes(value);
