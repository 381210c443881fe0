import type { MemberAction, MembershipListItem, RoleCode } from '../../api/types';
import { isActiveRole, roleCode, ROLE_LABELS } from '../../lib/roles';
import type { MemberActions, MemberRef } from './use-member-actions';

interface MemberManagementProps {
  member: MemberRef & Pick<MembershipListItem, 'role_before_deactivation'>;
  actions: MemberActions;
  /** The role approval gives (the organization's default role for sign-ups), and reactivation when none was kept. */
  activationRole: RoleCode;
}

/**
 * What the viewer may do to the member in the panel, exactly as the server's `allowed_actions` says: approve,
 * deactivate or reactivate (role changes), remove from the organization, delete the account. Reactivation gives back
 * the role kept at deactivation when the server says the viewer may (`restore_role`); any other role stays a choice
 * in the table's role picker.
 */
export function MemberManagement({ member, actions, activationRole }: MemberManagementProps) {
  const code = roleCode(member.role);
  const allowed = (action: MemberAction) => member.allowed_actions.includes(action);
  const busy = actions.busy.has(member.user.id);
  const canRole = allowed('change_role') && code !== undefined;
  const kept = roleCode(member.role_before_deactivation ?? undefined);
  const reactivationRole = kept && allowed('restore_role') ? kept : activationRole;
  const buttons = [
    canRole && code === 'NO' && (
      <button key="approve" type="button" className="btn btn--primary" disabled={busy} onClick={() => actions.changeRole(member, activationRole)}>
        Approve as {ROLE_LABELS[activationRole]}
      </button>
    ),
    canRole && code === 'DI' && (
      <button key="reactivate" type="button" className="btn btn--primary" disabled={busy} onClick={() => actions.changeRole(member, reactivationRole)}>
        Reactivate as {ROLE_LABELS[reactivationRole]}
      </button>
    ),
    canRole && isActiveRole(code) && (
      <button key="deactivate" type="button" className="btn btn--danger-outline" disabled={busy} onClick={() => actions.changeRole(member, 'DI')}>
        Deactivate…
      </button>
    ),
    allowed('remove') && (
      <button key="remove" type="button" className="btn btn--danger-outline" disabled={busy} onClick={() => actions.remove(member)}>
        Remove from organization…
      </button>
    ),
    allowed('delete') && (
      <button key="delete" type="button" className="btn btn--danger-outline" disabled={busy} onClick={() => actions.deleteAccount(member)}>
        Delete account…
      </button>
    ),
  ].filter(Boolean);
  if (buttons.length === 0) return null;
  return (
    <section className="panel__section" aria-labelledby="member-manage-title">
      <h3 id="member-manage-title" className="panel__section-title">
        Manage
      </h3>
      <div className="panel__actions">{buttons}</div>
    </section>
  );
}
