import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../../api/client';
import { api, MEMBER_ORDERING, type MemberSortKey } from '../../api/endpoints';
import { PageHeader } from '../../components/app-shell';
import { EmptyState, ErrorMessage, Loading, PastEndNotice, Spinner, StatusText } from '../../components/feedback';
import { PeopleIcon, SearchIcon } from '../../components/icons';
import { pageParams, Pagination } from '../../components/pagination';
import { activationRole, roleCode, roleLabel } from '../../lib/roles';
import { useSearchParams, useTitle } from '../../lib/router';
import { useAsync } from '../../lib/use-async';
import { useSearchBox } from '../../lib/use-search-box';
import { useSession } from '../../session';
import { OrganizationTabs } from '../organization/organization-tabs';
import { BulkRoleBar, BulkReportView, type BulkReport } from './bulk-role-bar';
import { InvitationsSection } from './invitations-section';
import { InviteDialog } from './invite-dialog';
import { PendingNotice } from './pending-notice';
import { PeopleTable, type Selection, type Sort } from './people-table';
import { RoleFilter } from './role-filter';
import { RoleGuide } from './role-guide';
import { TokenSettingsDialog } from './token-settings-dialog';
import { useMemberActions } from './use-member-actions';
import { UserPanel } from './user-panel';

function parseSort(value: string | null): Sort | undefined {
  if (!value) return undefined;
  const descending = value.startsWith('-');
  const key = descending ? value.slice(1) : value;
  if (!(key in MEMBER_ORDERING)) return undefined;
  const sortKey = key as MemberSortKey;
  return { key: sortKey, descending };
}

