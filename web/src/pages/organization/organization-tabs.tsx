import { Link, useLocation } from '../../lib/router';
import { useSession } from '../../session';

/** The Organization section's pages, each shown to those whose permissions (whoami) let them use it. */
const TABS: { href: string; label: string; anyOf: string[] }[] = [
  { href: '/organization/', label: 'People', anyOf: ['members.view'] },
  { href: '/organization/permissions/', label: 'Permissions', anyOf: ['permissions.view'] },
  { href: '/organization/activity/', label: 'Activity Log', anyOf: ['activity_log.view'] },
  { href: '/organization/settings/', label: 'Settings', anyOf: ['organizations.change', 'organizations.transfer', 'organizations.two_factor'] },
];

/** Which Organization page the path shows: the People page answers every path the others do not claim. */
function currentTab(pathname: string): string {
  const path = pathname.endsWith('/') ? pathname : `${pathname}/`;
  return TABS.find((tab) => tab.href !== '/organization/' && path.startsWith(tab.href))?.href ?? '/organization/';
}

/** Sub-navigation of the Organization section; absent when the viewer has only the People page. */
export function OrganizationTabs() {
  const { can } = useSession();
  const { pathname } = useLocation();
  const tabs = TABS.filter((tab) => tab.anyOf.some((permission) => can(permission)));
  if (tabs.length < 2) return null;
  const current = currentTab(pathname);
  return (
    <nav className="subnav" aria-label="Organization">
      <ul>
        {tabs.map((tab) => (
          <li key={tab.href}>
            <Link href={tab.href} className="subnav__link" aria-current={tab.href === current ? 'page' : undefined}>
              {tab.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
