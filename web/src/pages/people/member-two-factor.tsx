import { useState } from 'react';
import { api } from '../../api/endpoints';
import { ConfirmDialog } from '../../components/dialog';
import { ErrorMessage, StatusText } from '../../components/feedback';
import { formatDate } from '../../lib/format';
import { useAsync } from '../../lib/use-async';

/**
 * In the member's panel, for those who may reset it (`reset_two_factor` in allowed_actions): whether the member uses
 * two-factor sign-in, and a reset for a lost phone, after a confirmation.
 */
export function MemberTwoFactor({ orgId, userId, email }: { orgId: number; userId: number; email: string }) {
  const status = useAsync(() => api.memberTwoFactor(orgId, userId), [orgId, userId]);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState(false);

  const reset = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await api.resetMemberTwoFactor(orgId, userId);
      setConfirming(false);
      setDone(true);
      status.reload();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const data = status.data?.user === userId ? status.data : undefined;
  return (
    <section className="panel__section" aria-labelledby="member-two-factor-title">
      <h3 id="member-two-factor-title" className="panel__section-title">
        Two-factor sign-in
      </h3>
      {status.status === 'error' && <ErrorMessage error={status.error} onRetry={status.reload} />}
      {data && (
        <div className="panel__actions">
          <span>{data.enabled ? `On since ${formatDate(data.enabled_at)}` : 'Off'}</span>
          {data.enabled && (
            <button type="button" className="btn btn--danger-outline" disabled={busy} onClick={() => setConfirming(true)}>
              Reset two-factor sign-in…
            </button>
          )}
        </div>
      )}
      {done && <StatusText tone="success">Two-factor sign-in of {email} is reset.</StatusText>}
      <ConfirmDialog
        open={confirming}
        title={`Reset two-factor sign-in of ${email}?`}
        message="Their authenticator app and recovery codes stop working: they log in with their password alone, and set up two-factor sign-in again where the organization requires it. Do this when they lost their phone and their recovery codes."
        confirmLabel="Reset"
        busy={busy}
        error={error !== undefined && <ErrorMessage error={error} />}
        onConfirm={reset}
        onCancel={() => {
          setConfirming(false);
          setError(undefined);
        }}
      />
    </section>
  );
}
