import type { ReactNode } from 'react';
import { api } from '../../api/endpoints';
import { ErrorMessage, Loading } from '../../components/feedback';
import { formatDateTime } from '../../lib/format';
import { roleLabel } from '../../lib/roles';
import { useAsync } from '../../lib/use-async';
import { useSession } from '../../session';

function Row({ label, children, divided }: { label: string; children: ReactNode; divided?: boolean }) {
  return (
    <div className={divided ? 'info-row info-row--divided' : 'info-row'}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** Who the user is in their organization: counts from the membership detail, the real role from its code. */
export function MembershipInfo() {
  const { me } = useSession();
  const orgId = me.active_organization;
  const detail = useAsync(async () => (orgId ? api.membership(orgId, me.id) : undefined), [orgId, me.id]);

  return (
    <section id="membership-info" className="card settings-section" aria-labelledby="membership-info-title">
      <h2 id="membership-info-title" className="settings-section__title">
        Membership Info
      </h2>
      {detail.status === 'error' && <ErrorMessage error={detail.error} onRetry={detail.reload} />}
      {detail.status === 'loading' && !detail.data && <Loading label="Loading membership…" />}
      {detail.status === 'ready' && (
        <dl className="info-list">
          <Row label="User ID">{me.id}</Row>
          <Row label="Registration date">{formatDateTime(me.date_joined)}</Row>
          <Row label="Annotations Submitted">{detail.data?.annotations_count ?? 0}</Row>
          <Row label="Projects contributed to">{detail.data?.contributed_projects_count ?? 0}</Row>
          <Row label="Organization" divided>{me.active_organization_meta.title || '—'}</Row>
          <Row label="My role">{detail.data ? roleLabel(detail.data.role) : '—'}</Row>
          <Row label="Organization ID">{orgId ?? '—'}</Row>
          <Row label="Owner">{me.active_organization_meta.email || '—'}</Row>
        </dl>
      )}
    </section>
  );
}