/** Organization → People: members of the caller's active organization, searchable, sortable, paged in the URL. */
export function PeoplePage() {
  useTitle('People');
  const { me, can } = useSession();
  const orgId = me.active_organization;
  const [params, setParams] = useSearchParams();
  const { page, pageSize } = pageParams(params);
  const search = params.get('search') ?? '';
  const sort = parseSort(params.get('ordering'));
  const role = roleCode(params.get('role') ?? undefined);
  const selected = Number.parseInt(params.get('user') ?? '', 10);
  const selectedId = Number.isFinite(selected) ? selected : undefined;
  const [draft, setDraft] = useSearchBox('search');
  const [dialog, setDialog] = useState<'invite' | 'settings' | undefined>();
  const canChangeRoles = can('members.change_role');

  const members = useAsync(
    (signal) =>
      orgId
        ? api.memberships(orgId, { page, pageSize, search, sort: sort?.key, descending: sort?.descending, roles: role ? [role] : undefined }, signal)
        : Promise.resolve({ count: 0, next: null, previous: null, results: [] }),
    [orgId, page, pageSize, search, sort?.key, sort?.descending, role],
  );
  // Sign-ups waiting for approval, for those who may approve them; the default role is what approval gives.
  const pending = useAsync(
    async (signal) => (orgId && canChangeRoles ? (await api.memberships(orgId, { page: 1, pageSize: 1, roles: ['NO'] }, signal)).count : 0),
    [orgId, canChangeRoles],
  );
  const organization = useAsync(async () => (orgId && canChangeRoles ? api.organization(orgId) : undefined), [orgId, canChangeRoles]);
  // E-mail invitations not accepted yet, for those who may invite (listed under the members, sent from Add People).
  const canInvite = can('organizations.invite');
  const invitations = useAsync(
    (signal) => (orgId && canInvite ? api.openInvitations(signal) : Promise.resolve(undefined)),
    [orgId, canInvite],
  );
  const approvalRole = activationRole(organization.data?.default_role);

  const { reload: reloadMembers } = members;
  const { reload: reloadPending } = pending;
  const actions = useMemberActions(orgId ?? 0, ({ member, updated, gone }) => {
    // The row shows its new role at once; the reload then applies the filters (a new role may leave the list).
    if (updated && members.data) {
      const results = members.data.results.map((m) =>
        m.user.id === updated.user.id
          ? { ...m, role: updated.role, allowed_actions: updated.allowed_actions, role_before_deactivation: updated.role_before_deactivation }
          : m,
      );
      members.setData({ ...members.data, results });
    }
    reloadMembers();
    reloadPending();
    if (gone && member.user.id === selectedId) setParams({ user: null }, true);
  });

  // A selection belongs to the page on screen: another page, filter or order starts a new one.
  const [checked, setChecked] = useState<ReadonlySet<number>>(new Set());
  const [bulkReport, setBulkReport] = useState<BulkReport>();
  const listKey = `${page}|${pageSize}|${search}|${params.get('ordering')}|${role}`;
  useEffect(() => setChecked(new Set()), [listKey]);

  // A first click sorts ascending, except Last Activity: most recent first is what people look for.
  const onSort = (key: MemberSortKey) => {
    const canDescend = MEMBER_ORDERING[key].descending !== null;
    const descending = sort?.key === key ? !sort.descending && canDescend : key === 'last_activity';
    setParams({ ordering: `${descending ? '-' : ''}${key}`, page: null }, true);
  };
  const onSelect = (userId: number) => setParams({ user: userId === selectedId ? null : String(userId) }, true);
  const closePanel = useCallback(() => {
    const id = params.get('user');
    setParams({ user: null }, true);
    // Back to where the keyboard was: the row of the member whose panel closed.
    window.setTimeout(() => document.querySelector<HTMLElement>(`tr[data-user-id="${id}"] .row-btn`)?.focus(), 0);
  }, [params, setParams]);

  const headerActions = (
    <>
      {can('organizations.token_settings') && (
        <button type="button" className="btn" onClick={() => setDialog('settings')}>
          API Tokens Settings
        </button>
      )}
      {can('organizations.invite') && (
        <button type="button" className="btn btn--primary" onClick={() => setDialog('invite')}>
          Add People
        </button>
      )}
    </>
  );

  if (!orgId) {
    return (
      <div className="page">
        <PageHeader title="People" />
        <EmptyState title="You are not a member of any organization">Ask an administrator for an invite link.</EmptyState>
      </div>
    );
  }

  const data = members.data;
  const panelSource = data ? (data.results.find((m) => m.user.id === selectedId) ?? 'fetch') : 'wait';
  // Past the last page the API answers with an empty page (older servers: 404 "Invalid page."): not a failure.
  const pastEnd = members.status === 'error' && members.error instanceof ApiError && members.error.status === 404 && page > 1;
  const lastPage = data ? Math.max(1, Math.ceil(data.count / pageSize)) : 1;

  const selection: Selection | undefined =
    canChangeRoles && data
      ? {
          ids: checked,
          toggle: (userId) =>
            setChecked((current) => {
              const next = new Set(current);
              if (!next.delete(userId)) next.add(userId);
              return next;
            }),
          toggleAll: () => {
            const eligible = data.results.filter((m) => m.allowed_actions.includes('change_role')).map((m) => m.user.id);
            const all = eligible.every((userId) => checked.has(userId));
            setChecked(new Set(all ? [] : eligible));
          },
        }
      : undefined;
  const checkedMembers = data ? data.results.filter((m) => checked.has(m.user.id)) : [];

  const empty = search ? (
    <EmptyState title={`No members match “${search}”`} icon={<SearchIcon size={20} />}>
      <button type="button" className="btn btn--small" onClick={() => setParams({ search: null, page: null }, true)}>
        Clear search
      </button>
    </EmptyState>
  ) : page > 1 ? (
    <EmptyState title="This page is empty">
      <button type="button" className="btn btn--small" onClick={() => setParams({ page: null })}>
        Go to the first page
      </button>
    </EmptyState>
  ) : role ? (
    <EmptyState title={role === 'NO' ? 'No sign-ups wait for approval' : `No members with the role ${roleLabel(role)}`} icon={<PeopleIcon />}>
      <button type="button" className="btn btn--small" onClick={() => setParams({ role: null, page: null }, true)}>
        Show all roles
      </button>
      <RoleGuide />
    </EmptyState>
  ) : (
    <EmptyState title="No members yet" icon={<PeopleIcon />}>
      {can('organizations.invite') ? 'Invite people with the Add People button.' : 'People join with the invite link.'}
      <RoleGuide />
    </EmptyState>
  );

  return (
    <div className="page page--wide">
      <OrganizationTabs />
      <PageHeader title="People" subtitle={me.active_organization_meta.title} actions={headerActions} />
      {pending.data !== undefined && pending.data > 0 && role !== 'NO' && (
        <PendingNotice count={pending.data} onShow={() => setParams({ role: 'NO', page: null, search: null }, true)} />
      )}
      <div className={`people${selectedId ? ' people--with-panel' : ''}`}>
        <section className="card people__list" aria-labelledby="people-list-title">
          <h2 id="people-list-title" className="visually-hidden">
            Members
          </h2>
          <div className="toolbar">
            <div className="search">
              <span className="search__icon">
                <SearchIcon />
              </span>
              <input
                type="search"
                className="input search__input"
                placeholder="Search by name or email"
                aria-label="Search members by name or email"
                value={draft}
                onChange={(e) => setDraft(e.target.value)}
              />
            </div>
            <RoleFilter value={role} onChange={(next) => setParams({ role: next ?? null, page: null }, true)} />
            {members.status === 'loading' && data && <Spinner label="Updating…" inline />}
          </div>
          {checkedMembers.length > 0 && (
            <BulkRoleBar
              orgId={orgId}
              members={checkedMembers}
              onClear={() => setChecked(new Set())}
              onDone={(report, failedIds) => {
                setBulkReport(report);
                setChecked(new Set(failedIds));
                reloadMembers();
                reloadPending();
              }}
            />
          )}
          {bulkReport && <BulkReportView report={bulkReport} onDismiss={() => setBulkReport(undefined)} />}
          <div className="people__status" aria-live="polite">
            {actions.result && <StatusText tone={actions.result.ok ? 'success' : 'error'}>{actions.result.message}</StatusText>}
          </div>
          {pastEnd && <PastEndNotice onFirstPage={() => setParams({ page: null })} />}
          {members.status === 'error' && !pastEnd && <ErrorMessage title="Could not load members." error={members.error} onRetry={members.reload} />}
          {!data && members.status === 'loading' && <Loading label="Loading members…" />}
          {data && data.results.length === 0 && members.status !== 'loading' && empty}
          {data && !pastEnd && data.results.length > 0 && (
            <div className={`table-wrap${members.status === 'loading' ? ' is-stale' : ''}`}>
              <PeopleTable
                members={data.results}
                selectedId={selectedId}
                sort={sort}
                onSort={onSort}
                onSelect={onSelect}
                actions={actions}
                approvalRole={approvalRole}
                selection={selection}
              />
            </div>
          )}
          {data && !pastEnd && data.count > 0 && (
            <Pagination
              page={Math.min(page, lastPage)}
              pageSize={pageSize}
              count={data.count}
              noun={data.count === 1 ? 'member' : 'members'}
              onPage={(p) => setParams({ page: p > 1 ? String(p) : null })}
              onPageSize={(size) => setParams({ page_size: String(size), page: null })}
            />
          )}
        </section>
        {selectedId !== undefined && (
          <UserPanel orgId={orgId} userId={selectedId} source={panelSource} onClose={closePanel} actions={actions} activationRole={approvalRole} />
        )}
      </div>
      {canInvite && <InvitationsSection page={invitations.data} error={invitations.error} onChanged={invitations.reload} />}
      {actions.dialog}
      <InviteDialog
        open={dialog === 'invite'}
        onClose={() => setDialog(undefined)}
        emailEnabled={invitations.data?.email_enabled}
        invitableRoles={invitations.data?.invitable_roles ?? []}
        onInvited={invitations.reload}
      />
      <TokenSettingsDialog open={dialog === 'settings'} onClose={() => setDialog(undefined)} />
    </div>
  );
}
