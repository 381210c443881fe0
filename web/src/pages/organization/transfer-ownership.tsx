import { useState } from 'react';
import { api } from '../../api/endpoints';
import { ConfirmDialog } from '../../components/dialog';
import { ErrorMessage } from '../../components/feedback';
import { MemberPicker, type PickedMember } from '../../components/member-picker';
import { isActiveRole, roleCode } from '../../lib/roles';
import { useSession } from '../../session';

interface TransferOwnershipProps {
  orgId: number;
  /** Called with the new owner's e-mail once the session reflects the change. */
  onTransferred: (email: string) => void;
}

/** The owner hands the organization to another active member and becomes an administrator. */
export function TransferOwnership({ orgId, onTransferred }: TransferOwnershipProps) {
  const { me, reload } = useSession();
  const [member, setMember] = useState<PickedMember>();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const transfer = async () => {
    if (!member) return;
    setBusy(true);
    setError(undefined);
    try {
      await api.transferOwnership(orgId, member.id);
      setConfirming(false);
      onTransferred(member.email);
      // The caller's permissions changed: the pages follow the new ones.
      await reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card settings-section settings-section--danger" aria-labelledby="transfer-title">
      <h2 id="transfer-title" className="settings-section__title">
        Transfer ownership
      </h2>
      <p className="settings-section__text">
        An organization has one owner. Hand it to another active member: you become an administrator, and only the new
        owner can hand it back.
      </p>
      <div className="inline-row inline-row--bottom">
        <MemberPicker
          orgId={orgId}
          label="New owner"
          selected={member}
          onSelect={setMember}
          accept={(item) => {
            const role = roleCode(item.role);
            return item.user.id !== me.id && role !== undefined && isActiveRole(role);
          }}
        />
        <button type="button" className="btn btn--danger-outline" disabled={!member} onClick={() => setConfirming(true)}>
          Transfer ownership…
        </button>
      </div>
      <ConfirmDialog
        open={confirming}
        title="Transfer ownership?"
        message={
          <>
            <strong>{member?.email}</strong> becomes the owner of {me.active_organization_meta.title}. You become an
            administrator at once, and only the new owner can give ownership back.
          </>
        }
        confirmLabel="Transfer ownership"
        busy={busy}
        error={error !== undefined && <ErrorMessage error={error} />}
        onConfirm={transfer}
        onCancel={() => {
          setConfirming(false);
          setError(undefined);
        }}
      />
    </section>
  );
}
