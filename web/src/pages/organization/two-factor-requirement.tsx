import { api } from '../../api/endpoints';
import { ErrorMessage, Loading, StatusText } from '../../components/feedback';
import { Link } from '../../lib/router';
import { useAsync } from '../../lib/use-async';
import { useSettingForm } from '../../lib/use-setting-form';

/** Whether every member must use two-factor sign-in (owners and administrators, who use it themselves). */
export function TwoFactorRequirementSetting({ orgId }: { orgId: number }) {
  const requirement = useAsync(() => api.twoFactorRequirement(orgId), [orgId]);
  const saved = requirement.data?.require_two_factor ?? false;
  const form = useSettingForm(saved, async (choice) => requirement.setData(await api.setTwoFactorRequirement(orgId, choice)));

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
        <form className="inline-row" onSubmit={form.submit}>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={form.choice}
              onChange={(e) => form.change(e.target.checked)}
            />
            Require two-factor sign-in for every member
          </label>
          <button type="submit" className="btn btn--primary inline-row__end" disabled={form.busy || form.unchanged}>
            {form.busy ? 'Saving…' : 'Save'}
          </button>
          {form.result?.ok && <StatusText tone="success">Saved</StatusText>}
        </form>
      )}
      {form.result && !form.result.ok && <ErrorMessage error={form.result.error} />}
    </section>
  );
}
