import type { MembershipListItem, RoleCode } from '../../api/types';
import { ASSIGNABLE_ROLES, ROLE_LABELS, roleCode, roleLabel } from '../../lib/roles';
import type { MemberActions } from './use-member-actions';

interface MemberRoleCellProps {
  member: MembershipListItem;
  actions: MemberActions;
  /** The role an approval gives (the organization's default role for sign-ups). */
  approvalRole: RoleCode;
}

/** The role, as a picker when the server says the viewer may change it; pending sign-ups get an Approve button. */
export function MemberRoleCell({ member, actions, approvalRole }: MemberRoleCellProps) {
  const code = roleCode(member.role);
  const canChange = member.allowed_actions.includes('change_role');
  const busy = actions.busy.has(member.user.id);
  const email = member.user.email;
  if (!canChange || !code) return <span className={`badge badge--${member.role.toLowerCase()}`}>{roleLabel(member.role)}</span>;
  return (
    <span className="role-cell" onClick={(event) => event.stopPropagation()}>
      <select
        className="select select--small role-select"
        aria-label={`Role of ${email}`}
        value={actions.pendingRoles.get(member.user.id) ?? code}
        disabled={busy}
        onChange={(e) => {
          const next = roleCode(e.target.value);
          if (next && next !== code) actions.changeRole(member, next);
        }}
      >
        {ASSIGNABLE_ROLES.map((role) => (
          <option key={role} value={role}>
            {ROLE_LABELS[role]}
          </option>
        ))}
      </select>
      {code === 'NO' && (
        <button
          type="button"
          className="btn btn--small btn--primary"
          disabled={busy}
          title={`Approve as ${ROLE_LABELS[approvalRole]}`}
          onClick={() => actions.changeRole(member, approvalRole)}
        >
          Approve<span className="visually-hidden"> {email}</span>
        </button>
      )}
    </span>
  );
}
