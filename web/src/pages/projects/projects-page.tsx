import { ApiError } from '../../api/client';
import { api } from '../../api/endpoints';
import { PageHeader } from '../../components/app-shell';
import { EmptyState, ErrorMessage, Loading, PastEndNotice } from '../../components/feedback';
import { ProjectIcon } from '../../components/icons';
import { pageParams, Pagination } from '../../components/pagination';
import { formatDate, fullName } from '../../lib/format';
import { Link, useSearchParams, useTitle } from '../../lib/router';
import { useAsync } from '../../lib/use-async';

/** The projects of the organization: a plain, paged list so member panels link somewhere real. */
export function ProjectsPage() {
  useTitle('Projects');
  const [params, setParams] = useSearchParams();
  const { page, pageSize } = pageParams(params);
  const projects = useAsync((signal) => api.projects(page, pageSize, signal), [page, pageSize]);
  const data = projects.data;
  const pastEnd = projects.status === 'error' && projects.error instanceof ApiError && projects.error.status === 404 && page > 1;

  return (
    <div className="page">
      <PageHeader title="Projects" />
      <section className="card" aria-label="Projects">
        {projects.status === 'error' && !pastEnd && <ErrorMessage title="Could not load projects." error={projects.error} onRetry={projects.reload} />}
        {pastEnd && <PastEndNotice onFirstPage={() => setParams({ page: null })} />}
        {!data && projects.status === 'loading' && <Loading label="Loading projects…" />}
        {data && !pastEnd && data.count === 0 && (
          <EmptyState title="No projects yet" icon={<ProjectIcon />}>
            Projects created in this organization (for example through the API or the SDK) appear here.
          </EmptyState>
        )}
        {data && !pastEnd && data.results.length > 0 && (
          <>
            <div className={`table-wrap${projects.status === 'loading' ? ' is-stale' : ''}`}>
              <table className="table">
                <caption className="visually-hidden">Projects</caption>
                <thead>
                  <tr>
                    <th scope="col">Title</th>
                    <th scope="col">Created by</th>
                    <th scope="col">Created</th>
                    <th scope="col" className="num">
                      Tasks
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.results.map((project) => (
                    <tr key={project.id}>
                      <td>
                        <Link href={`/projects/${project.id}`}>{project.title || `Project #${project.id}`}</Link>
                      </td>
                      <td>{project.created_by ? fullName(project.created_by) || project.created_by.email : '—'}</td>
                      <td>{formatDate(project.created_at)}</td>
                      <td className="num">{project.task_number}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pagination
              page={page}
              pageSize={pageSize}
              count={data.count}
              noun={data.count === 1 ? 'project' : 'projects'}
              onPage={(p) => setParams({ page: p > 1 ? String(p) : null })}
              onPageSize={(size) => setParams({ page_size: String(size), page: null })}
            />
          </>
        )}
      </section>
    </div>
  );
}
