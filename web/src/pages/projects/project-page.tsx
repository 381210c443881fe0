import { ApiError } from '../../api/client';
import { api } from '../../api/endpoints';
import { PageHeader } from '../../components/app-shell';
import { EmptyState, ErrorMessage, Loading } from '../../components/feedback';
import { formatDateTime, fullName } from '../../lib/format';
import { Link, useTitle } from '../../lib/router';
import { useAsync } from '../../lib/use-async';

/** One project: what it is, who created it and when, how many tasks it has. */
export function ProjectPage({ id }: { id: number }) {
  const project = useAsync(() => api.project(id), [id]);
  const data = project.data?.id === id ? project.data : undefined;
  useTitle(data?.title || 'Project');
  const missing = project.status === 'error' && project.error instanceof ApiError && project.error.status === 404;

  return (
    <div className="page">
      <p className="breadcrumb">
        <Link href="/projects/">← All projects</Link>
      </p>
      {missing && (
        <>
          <PageHeader title="Project not found" />
          <div className="card">
            <EmptyState title="This project does not exist or is not in your organization." />
          </div>
        </>
      )}
      {project.status === 'error' && !missing && (
        <>
          <PageHeader title="Project" />
          <ErrorMessage title="Could not load the project." error={project.error} onRetry={project.reload} />
        </>
      )}
      {!data && project.status === 'loading' && <Loading label="Loading project…" />}
      {data && (
        <>
          <PageHeader title={data.title || `Project #${data.id}`} subtitle={data.description || undefined} />
          <section className="card settings-section" aria-label="Project details">
            <dl className="info-list">
              <div className="info-row">
                <dt>Project ID</dt>
                <dd>{data.id}</dd>
              </div>
              <div className="info-row">
                <dt>Created by</dt>
                <dd>{data.created_by ? fullName(data.created_by) || data.created_by.email : '—'}</dd>
              </div>
              <div className="info-row">
                <dt>Created</dt>
                <dd>{formatDateTime(data.created_at)}</dd>
              </div>
              <div className="info-row">
                <dt>Tasks</dt>
                <dd>{data.task_number}</dd>
              </div>
              <div className="info-row">
                <dt>Annotations</dt>
                <dd>{data.total_annotations_number}</dd>
              </div>
            </dl>
          </section>
        </>
      )}
    </div>
  );
}
