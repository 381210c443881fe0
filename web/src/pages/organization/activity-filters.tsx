import { useId } from 'react';
import { MemberPicker, type PickedMember } from '../../components/member-picker';
import { SearchIcon } from '../../components/icons';
import { actionGroups, actionLabel, areaLabel } from '../../lib/audit-actions';
import { useSearchParams } from '../../lib/router';
import { useSearchBox } from '../../lib/use-search-box';

/** Request methods the log records (the API's `method` values): the web pages' calls, the CLI, the server itself. */
const METHODS = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'CLI', 'SYSTEM'] as const;

/** The log's filters as the URL holds them; dates are the browser's local days. */
export const FILTER_PARAMS = ['user', 'action', 'method', 'from', 'to', 'search'] as const;

interface ActivityFiltersProps {
  orgId: number;
  /** The member the `user` parameter names, once known. */
  user: PickedMember | undefined;
}

/** User, action, method, date range and keyword: each change goes to the URL and back to page 1. */
export function ActivityFilters({ orgId, user }: ActivityFiltersProps) {
  const id = useId();
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useSearchBox('search');
  const set = (name: (typeof FILTER_PARAMS)[number], value: string | null) => setParams({ [name]: value, page: null }, true);
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';

  return (
    <div className="filters" role="group" aria-label="Filters">
      <div className="filters__user">
        <MemberPicker
          orgId={orgId}
          label="User"
          placeholder="Anyone"
          selected={user}
          onSelect={(member) => set('user', member ? String(member.id) : null)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-action`} className="field__label">
          Action
        </label>
        <select id={`${id}-action`} className="select" value={params.get('action') ?? ''} onChange={(e) => set('action', e.target.value || null)}>
          <option value="">Any action</option>
          {actionGroups().map(([area, actions]) => (
            <optgroup key={area} label={areaLabel(area)}>
              {actions.map((action) => (
                <option key={action} value={action}>
                  {actionLabel(action)}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-method`} className="field__label">
          Method
        </label>
        <select id={`${id}-method`} className="select" value={params.get('method') ?? ''} onChange={(e) => set('method', e.target.value || null)}>
          <option value="">Any method</option>
          {METHODS.map((method) => (
            <option key={method} value={method}>
              {method}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-from`} className="field__label">
          From
        </label>
        <input id={`${id}-from`} type="date" className="input" value={from} max={to || undefined} onChange={(e) => set('from', e.target.value || null)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-to`} className="field__label">
          To
        </label>
        <input id={`${id}-to`} type="date" className="input" value={to} min={from || undefined} onChange={(e) => set('to', e.target.value || null)} />
      </div>
      <div className="field filters__search">
        <label htmlFor={`${id}-search`} className="field__label">
          Keyword
        </label>
        <div className="search">
          <span className="search__icon">
            <SearchIcon />
          </span>
          <input
            id={`${id}-search`}
            type="search"
            className="input search__input"
            placeholder="In the request URL"
            aria-describedby={`${id}-search-hint`}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
        </div>
        <span id={`${id}-search-hint`} className="visually-hidden">
          Entries whose request URL holds every word; join words with OR for any of them.
        </span>
      </div>
    </div>
  );
}
