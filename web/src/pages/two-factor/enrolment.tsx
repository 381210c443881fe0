import { useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client';
import { api } from '../../api/endpoints';
import type { TwoFactorEnrolment } from '../../api/types';
import { CopyField } from '../../components/copy-field';
import { ErrorMessage, Loading } from '../../components/feedback';

/** The setup key in groups of four, as authenticator apps print it (they ignore the spaces). */
const grouped = (secret: string) => secret.replace(/(.{4})(?=.)/g, '$1 ');

interface EnrolmentProps {
  /** Called with the recovery codes once a code from the app confirmed the set-up. */
  onEnabled: (codes: string[]) => void;
  onCancel?: () => void;
}

/**
 * Setting up an authenticator app: a new secret as a QR code (drawn by the server, an image) and as text, then the
 * code the app shows, which turns two-factor sign-in on.
 */
export function TwoFactorEnrolmentForm({ onEnabled, onCancel }: EnrolmentProps) {
  const [enrolment, setEnrolment] = useState<TwoFactorEnrolment>();
  const [startError, setStartError] = useState<unknown>();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    setStartError(undefined);
    api.startTwoFactor().then(
      (started) => live && setEnrolment(started),
      (failure: unknown) => live && setStartError(failure),
    );
    return () => {
      live = false;
    };
  }, [attempt]);

  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const { recovery_codes } = await api.confirmTwoFactor(code.trim());
      onEnabled(recovery_codes);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  if (startError !== undefined) return <ErrorMessage title="Could not start the set-up." error={startError} onRetry={() => setAttempt((n) => n + 1)} />;
  if (!enrolment) return <Loading label="Preparing your authenticator set-up…" />;
  const codeError = error instanceof ApiError ? error.fieldError('code') : undefined;
  return (
    <div className="enrolment">
      <ol className="enrolment__steps">
        <li>
          <p>
            Scan this QR code with an authenticator app on your phone (Google Authenticator, Microsoft Authenticator,
            1Password, Authy…).
          </p>
          <img className="enrolment__qr" src={enrolment.qr_code} width={192} height={192} alt="QR code to scan with your authenticator app" />
          <div className="enrolment__manual">
            <CopyField label="Can't scan it? Enter this setup key in the app" value={grouped(enrolment.secret)} />
            <p className="field__hint">Time-based, 6 digits, a new code every 30 seconds.</p>
          </div>
        </li>
        <li>
          <form className="enrolment__confirm" onSubmit={confirm} noValidate>
            <div className="field">
              <label htmlFor="two-factor-code" className="field__label">
                Enter the 6-digit code the app shows
              </label>
              <input
                id="two-factor-code"
                className="input enrolment__code"
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={9}
                value={code}
                onChange={(e) => setCode(e.target.value)}
                aria-invalid={codeError ? true : undefined}
                aria-describedby={codeError ? 'two-factor-code-error' : undefined}
              />
              {codeError && (
                <p id="two-factor-code-error" className="field__error" role="alert">
                  {codeError}
                </p>
              )}
            </div>
            <div className="form-actions">
              <button type="submit" className="btn btn--primary" disabled={busy || code.trim() === ''}>
                {busy ? 'Checking…' : 'Turn on'}
              </button>
              {onCancel && (
                <button type="button" className="btn" onClick={onCancel} disabled={busy}>
                  Cancel
                </button>
              )}
            </div>
            {error !== undefined && !codeError && <ErrorMessage error={error} />}
          </form>
        </li>
      </ol>
    </div>
  );
}
