import type { ReactNode } from 'react';
import { Link, useLocation } from '../lib/router';
import { AccountMenu } from './account-menu';
import { OrganizationSwitcher } from './organization-switcher';

const SECTIONS = [
  { href: '/projects/', label: 'Projects', match: (p: string) => p.startsWith('/projects') },
  { href: '/organization/', label: 'Organization', match: (p: string) => p.startsWith('/organization') || p.startsWith('/people') },
];

/** Top bar (brand, sections, account menu) around every page. */
export function AppShell({ children }: { children: ReactNode }) {
  const { pathname } = useLocation();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link href="/projects/" className="brand">
          <span className="brand__mark" aria-hidden="true">
            LS
          </span>
          <span className="brand__name">Label Studio</span>
        </Link>
        <nav className="topnav" aria-label="Main">
          {SECTIONS.map((section) => (
            <Link
              key={section.href}
              href={section.href}
              className="topnav__link"
              aria-current={section.match(pathname) ? 'page' : undefined}
            >
              {section.label}
            </Link>
          ))}
        </nav>
        <OrganizationSwitcher />
        <AccountMenu />
      </header>
      <main id="main" className="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

/** Page title row: heading at the left, actions at the right. */
export function PageHeader({ title, subtitle, actions }: { title: string; subtitle?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="page-header">
      <div>
        <h1 className="page-header__title">{title}</h1>
        {subtitle && <p className="page-header__subtitle">{subtitle}</p>}
      </div>
      {actions && <div className="page-header__actions">{actions}</div>}
    </div>
  );
}
