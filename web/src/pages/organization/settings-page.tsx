import { useState } from 'react';
import { PageHeader } from '../../components/app-shell';
import { EmptyState, StatusText } from '../../components/feedback';
import { useTitle } from '../../lib/router';
import { useSession } from '../../session';
import { DefaultRoleSetting } from './default-role-setting';
import { OrganizationTabs } from './organization-tabs';
import { TransferOwnership } from './transfer-ownership';
import { TwoFactorRequirementSetting } from './two-factor-requirement';

/**
 * Organization → Settings: the role of invite-link sign-ups and the two-factor requirement (owners, administrators),
 * and ownership (the owner).
 */
export function OrganizationSettingsPage() {
  useTitle('Organization settings');
  const { me, can } = useSession();
  const orgId = me.active_organization;
  // Kept here: after a transfer the section that did it is gone (the caller is no longer the owner).
  const [transferred, setTransferred] = useState<string>();
  const canChange = can('organizations.change');
  const canTransfer = can('organizations.transfer');
  const canTwoFactor = can('organizations.two_factor');

  return (
    <div className="page">
      <OrganizationTabs />
      <PageHeader title="Organization settings" subtitle={me.active_organization_meta.title} />
      {transferred && (
        <p className="notice">
          <StatusText tone="success">{transferred} is now the owner of the organization. You are an administrator.</StatusText>
        </p>
      )}
      {!orgId || (!canChange && !canTransfer && !canTwoFactor) ? (
        <div className="card">
          <EmptyState title="Nothing to change here">The owner and administrators manage the organization's settings.</EmptyState>
        </div>
      ) : (
        <div className="settings__content">
          {canChange && <DefaultRoleSetting orgId={orgId} />}
          {canTwoFactor && <TwoFactorRequirementSetting orgId={orgId} />}
          {canTransfer && <TransferOwnership orgId={orgId} onTransferred={setTransferred} />}
        </div>
      )}
    </div>
  );
}
