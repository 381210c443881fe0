import { Fragment, useState } from 'react';
import type { ActivityEntry } from '../../api/types';
import { fullActionLabel } from '../../lib/audit-actions';
import { formatDateTime, relativeTime } from '../../lib/format';

/** Where the entry's change landed: "user #4", "organization #1". */
function targetOf(entry: ActivityEntry): string {
  const { target_type: type, target_id: id } = entry.extra_data;
  if (!type) return '—';
  return id === null ? type : `${type} #${id}`;
}

function EntryDetails({ entry }: { entry: ActivityEntry }) {
  const details = entry.extra_data.details;
  return (
    <dl className="entry-details">
      <div>
        <dt>Action</dt>
        <dd>
          <code>{entry.extra_data.action}</code>
        </dd>
      </div>
      <div>
        <dt>Target</dt>
        <dd>{targetOf(entry)}</dd>
      </div>
      <div>
        <dt>Signed in with</dt>
        <dd>{entry.extra_data.auth_method || '—'}</dd>
      </div>
      <div>
        <dt>IP address</dt>
        <dd>{entry.ip_address ?? '—'}</dd>
      </div>
      <div>
        <dt>Browser or client</dt>
        <dd>{entry.user_agent ?? '—'}</dd>
      </div>
      <div>
        <dt>Request ID</dt>
        <dd>
          <code>{entry.extra_data.request_id || '—'}</code>
        </dd>
      </div>
      {Object.keys(details).length > 0 && (
        <div className="entry-details__wide">
          <dt>Details</dt>
          <dd>
            <pre className="entry-details__json">{JSON.stringify(details, null, 2)}</pre>
          </dd>
        </div>
      )}
    </dl>
  );
}

/** Log entries, newest first; each row opens its details (target, client, what changed). */
export function ActivityTable({ entries }: { entries: ActivityEntry[] }) {
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const toggle = (id: number) =>
    setOpen((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  return (
    <table className="table table--activity">
      <caption className="visually-hidden">Activity log entries, newest first</caption>
      <thead>
        <tr>
          <th scope="col" className="col-time">
            Time
          </th>
          <th scope="col">User</th>
          <th scope="col">Action</th>
          <th scope="col">Request</th>
          <th scope="col" className="num">
            Status
          </th>
          <th scope="col" className="col-toggle">
            <span className="visually-hidden">Details</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {entries.map((entry) => {
          const expanded = open.has(entry.id);
          const detailsId = `activity-entry-${entry.id}`;
          return (
            <Fragment key={entry.id}>
              <tr className={expanded ? 'is-expanded' : undefined} data-entry-id={entry.id}>
                <td className="col-time">
                  <time dateTime={entry.datetime} title={relativeTime(entry.datetime)}>
                    {formatDateTime(entry.datetime)}
                  </time>
                </td>
                <td className="col-user">{entry.email || <span className="muted">System</span>}</td>
                <td>{fullActionLabel(entry.extra_data.action)}</td>
                <td className="col-request">
                  <span className="method">{entry.request_method}</span> <span className="request-url">{entry.request_url}</span>
                </td>
                <td className="num">{entry.response_code}</td>
                <td className="col-toggle">
                  <button
                    type="button"
                    className="btn btn--small btn--ghost"
                    aria-expanded={expanded}
                    aria-controls={expanded ? detailsId : undefined}
                    onClick={() => toggle(entry.id)}
                  >
                    Details<span className="visually-hidden"> of entry {entry.id}</span>
                  </button>
                </td>
              </tr>
              {expanded && (
                <tr id={detailsId} className="entry-details-row">
                  <td colSpan={6}>
                    <EntryDetails entry={entry} />
                  </td>
                </tr>
              )}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}
