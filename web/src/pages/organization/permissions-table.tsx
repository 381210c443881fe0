import type { PermissionOption, PermissionOverride, RoleCode } from '../../api/types';
import { ALL_ROLES, ROLE_LABELS, roleCode } from '../../lib/roles';

/** A permission's new roles, and whether they are its defaults again. */
export interface PermissionChange {
  option: PermissionOption;
  roles: RoleCode[];
  isDefault: boolean;
}

interface PermissionsTableProps {
  options: PermissionOption[];
  overrides: ReadonlyMap<string, PermissionOverride>;
  editable: boolean;
  /** The change being saved: shown as made, its checkboxes waiting for the answer. */
  saving: PermissionChange | undefined;
  onChange: (change: PermissionChange) => void;
}

const codes = (roles: readonly string[]): RoleCode[] => roles.flatMap((role) => roleCode(role) ?? []);
const sameRoles = (a: readonly RoleCode[], b: readonly RoleCode[]) => a.length === b.length && a.every((role) => b.includes(role));

/** Groups in the order the catalogue first names them. */
function byGroup(options: PermissionOption[]): [string, PermissionOption[]][] {
  const groups = new Map<string, PermissionOption[]>();
  for (const option of options) groups.set(option.group, [...(groups.get(option.group) ?? []), option]);
  return [...groups];
}

/** Permissions as rows, roles as columns (those the catalogue offers any permission to), one checkbox a cell. */
export function PermissionsTable({ options, overrides, editable, saving, onChange }: PermissionsTableProps) {
  const columns = ALL_ROLES.filter((role) => options.some((option) => option.options.includes(role)));

  const toggle = (option: PermissionOption, role: RoleCode, held: boolean) => {
    const current = codes(overrides.get(option.permission)?.roles ?? option.default);
    // The owner is implied: the server always adds it.
    const roles = codes(option.options).filter((r) => r !== 'OW' && (r === role ? held : current.includes(r)));
    const defaults = codes(option.default).filter((r) => r !== 'OW');
    onChange({ option, roles, isDefault: sameRoles(roles, defaults) });
  };

  return (
    <div className="table-wrap">
      <table className="table table--permissions">
        <caption className="visually-hidden">Which roles hold each permission</caption>
        <thead>
          <tr>
            <th scope="col">Permission</th>
            {columns.map((role) => (
              <th key={role} scope="col" className="col-role">
                {ROLE_LABELS[role]}
              </th>
            ))}
            <th scope="col" className="col-state">
              <span className="visually-hidden">State</span>
            </th>
          </tr>
        </thead>
        {byGroup(options).map(([group, groupOptions]) => (
          <tbody key={group}>
            <tr className="table__group">
              <th scope="rowgroup" colSpan={columns.length + 2}>
                {group}
              </th>
            </tr>
            {groupOptions.map((option) => {
              const override = overrides.get(option.permission);
              const busy = saving?.option.permission === option.permission;
              const held = busy ? saving.roles : codes(override?.roles ?? option.default);
              return (
                <tr key={option.permission} aria-busy={busy || undefined}>
                  <th scope="row" className="permission-name">
                    <span>{option.label}</span>
                    <span className="permission-name__hint">{option.tooltip}</span>
                  </th>
                  {columns.map((role) => (
                    <td key={role} className="col-role">
                      {option.options.includes(role) ? (
                        <input
                          type="checkbox"
                          className="permission-check"
                          aria-label={`${ROLE_LABELS[role]}: ${option.label}`}
                          title={role === 'OW' ? 'The owner always holds every permission' : undefined}
                          checked={role === 'OW' || held.includes(role)}
                          // One change at a time: each builds on the answer to the one before.
                          disabled={!editable || role === 'OW' || saving !== undefined}
                          onChange={(e) => toggle(option, role, e.target.checked)}
                        />
                      ) : (
                        <span className="muted" title="Cannot be given to this role">
                          —<span className="visually-hidden">cannot be given to {ROLE_LABELS[role]}s</span>
                        </span>
                      )}
                    </td>
                  ))}
                  <td className="col-state">{override ? <span className="badge badge--custom">Customized</span> : <span className="muted">Default</span>}</td>
                </tr>
              );
            })}
          </tbody>
        ))}
      </table>
    </div>
  );
}
