import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../../api/endpoints';
import { ErrorMessage, Loading, StatusText } from '../../components/feedback';
import { Link } from '../../lib/router';
import { useAsync } from '../../lib/use-async';

/** Whether every member must use two-factor sign-in (owners and administrators, who use it themselves). */
export function TwoFactorRequirementSetting({ orgId }: { orgId: number }) {
  const requirement = useAsync(() => api.twoFactorRequirement(orgId), [orgId]);
  const saved = requirement.data?.require_two_factor ?? false;
  const [choice, setChoice] = useState(saved);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: true } | { ok: false; error: unknown }>();

  useEffect(() => setChoice(saved), [saved]);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setResult(undefined);
    try {
      requirement.setData(await api.setTwoFactorRequirement(orgId, choice));
      setResult({ ok: true });
    } catch (error) {
      setResult({ ok: false, error });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card settings-section" aria-labelledby="two-factor-requirement-title">
      <h2 id="two-factor-requirement-title" className="settings-section__title">
        Two-factor sign-in
      </h2>
      <p className="settings-section__text">
        Members who have not set it up are sent to set it up at their next page, before anything else. API tokens are
        not affected. Turn it on for <Link href="/user/account/two-factor">your own account</Link> first.
      </p>
      {requirement.status === 'error' && <ErrorMessage error={requirement.error} onRetry={requirement.reload} />}
      {!requirement.data && requirement.status === 'loading' && <Loading label="Loading the setting…" />}
      {requirement.data && (
        <form className="inline-row" onSubmit={save}>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={choice}
              onChange={(e) => {
                setChoice(e.target.checked);
                setResult(undefined);
              }}
            />
            Require two-factor sign-in for every member
          </label>
          <button type="submit" className="btn btn--primary inline-row__end" disabled={busy || choice === saved}>
            {busy ? 'Saving…' : 'Save'}
          </button>
          {result?.ok && <StatusText tone="success">Saved</StatusText>}
        </form>
      )}
      {result && !result.ok && <ErrorMessage error={result.error} />}
    </section>
  );
}
