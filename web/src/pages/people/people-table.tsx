import { useEffect, useRef } from 'react';
import type { MemberSortKey } from '../../api/endpoints';
import type { MembershipListItem, RoleCode } from '../../api/types';
import { Avatar } from '../../components/avatar';
import { formatDateTime, fullName, relativeTime } from '../../lib/format';
import { MemberRoleCell } from './member-role-cell';
import type { MemberActions } from './use-member-actions';

export interface Sort {
  key: MemberSortKey;
  descending: boolean;
}

/** Checkboxes for bulk changes: shown to viewers who may change roles. */
export interface Selection {
  ids: ReadonlySet<number>;
  toggle: (userId: number) => void;
  /** Selects every member of the page whose role the viewer may change, or none when all are. */
  toggleAll: () => void;
}

interface PeopleTableProps {
  members: MembershipListItem[];
  selectedId: number | undefined;
  sort: Sort | undefined;
  onSort: (key: MemberSortKey) => void;
  onSelect: (userId: number) => void;
  actions: MemberActions;
  approvalRole: RoleCode;
  selection: Selection | undefined;
}

const changeable = (member: MembershipListItem) => member.allowed_actions.includes('change_role');

/** The header checkbox: checked, unchecked or mixed (which only a property can say). */
function SelectAll({ members, selection }: { members: MembershipListItem[]; selection: Selection }) {
  const box = useRef<HTMLInputElement>(null);
  const eligible = members.filter(changeable);
  const chosen = eligible.filter((m) => selection.ids.has(m.user.id)).length;
  useEffect(() => {
    if (box.current) box.current.indeterminate = chosen > 0 && chosen < eligible.length;
  }, [chosen, eligible.length]);
  return (
    <input
      ref={box}
      type="checkbox"
      aria-label="Select all members on this page"
      checked={eligible.length > 0 && chosen === eligible.length}
      disabled={eligible.length === 0}
      onChange={selection.toggleAll}
    />
  );
}

const COLUMNS: { key: MemberSortKey; label: string; className: string }[] = [
  { key: 'email', label: 'Email', className: 'col-email' },
  { key: 'name', label: 'Name', className: 'col-name' },
  { key: 'last_activity', label: 'Last Activity', className: 'col-activity' },
];

/** The members of the organization; the whole row opens the panel, and the e-mail button does so from the keyboard. */
export function PeopleTable({ members, selectedId, sort, onSort, onSelect, actions, approvalRole, selection }: PeopleTableProps) {
  return (
    <table className="table table--people">
      <caption className="visually-hidden">Members of the organization. Select a member to see their details.</caption>
      <thead>
        <tr>
          {selection && (
            <th scope="col" className="col-check">
              <SelectAll members={members} selection={selection} />
            </th>
          )}
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
          <th scope="col" className="col-role">
            Role
          </th>
        </tr>
      </thead>
      <tbody>
        {members.map((member) => {
          const user = member.user;
          const selected = user.id === selectedId;
          return (
            <tr
              key={member.id}
              className={[selected && 'is-selected', `role-${member.role.toLowerCase()}`].filter(Boolean).join(' ')}
              onClick={() => onSelect(user.id)}
              data-user-id={user.id}
            >
              {selection && (
                <td className="col-check" onClick={(event) => event.stopPropagation()}>
                  <input
                    type="checkbox"
                    aria-label={`Select ${user.email}`}
                    checked={selection.ids.has(user.id)}
                    disabled={!changeable(member)}
                    onChange={() => selection.toggle(user.id)}
                  />
                </td>
              )}
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
                  aria-controls={selectedId !== undefined ? 'member-panel' : undefined}
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
              <td className="col-role">
                <MemberRoleCell member={member} actions={actions} approvalRole={approvalRole} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
