import { useState } from 'react';
import { api } from '../../api/endpoints';
import { CopyField } from '../../components/copy-field';
import { ConfirmDialog } from '../../components/dialog';
import { ErrorMessage, Loading, StatusText } from '../../components/feedback';
import { useAsync } from '../../lib/use-async';

/** The legacy token with Copy and Reset, and a ready-to-paste curl request (§7.3 "Access Token"). */
export function LegacyToken() {
  const token = useAsync(() => api.legacyToken(), []);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [wasReset, setWasReset] = useState(false);

  const reset = async () => {
    setBusy(true);
    setError(undefined);
    try {
      token.setData(await api.resetLegacyToken());
      setWasReset(true);
      setConfirming(false);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const value = token.data?.token ?? '';
  const curl = `curl -X GET ${location.origin}/api/projects/ -H 'Authorization: Token ${value}'`;

  return (
    <section id="legacy-token" className="card settings-section" aria-labelledby="legacy-token-title">
      <h2 id="legacy-token-title" className="settings-section__title">
        Access Token
      </h2>
      <p className="settings-section__text">
        Use this token to authenticate with our API: send it as <code>Authorization: Token &lt;token&gt;</code>. It does
        not expire; reset it if it may have leaked.
      </p>
      {token.status === 'error' && <ErrorMessage error={token.error} onRetry={token.reload} />}
      {token.status === 'loading' && !token.data && <Loading label="Loading token…" />}
      {token.data && (
        <>
          <CopyField
            label="Access Token"
            value={value}
            extra={
              <button type="button" className="btn btn--danger-outline" onClick={() => setConfirming(true)}>
                Reset
              </button>
            }
          />
          {wasReset && <StatusText tone="success">Token reset. The previous token no longer works.</StatusText>}
          <CopyField label="Example CURL Request" value={curl} multiline />
        </>
      )}
      <ConfirmDialog
        open={confirming}
        title="Reset Access Token"
        message="The current token stops working immediately. Scripts that use it will need the new one."
        confirmLabel="Reset"
        busy={busy}
        error={error !== undefined ? <ErrorMessage error={error} /> : undefined}
        onConfirm={reset}
        onCancel={() => setConfirming(false)}
      />
    </section>
  );
}
