import type { RoleCode } from '../../api/types';
import { ALL_ROLES, ROLE_LABELS } from '../../lib/roles';

/** "All roles" or one role; the page keeps it in the URL's `role` parameter. */
export function RoleFilter({ value, onChange }: { value: RoleCode | undefined; onChange: (role: RoleCode | undefined) => void }) {
  return (
    <span className="role-filter">
      <label htmlFor="role-filter" className="role-filter__label">
        Role
      </label>
      <select
        id="role-filter"
        className="select select--small"
        value={value ?? ''}
        onChange={(e) => onChange(ALL_ROLES.find((role) => role === e.target.value))}
      >
        <option value="">All roles</option>
        {ALL_ROLES.map((role) => (
          <option key={role} value={role}>
            {role === 'NO' ? 'Pending approval' : ROLE_LABELS[role]}
          </option>
        ))}
      </select>
    </span>
  );
}
