import type { MembershipRow, RoleCode, UserRow } from '#src/storage/schema.js';

/** A member as `users … --json` prints them: flat, one object per member. */
export interface MemberJson {
  id: number;
  email: string;
  username: string;
  first_name: string;
  last_name: string;
  role: RoleCode;
  /** While deactivated: the role `users activate` gives back; null otherwise. */
  role_before_deactivation: RoleCode | null;
  organization: number;
  last_activity: string | null;
  date_joined: string;
}

export function presentMember(user: UserRow, membership: MembershipRow): MemberJson {
  return {
    id: user.id,
    email: user.email,
    username: user.username,
    first_name: user.first_name,
    last_name: user.last_name,
    role: membership.role,
    role_before_deactivation: membership.role === 'DI' ? membership.role_before_deactivation : null,
    organization: membership.organization_id,
    last_activity: user.last_activity,
    date_joined: user.date_joined,
  };
}

/** An instant to the second, in UTC: enough for a table, and sortable. */
function shortInstant(iso: string | null): string {
  return iso === null ? 'never' : `${iso.slice(0, 19).replace('T', ' ')}Z`;
}

/** Members as an aligned text table: id, e-mail, name, role, last activity. */
export function presentMemberTable(members: readonly MemberJson[]): string {
  const rows = [
    ['ID', 'EMAIL', 'NAME', 'ROLE', 'LAST ACTIVITY'],
    ...members.map((m) => [String(m.id), m.email, `${m.first_name} ${m.last_name}`.trim() || '-', m.role, shortInstant(m.last_activity)]),
  ];
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd()).join('\n') + '\n';
}
