import { ApiError } from '../../api/client';
import { api, type ActivityFilters as ApiFilters } from '../../api/endpoints';
import type { ActivityExportFormat } from '../../api/types';
import { PageHeader } from '../../components/app-shell';
import { EmptyState, ErrorMessage, Loading, PastEndNotice, Spinner } from '../../components/feedback';
import type { PickedMember } from '../../components/member-picker';
import { pageParams, Pagination } from '../../components/pagination';
import { useSearchParams, useTitle } from '../../lib/router';
import { useAsync } from '../../lib/use-async';
import { useSession } from '../../session';
import { ActivityFilters, FILTER_PARAMS } from './activity-filters';
import { ActivityTable } from './activity-table';
import { OrganizationTabs } from './organization-tabs';

/** A `yyyy-mm-dd` day of the browser's calendar as the instant it starts (or, with `end`, its last millisecond). */
function localDay(day: string | null, end = false): string | undefined {
  const match = day ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(day) : null;
  if (!match) return undefined;
  const [year, month, date] = [Number(match[1]), Number(match[2]) - 1, Number(match[3])];
  const instant = end ? new Date(year, month, date, 23, 59, 59, 999) : new Date(year, month, date);
  return Number.isNaN(instant.getTime()) ? undefined : instant.toISOString();
}

/** The URL's filters as the API takes them (the list and the export alike). */
function apiFilters(params: URLSearchParams): ApiFilters {
  const value = (name: string) => params.get(name) || undefined;
  return {
    user: value('user'),
    action: value('action'),
    method: value('method'),
    search: value('search'),
    start_date: localDay(params.get('from')),
    end_date: localDay(params.get('to'), true),
  };
}

const EXPORTS: { format: ActivityExportFormat; label: string }[] = [
  { format: 'csv', label: 'Export CSV' },
  { format: 'jsonl', label: 'Export JSON Lines' },
];

/** Organization → Activity Log: who did what, newest first, filtered in the URL, exported with the same filters. */
export function ActivityLogPage() {
  useTitle('Activity Log');
  const { me, can } = useSession();
  const orgId = me.active_organization;
  const allowed = can('activity_log.view');
  const [params, setParams] = useSearchParams();
  const { page, pageSize } = pageParams(params);
  const filters = apiFilters(params);
  const filterKey = JSON.stringify(filters);
  const filtered = FILTER_PARAMS.some((name) => params.has(name));

  const log = useAsync(
    (signal) => (allowed ? api.activityLog(filters, page, pageSize, signal) : Promise.resolve(undefined)),
    [allowed, filterKey, page, pageSize],
  );
  const userId = Number.parseInt(params.get('user') ?? '', 10);
  const user = useAsync<PickedMember | undefined>(async () => {
    if (!Number.isFinite(userId)) return undefined;
    // A deleted account is still in the log under its id.
    return api.user(userId).then(
      (found) => ({ id: found.id, email: found.email }),
      () => ({ id: userId, email: `User #${userId}` }),
    );
  }, [userId]);

  if (!allowed || !orgId) {
    return (
      <div className="page">
        <OrganizationTabs />
        <PageHeader title="Activity Log" />
        <div className="card">
          <EmptyState title="You cannot see the activity log">The owner and administrators read it.</EmptyState>
        </div>
      </div>
    );
  }

  const data = log.data;
  // Past the last page the server answers 404 "No more logs found": an empty page, not a failure.
  const pastEnd = log.status === 'error' && log.error instanceof ApiError && log.error.status === 404 && page > 1;
  const lastPage = data ? Math.max(1, Math.ceil(data.recordsFiltered / pageSize)) : 1;
  const clearFilters = () => setParams(Object.fromEntries([...FILTER_PARAMS, 'page'].map((name) => [name, null])), true);

  const exports = EXPORTS.map(({ format, label }) => (
    <a key={format} className="btn" href={api.activityExportUrl(filters, format)} download={`activity-log.${format}`}>
      {label}
    </a>
  ));

  return (
    <div className="page page--wide">
      <OrganizationTabs />
      <PageHeader title="Activity Log" subtitle="Who did what in the organization, newest first." actions={exports} />
      <section className="card" aria-labelledby="activity-title">
        <h2 id="activity-title" className="visually-hidden">
          Entries
        </h2>
        <div className="toolbar toolbar--filters">
          <ActivityFilters orgId={orgId} user={user.data?.id === userId ? user.data : undefined} />
          <div className="toolbar__end">
            {log.status === 'loading' && data && <Spinner label="Updating…" inline />}
            {filtered && (
              <button type="button" className="btn btn--small" onClick={clearFilters}>
                Clear filters
              </button>
            )}
          </div>
        </div>
        {pastEnd && <PastEndNotice onFirstPage={() => setParams({ page: null })} />}
        {log.status === 'error' && !pastEnd && <ErrorMessage title="Could not load the activity log." error={log.error} onRetry={log.reload} />}
        {!data && log.status === 'loading' && <Loading label="Loading the activity log…" />}
        {data && !pastEnd && data.data.length === 0 && log.status !== 'loading' && (
          <EmptyState title={filtered ? 'No entries match these filters' : 'Nothing logged yet'}>
            {filtered ? 'Change or clear the filters above.' : 'Changes to members, settings and tokens appear here.'}
          </EmptyState>
        )}
        {data && !pastEnd && data.data.length > 0 && (
          <div className={`table-wrap${log.status === 'loading' ? ' is-stale' : ''}`}>
            <ActivityTable entries={data.data} />
          </div>
        )}
        {data && !pastEnd && data.recordsFiltered > 0 && (
          <Pagination
            page={Math.min(page, lastPage)}
            pageSize={pageSize}
            count={data.recordsFiltered}
            noun={data.recordsFiltered === 1 ? 'entry' : 'entries'}
            onPage={(p) => setParams({ page: p > 1 ? String(p) : null })}
            onPageSize={(size) => setParams({ page_size: String(size), page: null })}
          />
        )}
      </section>
    </div>
  );
}
