import { AppShell, PageHeader } from './components/app-shell';
import { EmptyState } from './components/feedback';
import { Link, useLocation, useTitle } from './lib/router';
import { AccountPage } from './pages/account/account-page';
import { PeoplePage } from './pages/people/people-page';
import { ProjectPage } from './pages/projects/project-page';
import { ProjectsPage } from './pages/projects/projects-page';
import { SessionProvider } from './session';

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
  if (path === '/people/' || path.startsWith('/organization/')) return <PeoplePage />;
  if (path.startsWith('/user/account/')) return <AccountPage />;
  return <NotFound />;
}

export function App() {
  return (
    <SessionProvider>
      <AppShell>
        <Page />
      </AppShell>
    </SessionProvider>
  );
}
