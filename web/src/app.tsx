import { AppShell, PageHeader } from './components/app-shell';
import { EmptyState } from './components/feedback';
import { Link, useLocation, useTitle } from './lib/router';
import { AccountPage } from './pages/account/account-page';
import { ActivityLogPage } from './pages/organization/activity-page';
import { PermissionsPage } from './pages/organization/permissions-page';
import { OrganizationSettingsPage } from './pages/organization/settings-page';
import { PeoplePage } from './pages/people/people-page';
import { ProjectPage } from './pages/projects/project-page';
import { ProjectsPage } from './pages/projects/projects-page';
import { TwoFactorSetupPage } from './pages/two-factor/setup-page';
import { SessionProvider, useSession } from './session';

function NotFound() {
  useTitle('Page not found');
  return (
    <div className="page">
      <PageHeader title="Page not found" />
      <div className="card">
        <EmptyState title="There is nothing at this address.">
          <Link href="/projects/">Go to Projects</Link>
        </EmptyState>
      </div>
    </div>
  );
}

function Page() {
  const { pathname } = useLocation();
  const path = pathname.endsWith('/') ? pathname : `${pathname}/`;
  if (path === '/projects/') return <ProjectsPage />;
  const project = /^\/projects\/(\d+)\/$/.exec(path);
  if (project) return <ProjectPage id={Number(project[1])} />;
  if (path === '/organization/permissions/') return <PermissionsPage />;
  if (path === '/organization/activity/') return <ActivityLogPage />;
  if (path === '/organization/settings/') return <OrganizationSettingsPage />;
  // Other Organization paths of Label Studio's (webhooks, billing…) land on People, as before.
  if (path === '/people/' || path.startsWith('/organization/')) return <PeoplePage />;
  if (path.startsWith('/user/account/')) return <AccountPage />;
  return <NotFound />;
}

/** The page for the active organization: switching organizations starts every page afresh. */
function OrganizationScopedPage() {
  const { me } = useSession();
  return <Page key={me.active_organization ?? 'none'} />;
}

export function App() {
  // Enrolment stands alone: a member sent there may not load whoami (or anything else) until it is done.
  if (location.pathname.startsWith('/user/two-factor/setup')) return <TwoFactorSetupPage />;
  return (
    <SessionProvider>
      <AppShell>
        <OrganizationScopedPage />
      </AppShell>
    </SessionProvider>
  );
}
