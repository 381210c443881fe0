import { useState } from 'react';
import { messageOf } from '../../api/client';
import { api } from '../../api/endpoints';
import { StatusText } from '../../components/feedback';
import { useSession } from '../../session';

/** The newsletter checkbox, saved as soon as it changes. */
export function EmailPreferences() {
  const { me, updateMe } = useSession();
  const [busy, setBusy] = useState(false);
  // The box follows the click at once and goes back if the server refuses.
  const [checked, setChecked] = useState(me.allow_newsletters === true);
  const [result, setResult] = useState<{ ok: boolean; message: string }>();

  const change = async (value: boolean) => {
    setBusy(true);
    setChecked(value);
    setResult(undefined);
    try {
      updateMe(await api.updateUser(me.id, { allow_newsletters: value }));
      setResult({ ok: true, message: value ? 'Subscribed' : 'Unsubscribed' });
    } catch (error) {
      setChecked(!value);
      setResult({ ok: false, message: `Error updating preferences: ${messageOf(error)}` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section id="email-preferences" className="card settings-section" aria-labelledby="email-preferences-title">
      <h2 id="email-preferences-title" className="settings-section__title">
        Email Preferences
      </h2>
      <div className="inline-row">
        <label className="checkbox">
          <input type="checkbox" checked={checked} disabled={busy} onChange={(e) => change(e.target.checked)} />
          <span>Subscribe to Label Studio news and tips</span>
        </label>
        {result && <StatusText tone={result.ok ? 'success' : 'error'}>{result.message}</StatusText>}
      </div>
    </section>
  );
}
