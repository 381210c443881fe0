import { useEffect, useState } from 'react';
import { api } from '../../api/endpoints';
import type { TokenSettings } from '../../api/types';
import { Dialog } from '../../components/dialog';
import { ErrorMessage, Loading, StatusText } from '../../components/feedback';

/** "API Tokens Settings": which token kinds the organization accepts (POST /api/jwt/settings). */
export function TokenSettingsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [settings, setSettings] = useState<TokenSettings>();
  const [loadError, setLoadError] = useState<unknown>();
  const [saveError, setSaveError] = useState<unknown>();
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (!open) return;
    let live = true;
    setSettings(undefined);
    setLoadError(undefined);
    setSaveError(undefined);
    setSaved(false);
    api
      .tokenSettings()
      .then((value) => live && setSettings(value))
      .catch((e: unknown) => live && setLoadError(e));
    return () => {
      live = false;
    };
  }, [open]);

  const save = async () => {
    if (!settings) return;
    setSaving(true);
    setSaveError(undefined);
    setSaved(false);
    try {
      setSettings(await api.updateTokenSettings(settings));
      setSaved(true);
    } catch (e) {
      setSaveError(e);
    } finally {
      setSaving(false);
    }
  };

  const toggle = (field: keyof TokenSettings) => (checked: boolean) => {
    setSaved(false);
    setSettings((s) => (s ? { ...s, [field]: checked } : s));
  };

  return (
    <Dialog
      open={open}
      title="API Tokens Settings"
      onClose={onClose}
      width={520}
      footer={
        <>
          {saved && <StatusText tone="success">Settings saved</StatusText>}
          <button type="button" className="btn" onClick={onClose}>
            Close
          </button>
          <button type="button" className="btn btn--primary" onClick={save} disabled={!settings || saving}>
            {saving ? 'Saving…' : 'Save Changes'}
          </button>
        </>
      }
    >
      {loadError !== undefined && <ErrorMessage error={loadError} />}
      {!settings && loadError === undefined && <Loading label="Loading token settings…" />}
      {settings && (
        <div className="toggle-list">
          <label className="toggle">
            <input type="checkbox" checked={settings.api_tokens_enabled} onChange={(e) => toggle('api_tokens_enabled')(e.target.checked)} />
            <span>
              <strong>Personal Access Tokens</strong>
              <span className="muted">Enable increased token authentication security</span>
            </span>
          </label>
          <label className="toggle">
            <input
              type="checkbox"
              checked={settings.legacy_api_tokens_enabled}
              onChange={(e) => toggle('legacy_api_tokens_enabled')(e.target.checked)}
            />
            <span>
              <strong>Legacy Tokens</strong>
              <span className="muted">Enable legacy access tokens, these do not expire</span>
            </span>
          </label>
        </div>
      )}
      {saveError !== undefined && <ErrorMessage error={saveError} />}
    </Dialog>
  );
}
