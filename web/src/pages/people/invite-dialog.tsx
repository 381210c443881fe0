import { useEffect, useRef, useState } from 'react';
import { api } from '../../api/endpoints';
import type { Invite } from '../../api/types';
import { Dialog } from '../../components/dialog';
import { ErrorMessage, Spinner } from '../../components/feedback';
import { copyText } from '../../lib/clipboard';
import { InviteByEmail } from './invite-by-email';

interface InviteDialogProps {
  open: boolean;
  onClose: () => void;
  /** Whether the server can send e-mail (undefined while unknown). */
  emailEnabled: boolean | undefined;
  invitableRoles: readonly string[];
  onInvited: () => void;
}

/**
 * "Invite people": e-mail invitations in a role, and the current invite link (GET /api/invite). Opening it never
 * rotates the token — Label Studio's newer dialog does, silently breaking links already sent; here only "Reset Link"
 * does.
 */
export function InviteDialog({ open, onClose, emailEnabled, invitableRoles, onInvited }: InviteDialogProps) {
  const [invite, setInvite] = useState<Invite>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState<'load' | 'reset' | undefined>();
  const [copied, setCopied] = useState<'copied' | 'failed' | undefined>();
  const [wasReset, setWasReset] = useState(false);
  const timer = useRef<number | undefined>(undefined);

  useEffect(() => {
    if (!open) return;
    let live = true;
    setBusy('load');
    setError(undefined);
    setWasReset(false);
    api
      .invite()
      .then((value) => live && setInvite(value))
      .catch((e: unknown) => live && setError(e))
      .finally(() => live && setBusy(undefined));
    return () => {
      live = false;
    };
  }, [open]);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  const link = invite ? `${location.origin}${invite.invite_url}` : '';

  const copy = async () => {
    setCopied((await copyText(link)) ? 'copied' : 'failed');
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => setCopied(undefined), 1500);
  };

  const reset = async () => {
    setBusy('reset');
    setError(undefined);
    try {
      setInvite(await api.resetInvite());
      setWasReset(true);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <Dialog
      open={open}
      title="Invite people"
      onClose={onClose}
      width={640}
      footer={
        <>
          <button type="button" className="btn btn--danger-outline" onClick={reset} disabled={!invite || busy !== undefined}>
            {busy === 'reset' ? 'Resetting…' : 'Reset Link'}
          </button>
          <button type="button" className="btn btn--primary" onClick={copy} disabled={!invite || busy !== undefined}>
            {copied === 'copied' ? 'Copied!' : copied === 'failed' ? 'Copy failed' : 'Copy link'}
          </button>
        </>
      }
    >
      <InviteByEmail emailEnabled={emailEnabled} roles={invitableRoles} onSent={onInvited} />
      <label htmlFor="invite-link" className="field__label">
        Invite link
      </label>
      <div className="invite-link">
        <input
          id="invite-link"
          className="input input--mono"
          readOnly
          value={busy === 'load' ? '' : link}
          placeholder={busy === 'load' ? 'Loading invite link…' : ''}
          onFocus={(e) => e.currentTarget.select()}
          aria-describedby="invite-help"
        />
        {busy === 'load' && <Spinner label="Loading invite link…" />}
      </div>
      <p id="invite-help" className="dialog__text muted">
        Invite people to join your Label Studio instance. People that you invite have full access to all of your
        projects.{' '}
        <a href="https://labelstud.io/guide/signup.html" target="_blank" rel="noreferrer">
          Learn more
        </a>
        .
      </p>
      {wasReset && (
        <p className="status-text status-text--success" role="status">
          The link was reset. Links sent before no longer work.
        </p>
      )}
      {error !== undefined && <ErrorMessage error={error} />}
      <span className="visually-hidden" aria-live="polite">
        {copied === 'copied' ? 'Invite link copied' : ''}
      </span>
    </Dialog>
  );
}
