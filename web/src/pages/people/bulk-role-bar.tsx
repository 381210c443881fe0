import { useId, useState } from 'react';
import { fullMessageOf } from '../../api/client';
import { api } from '../../api/endpoints';
import type { MembershipListItem, RoleCode } from '../../api/types';
import { ConfirmDialog } from '../../components/dialog';
import { ASSIGNABLE_ROLES, ROLE_LABELS, roleCode } from '../../lib/roles';
import { confirmationFor, confirmKindOf } from './member-confirmations';

/** How a bulk change went: who failed and why, member by member. */
export interface BulkReport {
  role: RoleCode;
  changed: number;
  failures: { email: string; reason: string }[];
}

interface BulkRoleBarProps {
  orgId: number;
  members: MembershipListItem[];
  onClear: () => void;
  /** After the run: the members that failed stay selected. */
  onDone: (report: BulkReport, failedIds: number[]) => void;
}

/** "N selected: Change role to …": one PATCH per member, in turn, so each failure is reported on its own. */
export function BulkRoleBar({ orgId, members, onClear, onDone }: BulkRoleBarProps) {
  const id = useId();
  const [role, setRole] = useState<RoleCode>('AN');
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);

  const run = async () => {
    setBusy(true);
    const failures: BulkReport['failures'] = [];
    const failedIds: number[] = [];
    let changed = 0;
    for (const member of members) {
      try {
        await api.changeRole(orgId, member.user.id, role);
        changed += 1;
      } catch (error) {
        failures.push({ email: member.user.email, reason: fullMessageOf(error) });
        failedIds.push(member.user.id);
      }
    }
    setBusy(false);
    setConfirming(false);
    onDone({ role, changed, failures }, failedIds);
  };

  const kind = confirmKindOf(role);
  const count = members.length === 1 ? '1 member' : `${members.length} members`;
  const question = kind && confirmationFor(kind, count);
  return (
    <div className="bulk-bar" role="region" aria-label="Change the role of the selected members">
      <span className="bulk-bar__count">{count} selected</span>
      <label htmlFor={id} className="bulk-bar__label">
        Change role to
      </label>
      <select id={id} className="select select--small" value={role} onChange={(e) => setRole(roleCode(e.target.value) ?? 'AN')}>
        {ASSIGNABLE_ROLES.map((code) => (
          <option key={code} value={code}>
            {ROLE_LABELS[code]}
          </option>
        ))}
      </select>
      <button type="button" className="btn btn--small btn--primary" disabled={busy} onClick={() => (kind ? setConfirming(true) : void run())}>
        {busy ? 'Changing…' : 'Apply'}
      </button>
      <button type="button" className="btn btn--small btn--ghost" disabled={busy} onClick={onClear}>
        Clear<span className="visually-hidden"> selection</span>
      </button>
      <ConfirmDialog
        open={confirming}
        title={question?.title ?? ''}
        message={question?.message}
        confirmLabel={question?.confirmLabel ?? 'Apply'}
        busy={busy}
        onConfirm={run}
        onCancel={() => setConfirming(false)}
      />
    </div>
  );
}

/** The outcome of the last bulk change, failures listed by member. */
export function BulkReportView({ report, onDismiss }: { report: BulkReport; onDismiss: () => void }) {
  const to = ROLE_LABELS[report.role];
  const summary =
    report.changed > 0 ? `Changed ${report.changed === 1 ? '1 member' : `${report.changed} members`} to ${to}.` : `No member was changed to ${to}.`;
  const failed = report.failures.length;
  return (
    <div className={`bulk-report${failed > 0 ? ' bulk-report--error' : ''}`} role={failed > 0 ? 'alert' : 'status'}>
      <div>
        <strong>{summary}</strong>
        {failed > 0 && (
          <>
            <span> {failed === 1 ? '1 failed' : `${failed} failed`}:</span>
            <ul className="bulk-report__failures">
              {report.failures.map((failure) => (
                <li key={failure.email}>
                  <span className="bulk-report__email">{failure.email}</span>: {failure.reason}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
      <button type="button" className="btn btn--small btn--ghost" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}
