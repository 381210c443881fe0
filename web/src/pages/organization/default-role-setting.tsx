import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../../api/endpoints';
import type { RoleCode } from '../../api/types';
import { ErrorMessage, Loading, StatusText } from '../../components/feedback';
import { roleCode, ROLE_LABELS, SIGN_UP_ROLES } from '../../lib/roles';
import { useAsync } from '../../lib/use-async';

const optionLabel = (role: RoleCode) => (role === 'NO' ? 'Pending: an administrator approves each sign-up' : ROLE_LABELS[role]);

/** The role people get when they sign up through the invite link (set-default-role). */
export function DefaultRoleSetting({ orgId }: { orgId: number }) {
  const organization = useAsync(() => api.organization(orgId), [orgId]);
  const saved = roleCode(organization.data?.default_role) ?? 'AN';
  const [choice, setChoice] = useState<RoleCode>(saved);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: true } | { ok: false; error: unknown }>();

  useEffect(() => setChoice(saved), [saved]);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setResult(undefined);
    try {
      const answer = await api.setDefaultRole(orgId, choice);
      if (organization.data) organization.setData({ ...organization.data, default_role: answer.default_role });
      setResult({ ok: true });
    } catch (error) {
      setResult({ ok: false, error });
    } finally {
      setBusy(false);
    }
  };

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
        <form className="inline-row" onSubmit={save}>
          <div className="field">
            <label htmlFor="default-role" className="field__label">
              Role for new sign-ups
            </label>
            <select
              id="default-role"
              className="select select--inline"
              value={choice}
              onChange={(e) => {
                setChoice(roleCode(e.target.value) ?? 'AN');
                setResult(undefined);
              }}
            >
              {SIGN_UP_ROLES.map((role) => (
                <option key={role} value={role}>
                  {optionLabel(role)}
                </option>
              ))}
            </select>
          </div>
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
