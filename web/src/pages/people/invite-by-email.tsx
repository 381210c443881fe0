import { useState, type FormEvent } from 'react';
import { ApiError, fullMessageOf } from '../../api/client';
import { api } from '../../api/endpoints';
import type { RoleCode } from '../../api/types';
import { StatusText } from '../../components/feedback';
import { roleCode, roleLabel } from '../../lib/roles';

interface InviteByEmailProps {
  /** Undefined while the server's answer is loading. */
  emailEnabled: boolean | undefined;
  /** Roles the caller may invite people as (from the server). */
  roles: readonly string[];
  onSent: () => void;
}

/** Addresses typed with commas, semicolons, spaces or new lines between them. */
const addressesIn = (text: string): string[] => text.split(/[\s,;]+/).filter(Boolean);

/**
 * "Invite by e-mail" in the Add People dialog: addresses and a role (only roles the caller may give); each address
 * gets a link of its own. Without mail on the server it says so, and the invite link below stays the way.
 */
export function InviteByEmail({ emailEnabled, roles, onSent }: InviteByEmailProps) {
  const choices = roles.flatMap((role) => {
    const code = roleCode(role);
    return code ? [code] : [];
  });
  const [text, setText] = useState('');
  const [role, setRole] = useState<RoleCode | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [sent, setSent] = useState<string>();
  const chosen = role ?? (choices.includes('AN') ? 'AN' : choices.at(-1));

  if (emailEnabled === false) {
    return (
      <p className="callout callout--warning">
        This server cannot send e-mail, so invitations cannot be e-mailed. Share the invite link below, or ask the
        administrator to configure SMTP.
      </p>
    );
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const emails = addressesIn(text);
    if (emails.length === 0 || !chosen) {
      setError(new ApiError(400, 'Enter at least one e-mail address.', { emails: ['Enter at least one e-mail address.'] }));
      return;
    }
    setBusy(true);
    setError(undefined);
    setSent(undefined);
    try {
      const result = await api.sendInvites(emails, chosen);
      const count = result.invitations.length;
      setSent(`Invitation sent to ${count === 1 ? result.invitations[0]?.email : `${count} addresses`}.`);
      setText('');
      onSent();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const emailsError = error instanceof ApiError ? error.fieldError('emails') : undefined;
  const otherError = error !== undefined && !emailsError ? fullMessageOf(error) : undefined;
  return (
    <form className="invite-email" onSubmit={submit} noValidate>
      <h3 className="invite-email__title">Invite by e-mail</h3>
      <label htmlFor="invite-emails" className="field__label">
        E-mail addresses
      </label>
      <textarea
        id="invite-emails"
        className="input"
        rows={2}
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder="ada@example.com, grace@example.com"
        aria-describedby="invite-emails-help"
        aria-invalid={emailsError ? true : undefined}
        aria-errormessage={emailsError ? 'invite-emails-error' : undefined}
      />
      <p id="invite-emails-help" className="field__hint">
        Separate addresses with commas or new lines. Each person gets a link of their own, for their address only.
      </p>
      {emailsError && (
        <p id="invite-emails-error" className="field__error" role="alert">
          {emailsError}
        </p>
      )}
      <div className="invite-email__row">
        <label htmlFor="invite-role" className="field__label">
          Role
        </label>
        <select id="invite-role" className="select" value={chosen ?? ''} onChange={(e) => setRole(roleCode(e.target.value))} disabled={choices.length === 0}>
          {choices.map((code) => (
            <option key={code} value={code}>
              {roleLabel(code)}
            </option>
          ))}
        </select>
        <button type="submit" className="btn btn--primary" disabled={busy || emailEnabled === undefined}>
          {busy ? 'Sending…' : 'Send invitations'}
        </button>
      </div>
      <div aria-live="polite">
        {sent && <StatusText tone="success">{sent}</StatusText>}
        {otherError && <StatusText tone="error">{otherError}</StatusText>}
      </div>
    </form>
  );
}
