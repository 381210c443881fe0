import { api } from '../../api/endpoints';
import type { RoleCode } from '../../api/types';
import { ErrorMessage, Loading, StatusText } from '../../components/feedback';
import { roleCode, ROLE_LABELS, SIGN_UP_ROLES } from '../../lib/roles';
import { useAsync } from '../../lib/use-async';
import { useSettingForm } from '../../lib/use-setting-form';

const optionLabel = (role: RoleCode) => (role === 'NO' ? 'Pending: an administrator approves each sign-up' : ROLE_LABELS[role]);

/** The role people get when they sign up through the invite link (set-default-role). */
export function DefaultRoleSetting({ orgId }: { orgId: number }) {
  const organization = useAsync(() => api.organization(orgId), [orgId]);
  const saved = roleCode(organization.data?.default_role) ?? 'AN';
  const form = useSettingForm<RoleCode>(saved, async (choice) => {
    const answer = await api.setDefaultRole(orgId, choice);
    if (organization.data) organization.setData({ ...organization.data, default_role: answer.default_role });
  });

  return (
    <section className="card settings-section" aria-labelledby="default-role-title">
      <h2 id="default-role-title" className="settings-section__title">
        Sign-ups through the invite link
      </h2>
      <p className="settings-section__text">
        The role people get when they join with the invite link. With “Pending”, they wait on the People page until an
        owner or administrator approves them.
      </p>
      {organization.status === 'error' && <ErrorMessage error={organization.error} onRetry={organization.reload} />}
      {!organization.data && organization.status === 'loading' && <Loading label="Loading the organization…" />}
      {organization.data && (
        <form className="inline-row" onSubmit={form.submit}>
          <div className="field">
            <label htmlFor="default-role" className="field__label">
              Role for new sign-ups
            </label>
            <select
              id="default-role"
              className="select select--inline"
              value={form.choice}
              onChange={(e) => form.change(roleCode(e.target.value) ?? 'AN')}
            >
              {SIGN_UP_ROLES.map((role) => (
                <option key={role} value={role}>
                  {optionLabel(role)}
                </option>
              ))}
            </select>
          </div>
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
