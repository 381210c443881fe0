import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../../api/client';
import { api, MEMBER_ORDERING, type MemberSortKey } from '../../api/endpoints';
import { PageHeader } from '../../components/app-shell';
import { EmptyState, ErrorMessage, Loading, PastEndNotice, Spinner } from '../../components/feedback';
import { PeopleIcon, SearchIcon } from '../../components/icons';
import { pageParams, Pagination } from '../../components/pagination';
import { useSearchParams, useTitle } from '../../lib/router';
import { useAsync } from '../../lib/use-async';
import { useSession } from '../../session';
import { InviteDialog } from './invite-dialog';
import { PeopleTable, type Sort } from './people-table';
import { TokenSettingsDialog } from './token-settings-dialog';
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
  const selected = Number.parseInt(params.get('user') ?? '', 10);
  const selectedId = Number.isFinite(selected) ? selected : undefined;
  const [draft, setDraft] = useState(search);
  const [dialog, setDialog] = useState<'invite' | 'settings' | undefined>();

  // The box follows the URL (back/forward) and writes to it after a pause in typing.
  useEffect(() => setDraft(search), [search]);
  useEffect(() => {
    if (draft.trim() === search) return;
    const timer = window.setTimeout(() => setParams({ search: draft.trim() || null, page: null }, true), 300);
    return () => window.clearTimeout(timer);
  }, [draft, search, setParams]);

  const members = useAsync(
    (signal) =>
      orgId
        ? api.memberships(orgId, { page, pageSize, search, sort: sort?.key, descending: sort?.descending }, signal)
        : Promise.resolve({ count: 0, next: null, previous: null, results: [] }),
    [orgId, page, pageSize, search, sort?.key, sort?.descending],
  );

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

  const actions = (
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
  // Past the last page the API answers 404 "Invalid page.": an empty page, not a failure.
  const pastEnd = members.status === 'error' && members.error instanceof ApiError && members.error.status === 404 && page > 1;
  const lastPage = data ? Math.max(1, Math.ceil(data.count / pageSize)) : 1;

  return (
    <div className="page page--wide">
      <PageHeader title="People" subtitle={me.active_organization_meta.title} actions={actions} />
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
            {members.status === 'loading' && data && <Spinner label="Updating…" inline />}
          </div>
          {pastEnd && <PastEndNotice onFirstPage={() => setParams({ page: null })} />}
          {members.status === 'error' && !pastEnd && <ErrorMessage title="Could not load members." error={members.error} onRetry={members.reload} />}
          {!data && members.status === 'loading' && <Loading label="Loading members…" />}
          {data && data.results.length === 0 && members.status !== 'loading' && (
            search ? (
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
            ) : (
              <EmptyState title="No members yet" icon={<PeopleIcon />}>Invite people with the Add People button.</EmptyState>
            )
          )}
          {data && !pastEnd && data.results.length > 0 && (
            <div className={`table-wrap${members.status === 'loading' ? ' is-stale' : ''}`}>
              <PeopleTable members={data.results} selectedId={selectedId} sort={sort} onSort={onSort} onSelect={onSelect} />
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
        {selectedId !== undefined && <UserPanel orgId={orgId} userId={selectedId} source={panelSource} onClose={closePanel} />}
      </div>
      <InviteDialog open={dialog === 'invite'} onClose={() => setDialog(undefined)} />
      <TokenSettingsDialog open={dialog === 'settings'} onClose={() => setDialog(undefined)} />
    </div>
  );
}
