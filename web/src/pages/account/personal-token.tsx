import { useState } from 'react';
import { api } from '../../api/endpoints';
import type { ListedToken } from '../../api/types';
import { CopyField } from '../../components/copy-field';
import { ConfirmDialog, Dialog } from '../../components/dialog';
import { EmptyState, ErrorMessage, Loading } from '../../components/feedback';
import { KeyIcon } from '../../components/icons';
import { formatDate } from '../../lib/format';
import { useAsync } from '../../lib/use-async';

const ONE_TOKEN = 'You can only have one active token';

/** Personal access tokens: list, create (the full value shown once), revoke after confirmation (§7.3). */
export function PersonalToken() {
  const tokens = useAsync(() => api.personalTokens(), []);
  const [creating, setCreating] = useState(false);
  const [createError, setCreateError] = useState<unknown>();
  const [created, setCreated] = useState<string>();
  const [revoking, setRevoking] = useState<ListedToken>();
  const [revokeBusy, setRevokeBusy] = useState(false);
  const [revokeError, setRevokeError] = useState<unknown>();

  const list = tokens.data ?? [];
  const hasToken = list.length > 0;

  const create = async () => {
    setCreating(true);
    setCreateError(undefined);
    try {
      const { token } = await api.createPersonalToken();
      setCreated(token);
      tokens.reload();
    } catch (error) {
      setCreateError(error);
    } finally {
      setCreating(false);
    }
  };

  const revoke = async () => {
    if (!revoking) return;
    setRevokeBusy(true);
    setRevokeError(undefined);
    try {
      await api.revokePersonalToken(revoking.token);
      setRevoking(undefined);
      tokens.reload();
    } catch (error) {
      setRevokeError(error);
    } finally {
      setRevokeBusy(false);
    }
  };

  return (
    <section id="personal-access-token" className="card settings-section" aria-labelledby="pat-title">
      <h2 id="pat-title" className="settings-section__title">
        Personal Access Token
      </h2>
      <p className="settings-section__text">
        Authenticate with our API using your personal access token. Exchange it at <code>/api/token/refresh</code> for
        a short-lived access token and send that as <code>Authorization: Bearer &lt;access&gt;</code>.
      </p>
      {tokens.status === 'error' && <ErrorMessage error={tokens.error} onRetry={tokens.reload} />}
      {tokens.status === 'loading' && !tokens.data && <Loading label="Loading tokens…" />}
      {tokens.data && (
        list.length === 0 ? (
          <EmptyState title="No personal access token" icon={<KeyIcon />}>
            Create one to use the API from scripts and the SDK.
          </EmptyState>
        ) : (
          <ul className="token-list" aria-label="Your tokens">
            {list.map((item) => (
              <li key={item.token} className="token-list__item">
                <code className="token-list__value" title={item.token}>
                  {item.token}
                </code>
                <span className="muted token-list__date">Created {formatDate(item.created_at)}</span>
                <button
                  type="button"
                  className="btn btn--small btn--danger-outline"
                  onClick={() => {
                    setRevokeError(undefined);
                    setRevoking(item);
                  }}
                >
                  Revoke
                </button>
              </li>
            ))}
          </ul>
        )
      )}
      <div className="form-actions">
        <button
          type="button"
          className="btn btn--primary"
          onClick={create}
          disabled={creating || hasToken || !tokens.data}
          aria-describedby={hasToken ? 'pat-one-token' : undefined}
          title={hasToken ? ONE_TOKEN : undefined}
        >
          {creating ? 'Creating…' : 'Create New Token'}
        </button>
        {hasToken && (
          <span id="pat-one-token" className="muted">
            {ONE_TOKEN}
          </span>
        )}
      </div>
      {createError !== undefined && <ErrorMessage error={createError} />}

      <Dialog open={created !== undefined} title="New Auth Token" onClose={() => setCreated(undefined)} width={600}
        footer={<button type="button" className="btn btn--primary" onClick={() => setCreated(undefined)}>Done</button>}>
        <p className="dialog__text">Copy your new access token from below and keep it secure.</p>
        <CopyField label="Personal access token" value={created ?? ''} multiline />
        <div className="callout callout--warning">
          <strong>Manage your access tokens securely</strong>
          <span>
            Do not share this key with anyone. If you suspect any keys have been compromised, you should revoke them
            and create new ones. This token will not be shown again.
          </span>
        </div>
      </Dialog>

      <ConfirmDialog
        open={revoking !== undefined}
        title="Revoke Token"
        message="Are you sure you want to delete this access token? Any application using this token will need a new token to be able to access Label Studio."
        confirmLabel="Revoke"
        busy={revokeBusy}
        error={revokeError !== undefined ? <ErrorMessage error={revokeError} /> : undefined}
        onConfirm={revoke}
        onCancel={() => setRevoking(undefined)}
      />
    </section>
  );
}
