import { useState } from 'react';
import { fullMessageOf } from '../../api/client';
import { api } from '../../api/endpoints';
import type { PermissionOption, PermissionOverride } from '../../api/types';
import { PageHeader } from '../../components/app-shell';
import { ConfirmDialog } from '../../components/dialog';
import { EmptyState, ErrorMessage, Loading, StatusText } from '../../components/feedback';
import { useTitle } from '../../lib/router';
import { useAsync } from '../../lib/use-async';
import { useSession } from '../../session';
import { OrganizationTabs } from './organization-tabs';
import { PermissionsTable, type PermissionChange } from './permissions-table';

interface Catalogue {
  options: PermissionOption[];
  overrides: Map<string, PermissionOverride>;
}

/** Organization → Permissions: which roles hold each configurable permission; the owner changes them. */
export function PermissionsPage() {
  useTitle('Permissions');
  const { me, can } = useSession();
  const orgId = me.active_organization;
  const canView = can('permissions.view');
  const canChange = can('permissions.change');
  // The change being saved shows at once; a refusal puts the previous roles back.
  const [saving, setSaving] = useState<PermissionChange>();
  const [result, setResult] = useState<{ ok: boolean; message: string }>();
  const [confirmReset, setConfirmReset] = useState(false);
  const [resetting, setResetting] = useState(false);
  const [resetError, setResetError] = useState<unknown>();

  const catalogue = useAsync<Catalogue | undefined>(async () => {
    if (!orgId || !canView) return undefined;
    const [options, overrides] = await Promise.all([api.permissionOptions(orgId), api.permissionOverrides(orgId)]);
    return { options, overrides: new Map(overrides.map((o) => [o.permission, o])) };
  }, [orgId, canView]);

  const apply = async (change: PermissionChange) => {
    const { option, roles, isDefault } = change;
    const data = catalogue.data;
    if (!orgId || !data) return;
    setSaving(change);
    setResult(undefined);
    try {
      const overrides = new Map(data.overrides);
      const existing = overrides.has(option.permission);
      // Back at the defaults: drop the customization instead of storing a copy of them.
      if (isDefault && existing) {
        await api.resetPermission(orgId, option.permission);
        overrides.delete(option.permission);
      } else {
        const saved = existing
          ? await api.updatePermission(orgId, option.permission, roles)
          : await api.customizePermission(orgId, option.permission, roles);
        overrides.set(option.permission, saved);
      }
      catalogue.setData({ ...data, overrides });
      setResult({ ok: true, message: `Saved “${option.label}”. It applies from everyone's next request.` });
    } catch (error) {
      setResult({ ok: false, message: `Could not change “${option.label}”: ${fullMessageOf(error)}` });
    } finally {
      setSaving(undefined);
    }
  };

  const resetAll = async () => {
    if (!orgId) return;
    setResetting(true);
    setResetError(undefined);
    try {
      await api.resetPermissions(orgId);
      setConfirmReset(false);
      setResult({ ok: true, message: 'Every permission is back to its default.' });
      catalogue.reload();
    } catch (error) {
      setResetError(error);
    } finally {
      setResetting(false);
    }
  };

  const customized = catalogue.data?.overrides.size ?? 0;
  const actions = canChange && (
    <button type="button" className="btn btn--danger-outline" onClick={() => setConfirmReset(true)} disabled={customized === 0}>
      Reset to defaults
    </button>
  );

  return (
    <div className="page">
      <OrganizationTabs />
      <PageHeader
        title="Permissions"
        subtitle={
          canChange
            ? 'Choose which roles hold each permission. The owner always holds them all.'
            : 'Which roles hold each permission. Only the owner can change them.'
        }
        actions={actions}
      />
      {!canView ? (
        <div className="card">
          <EmptyState title="You cannot see the organization's permissions">Ask the owner or an administrator.</EmptyState>
        </div>
      ) : (
        <section className="card" aria-labelledby="permissions-title">
          <h2 id="permissions-title" className="visually-hidden">
            Configurable permissions
          </h2>
          {catalogue.status === 'error' && <ErrorMessage title="Could not load the permissions." error={catalogue.error} onRetry={catalogue.reload} />}
          {!catalogue.data && catalogue.status === 'loading' && <Loading label="Loading permissions…" />}
          {catalogue.data && (
            <PermissionsTable
              options={catalogue.data.options}
              overrides={catalogue.data.overrides}
              editable={canChange}
              saving={saving}
              onChange={apply}
            />
          )}
          <div className="card__footer" aria-live="polite">
            {result && <StatusText tone={result.ok ? 'success' : 'error'}>{result.message}</StatusText>}
          </div>
        </section>
      )}
      <ConfirmDialog
        open={confirmReset}
        title="Reset every permission?"
        message={`The ${customized === 1 ? 'customized permission goes' : `${customized} customized permissions go`} back to the defaults, for everyone's next request.`}
        confirmLabel="Reset to defaults"
        busy={resetting}
        error={resetError !== undefined && <ErrorMessage error={resetError} />}
        onConfirm={resetAll}
        onCancel={() => {
          setConfirmReset(false);
          setResetError(undefined);
        }}
      />
    </div>
  );
}
