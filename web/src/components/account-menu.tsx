import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { fullName } from '../lib/format';
import { Link } from '../lib/router';
import { useSession } from '../session';
import { Avatar } from './avatar';

/** The avatar button at the top right: a menu with Account & Settings and Log out, usable with arrows and Escape. */
export function AccountMenu() {
  const { me } = useSession();
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);

  const items = () => Array.from(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []);

  useEffect(() => {
    if (!open) return;
    items()[0]?.focus();
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menu.current?.contains(target) && !button.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };

  const onMenuKey = (event: KeyboardEvent) => {
    const list = items();
    const index = list.indexOf(document.activeElement as HTMLElement);
    if (event.key === 'Escape') {
      event.preventDefault();
      close(true);
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      list[(index + step + list.length) % list.length]?.focus();
    } else if (event.key === 'Tab') {
      close(false);
    }
  };

  const name = fullName(me) || me.email;
  return (
    <div className="account-menu">
      <button
        ref={button}
        type="button"
        className="account-menu__button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={menuId}
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown') {
            event.preventDefault();
            setOpen(true);
          }
        }}
      >
        <Avatar user={me} size={30} />
        <span className="account-menu__name">{name}</span>
        <span className="account-menu__caret" aria-hidden="true">
          ▾
        </span>
        <span className="visually-hidden">Account menu</span>
      </button>
      {open && (
        <div ref={menu} className="menu" onKeyDown={onMenuKey}>
          <div className="menu__header">
            <strong>{name}</strong>
            {name !== me.email && <span>{me.email}</span>}
          </div>
          <div id={menuId} role="menu" aria-label="Account">
          <Link href="/user/account/" role="menuitem" className="menu__item" onClick={() => close(false)}>
            Account &amp; Settings
          </Link>
          <a href="/logout" role="menuitem" className="menu__item">
            Log out
          </a>
          </div>
        </div>
      )}
    </div>
  );
}
