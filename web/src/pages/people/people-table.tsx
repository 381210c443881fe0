import type { MemberSortKey } from '../../api/endpoints';
import type { MembershipListItem } from '../../api/types';
import { Avatar } from '../../components/avatar';
import { formatDateTime, fullName, relativeTime } from '../../lib/format';

export interface Sort {
  key: MemberSortKey;
  descending: boolean;
}

interface PeopleTableProps {
  members: MembershipListItem[];
  selectedId: number | undefined;
  sort: Sort | undefined;
  onSort: (key: MemberSortKey) => void;
  onSelect: (userId: number) => void;
}

const COLUMNS: { key: MemberSortKey; label: string; className: string }[] = [
  { key: 'email', label: 'Email', className: 'col-email' },
  { key: 'name', label: 'Name', className: 'col-name' },
  { key: 'last_activity', label: 'Last Activity', className: 'col-activity' },
];

/** The members of the organization; the whole row opens the panel, and the e-mail button does so from the keyboard. */
export function PeopleTable({ members, selectedId, sort, onSort, onSelect }: PeopleTableProps) {
  return (
    <table className="table table--people">
      <caption className="visually-hidden">Members of the organization. Select a member to see their details.</caption>
      <thead>
        <tr>
          <th scope="col" className="col-avatar">
            <span className="visually-hidden">Avatar</span>
          </th>
          {COLUMNS.map((column) => {
            const active = sort?.key === column.key;
            const direction = active ? (sort.descending ? 'descending' : 'ascending') : undefined;
            return (
              <th key={column.key} scope="col" className={column.className} aria-sort={direction ?? 'none'}>
                <button type="button" className="sort-btn" onClick={() => onSort(column.key)}>
                  {column.label}
                  <span className={`sort-btn__icon${active ? ' is-active' : ''}`} aria-hidden="true">
                    {active ? (sort.descending ? '↓' : '↑') : '↕'}
                  </span>
                </button>
              </th>
            );
          })}
        </tr>
      </thead>
      <tbody>
        {members.map((member) => {
          const user = member.user;
          const selected = user.id === selectedId;
          return (
            <tr
              key={member.id}
              className={selected ? 'is-selected' : undefined}
              onClick={() => onSelect(user.id)}
              data-user-id={user.id}
            >
              <td className="col-avatar">
                <span title={`User ID: ${user.id}`}>
                  <Avatar user={user} size={32} />
                </span>
              </td>
              <td className="col-email">
                <button
                  type="button"
                  className="row-btn"
                  aria-pressed={selected}
                  aria-controls="member-panel"
                  onClick={(event) => {
                    event.stopPropagation();
                    onSelect(user.id);
                  }}
                >
                  {user.email}
                </button>
              </td>
              <td className="col-name">{fullName(user) || <span className="muted">—</span>}</td>
              <td className="col-activity">
                <time dateTime={user.last_activity ?? undefined} title={user.last_activity ? formatDateTime(user.last_activity) : undefined}>
                  {relativeTime(user.last_activity)}
                </time>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
