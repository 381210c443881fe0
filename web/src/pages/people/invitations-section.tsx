import { useState } from 'react';
import { fullMessageOf } from '../../api/client';
import { api } from '../../api/endpoints';
import type { Invitation, InvitationPage } from '../../api/types';
import { ConfirmDialog } from '../../components/dialog';
import { ErrorMessage, StatusText } from '../../components/feedback';
import { formatDate, formatDateTime } from '../../lib/format';
import { roleLabel } from '../../lib/roles';

interface InvitationsSectionProps {
  page: InvitationPage | undefined;
  /** Why the list could not be loaded, if it could not. */
  error: unknown;
  onChanged: () => void;
}

function statusText(invitation: Invitation): string {
  return invitation.status === 'expired' ? `Expired ${formatDate(invitation.expires_at)}` : `Pending until ${formatDate(invitation.expires_at)}`;
}

/**
 * Invitations sent by e-mail and not accepted yet (pending or expired), under the member list: resend (a new link
 * and expiry; the old link stops working) and revoke, as the server allows for each.
 */
export function InvitationsSection({ page, error, onChanged }: InvitationsSectionProps) {
  const [busy, setBusy] = useState<string>();
  const [result, setResult] = useState<{ ok: boolean; message: string }>();
  const [revoking, setRevoking] = useState<Invitation>();
  const [revokeError, setRevokeError] = useState<unknown>();

  if (error !== undefined && !page) return <ErrorMessage title="Could not load invitations." error={error} onRetry={onChanged} />;
  if (!page || page.results.length === 0) return null;

  const resend = async (invitation: Invitation) => {
    setBusy(invitation.email);
    setResult(undefined);
    try {
      await api.resendInvitation(invitation.email);
      setResult({ ok: true, message: `Invitation sent again to ${invitation.email}. The earlier link no longer works.` });
      onChanged();
    } catch (error) {
      setResult({ ok: false, message: fullMessageOf(error) });
    } finally {
      setBusy(undefined);
    }
  };
  const revoke = async () => {
    if (!revoking) return;
    setBusy(revoking.email);
    setRevokeError(undefined);
    try {
      await api.revokeInvitation(revoking.email);
      setResult({ ok: true, message: `The invitation of ${revoking.email} was revoked.` });
      setRevoking(undefined);
      onChanged();
    } catch (error) {
      setRevokeError(error);
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <section className="card invitations" aria-labelledby="invitations-title">
      <div className="invitations__header">
        <h2 id="invitations-title">Invitations</h2>
        <span className="muted">{page.count === 1 ? '1 not accepted yet' : `${page.count} not accepted yet`}</span>
      </div>
      {!page.email_enabled && (
        <p className="callout callout--warning invitations__notice">This server cannot send e-mail: invitations cannot be resent.</p>
      )}
      <div className="invitations__status" aria-live="polite">
        {result && <StatusText tone={result.ok ? 'success' : 'error'}>{result.message}</StatusText>}
      </div>
      <div className="table-wrap">
        <table className="table table--invitations">
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">Last sent</th>
              <th scope="col">Invited by</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {page.results.map((invitation) => (
              <tr key={invitation.id} data-email={invitation.email}>
                <td className="col-email">{invitation.email}</td>
                <td>
                  <span className={`badge badge--${invitation.role.toLowerCase()}`}>{roleLabel(invitation.role)}</span>
                </td>
                <td className={invitation.status === 'expired' ? 'invitations__expired' : undefined}>{statusText(invitation)}</td>
                <td>
                  {formatDateTime(invitation.last_sent_at)}
                  {invitation.send_count > 1 && <span className="muted"> · {invitation.send_count} times</span>}
                </td>
                <td className="col-email">{invitation.invited_by?.email ?? '—'}</td>
                <td className="invitations__actions">
                  {invitation.allowed_actions.includes('resend') && (
                    <button
                      type="button"
                      className="btn btn--small"
                      onClick={() => void resend(invitation)}
                      disabled={busy !== undefined}
                      aria-label={`Resend the invitation of ${invitation.email}`}
                    >
                      {busy === invitation.email ? 'Sending…' : 'Resend'}
                    </button>
                  )}
                  {invitation.allowed_actions.includes('revoke') && (
                    <button
                      type="button"
                      className="btn btn--small btn--danger-outline"
                      onClick={() => {
                        setRevokeError(undefined);
                        setRevoking(invitation);
                      }}
                      disabled={busy !== undefined}
                      aria-label={`Revoke the invitation of ${invitation.email}`}
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ConfirmDialog
        open={revoking !== undefined}
        title={`Revoke the invitation of ${revoking?.email ?? ''}?`}
        message="The link in the e-mail stops working at once. You can invite the address again later."
        confirmLabel="Revoke invitation"
        busy={busy !== undefined}
        error={revokeError !== undefined ? <ErrorMessage error={revokeError} /> : undefined}
        onConfirm={() => void revoke()}
        onCancel={() => setRevoking(undefined)}
      />
    </section>
  );
}
