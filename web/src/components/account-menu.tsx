import { fullName } from '../lib/format';
import { Link } from '../lib/router';
import { useMenu } from '../lib/use-menu';
import { useSession } from '../session';
import { Avatar } from './avatar';

/** The avatar button at the top right: a menu with Account & Settings and Log out, usable with arrows and Escape. */
export function AccountMenu() {
  const { me } = useSession();
  const { open, close, menuId, buttonProps, menuProps } = useMenu();

  const name = fullName(me) || me.email;
  return (
    <div className="account-menu">
      <button {...buttonProps} className="account-menu__button">
        <Avatar user={me} size={30} />
        <span className="account-menu__name">{name}</span>
        <span className="account-menu__caret" aria-hidden="true">
          ▾
        </span>
        <span className="visually-hidden">Account menu</span>
      </button>
      {open && (
        <div {...menuProps} className="menu">
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
