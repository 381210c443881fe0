import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { api } from '../api/endpoints';
import type { MembershipListItem } from '../api/types';
import { fullName } from '../lib/format';
import { roleLabel } from '../lib/roles';
import { CloseIcon } from './icons';

/** A member as a picker holds them. */
export interface PickedMember {
  id: number;
  email: string;
}

interface MemberPickerProps {
  orgId: number;
  label: string;
  selected: PickedMember | undefined;
  onSelect: (member: PickedMember | undefined) => void;
  /** Members that may not be picked (yourself, inactive members…) are left out of the suggestions. */
  accept?: (member: MembershipListItem) => boolean;
  placeholder?: string;
  hint?: string;
}

/**
 * A combobox (WAI-ARIA list autocomplete) over the organization's live members: typing searches names and e-mails
 * on the server; arrows move, Enter picks, Escape closes the list and then clears.
 */
export function MemberPicker({ orgId, label, selected, onSelect, accept, placeholder, hint }: MemberPickerProps) {
  const id = useId();
  const listId = `${id}-list`;
  const [text, setText] = useState(selected?.email ?? '');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [results, setResults] = useState<MembershipListItem[]>();
  const acceptRef = useRef(accept);
  acceptRef.current = accept;

  // The box shows the picked member, also when the page picks one (the URL, a reset).
  useEffect(() => setText(selected?.email ?? ''), [selected?.id, selected?.email]);

  const query = text.trim();
  const searching = open && query !== '' && query !== selected?.email;
  useEffect(() => {
    if (!searching) return;
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      api.memberSearch(orgId, query, controller.signal).then(
        (page) => {
          const filter = acceptRef.current;
          setResults(filter ? page.results.filter(filter) : page.results);
          setActive(-1);
        },
        () => !controller.signal.aborted && setResults([]),
      );
    }, 200);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [orgId, query, searching]);

  const pick = (member: MembershipListItem) => {
    onSelect({ id: member.user.id, email: member.user.email });
    setText(member.user.email);
    setOpen(false);
  };
  const clear = () => {
    setText('');
    setResults(undefined);
    if (selected) onSelect(undefined);
  };

  const options = searching ? (results ?? []) : [];
  const expanded = open && options.length > 0;
  const onKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      setOpen(true);
      if (options.length === 0) return;
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((i) => (i + step + options.length) % options.length);
    } else if (event.key === 'Enter' && expanded) {
      const member = options[active] ?? (options.length === 1 ? options[0] : undefined);
      if (member) {
        event.preventDefault();
        pick(member);
      }
    } else if (event.key === 'Escape') {
      if (expanded) {
        event.preventDefault();
        setOpen(false);
      } else if (text) {
        event.preventDefault();
        clear();
      }
    }
  };

  const activeId = expanded && active >= 0 ? `${id}-option-${active}` : undefined;
  return (
    <div className="field combobox">
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      <div className="combobox__box">
        <input
          id={id}
          className="input combobox__input"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-activedescendant={activeId}
          aria-describedby={hint ? `${id}-hint` : undefined}
          autoComplete="off"
          placeholder={placeholder ?? 'Name or e-mail'}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setOpen(true);
            if (e.target.value.trim() === '' && selected) onSelect(undefined);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setOpen(false)}
          onKeyDown={onKey}
        />
        {text && (
          <button type="button" className="icon-btn combobox__clear" aria-label={`Clear ${label.toLowerCase()}`} onClick={clear}>
            <CloseIcon />
          </button>
        )}
        {expanded && (
          <ul id={listId} role="listbox" aria-label={label} className="combobox__list">
            {options.map((member, index) => (
              <li
                key={member.user.id}
                id={`${id}-option-${index}`}
                role="option"
                aria-selected={index === active}
                className="combobox__option"
                // Picking on mousedown keeps the input's blur from closing the list first.
                onMouseDown={(event) => {
                  event.preventDefault();
                  pick(member);
                }}
              >
                <span className="combobox__email">{member.user.email}</span>
                <span className="combobox__meta">
                  {[fullName(member.user), roleLabel(member.role)].filter(Boolean).join(' · ')}
                </span>
              </li>
            ))}
          </ul>
        )}
      </div>
      {hint && (
        <span id={`${id}-hint`} className="field__hint">
          {hint}
        </span>
      )}
      <span className="combobox__status" role="status">
        {searching && results?.length === 0 ? `No members match “${query}”` : ''}
      </span>
    </div>
  );
}
