import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client';
import { api } from '../../api/endpoints';
import type { TwoFactorProof } from '../../api/types';
import { Dialog } from '../../components/dialog';
import { ErrorMessage, Loading, StatusText } from '../../components/feedback';
import { formatDate } from '../../lib/format';
import { useAsync } from '../../lib/use-async';
import { TwoFactorEnrolmentForm } from '../two-factor/enrolment';
import { RecoveryCodesView } from '../two-factor/recovery-codes';

type Asking = { kind: 'codes' | 'disable' };

/** Two-factor sign-in on the Account page: set it up, see how many recovery codes are left, replace them, turn it off. */
export function TwoFactorSection() {
  const status = useAsync(() => api.twoFactor(), []);
  const [enrolling, setEnrolling] = useState(false);
  const [codes, setCodes] = useState<string[]>();
  const [asking, setAsking] = useState<Asking>();
  const [notice, setNotice] = useState<string>();

  const done = () => {
    setCodes(undefined);
    status.reload();
  };
  const data = status.data;
  const fewLeft = data?.enabled && data.recovery_codes_left <= 2;

  return (
    <section id="two-factor" className="card settings-section" aria-labelledby="two-factor-title">
      <h2 id="two-factor-title" className="settings-section__title">
        Two-factor sign-in
      </h2>
      <p className="settings-section__text">
        Log in with your password and a code from an authenticator app on your phone, so a stolen password alone is not
        enough. API tokens are not affected.
      </p>
      {status.status === 'error' && <ErrorMessage error={status.error} onRetry={status.reload} />}
      {!data && status.status === 'loading' && <Loading label="Loading two-factor sign-in…" />}
      {codes && <RecoveryCodesView codes={codes} doneLabel="I have saved them" onDone={done} />}
      {data && !codes && !data.enabled && !enrolling && (
        <div className="inline-row">
          <span className="two-factor__state">
            <strong>Off.</strong> {data.required && 'Your organization requires it.'}
          </span>
          <button type="button" className="btn btn--primary" onClick={() => setEnrolling(true)}>
            Set up two-factor sign-in
          </button>
          {notice && <StatusText tone="success">{notice}</StatusText>}
        </div>
      )}
      {data && !codes && !data.enabled && enrolling && (
        <TwoFactorEnrolmentForm
          onEnabled={(recovery) => {
            setEnrolling(false);
            setNotice(undefined);
            setCodes(recovery);
          }}
          onCancel={() => setEnrolling(false)}
        />
      )}
      {data && !codes && data.enabled && (
        <>
          <dl className="info-list">
            <div className="info-row">
              <dt>Status</dt>
              <dd>On since {formatDate(data.enabled_at)}</dd>
            </div>
            <div className="info-row">
              <dt>Recovery codes left</dt>
              <dd>
                {data.recovery_codes_left} of 10{fewLeft && <span className="two-factor__warning"> · make new ones before they run out</span>}
              </dd>
            </div>
          </dl>
          <div className="form-actions">
            <button type="button" className="btn" onClick={() => setAsking({ kind: 'codes' })}>
              New recovery codes…
            </button>
            <button type="button" className="btn btn--danger-outline" onClick={() => setAsking({ kind: 'disable' })}>
              Turn off…
            </button>
          </div>
        </>
      )}
      <ProofDialog
        asking={asking}
        required={data?.required === true}
        onClose={() => setAsking(undefined)}
        onDone={(kind, recovery) => {
          setAsking(undefined);
          if (kind === 'codes' && recovery) setCodes(recovery);
          else {
            setNotice('Two-factor sign-in is off.');
            status.reload();
          }
        }}
      />
    </section>
  );
}

interface ProofDialogProps {
  asking: Asking | undefined;
  required: boolean;
  onClose: () => void;
  onDone: (kind: Asking['kind'], codes?: string[]) => void;
}

/** Asks for the password or a code before new recovery codes or turning it off. */
function ProofDialog({ asking, required, onClose, onDone }: ProofDialogProps) {
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const kind = asking?.kind ?? 'codes';

  const close = () => {
    setPassword('');
    setCode('');
    setError(undefined);
    onClose();
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const proof: TwoFactorProof = password ? { password } : { code: code.trim() };
    try {
      if (kind === 'codes') onDone(kind, (await api.newRecoveryCodes(proof)).recovery_codes);
      else {
        await api.disableTwoFactor(proof);
        onDone(kind);
      }
      setPassword('');
      setCode('');
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  const fieldError = (name: string) => (error instanceof ApiError ? error.fieldError(name) : undefined);
  const title = kind === 'codes' ? 'New recovery codes' : 'Turn off two-factor sign-in';
  return (
    <Dialog
      open={asking !== undefined}
      title={title}
      onClose={close}
      width={480}
      footer={
        <>
          <button type="button" className="btn" onClick={close} disabled={busy}>
            Cancel
          </button>
          <button type="submit" form="two-factor-proof" className={kind === 'codes' ? 'btn btn--primary' : 'btn btn--danger'} disabled={busy || (!password && !code.trim())}>
            {busy ? 'Working…' : kind === 'codes' ? 'Make new codes' : 'Turn off'}
          </button>
        </>
      }
    >
      <p className="dialog__text">
        {kind === 'codes'
          ? 'Your current recovery codes stop working and ten new ones are shown once.'
          : required
            ? 'Your organization requires two-factor sign-in: you will be asked to set it up again right away, for example with a new phone.'
            : 'You will log in with your password alone. Your recovery codes stop working.'}{' '}
        Confirm with your password or a code from your app.
      </p>
      <form id="two-factor-proof" className="proof-form" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="proof-password" className="field__label">
            Password
          </label>
          <input id="proof-password" type="password" className="input" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)}
            aria-invalid={fieldError('password') ? true : undefined} aria-describedby={fieldError('password') ? 'proof-password-error' : undefined} />
          {fieldError('password') && <p id="proof-password-error" className="field__error">{fieldError('password')}</p>}
        </div>
        <div className="field">
          <label htmlFor="proof-code" className="field__label">
            Or a code from your app (or a recovery code)
          </label>
          <input id="proof-code" className="input" inputMode="numeric" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)}
            aria-invalid={fieldError('code') ? true : undefined} aria-describedby={fieldError('code') ? 'proof-code-error' : undefined} />
          {fieldError('code') && <p id="proof-code-error" className="field__error">{fieldError('code')}</p>}
        </div>
        {error !== undefined && !fieldError('password') && !fieldError('code') && <ErrorMessage error={error} />}
      </form>
    </Dialog>
  );
}
