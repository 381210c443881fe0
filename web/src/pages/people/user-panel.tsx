import { useEffect, useRef } from 'react';
import { api } from '../../api/endpoints';
import type { MembershipListItem, ProjectRef, RoleCode, User } from '../../api/types';
import { Avatar } from '../../components/avatar';
import { CloseIcon, ProjectIcon } from '../../components/icons';
import { ErrorMessage, Loading } from '../../components/feedback';
import { formatDateTime, fullName } from '../../lib/format';
import { roleLabel } from '../../lib/roles';
import { Link } from '../../lib/router';
import { useAsync } from '../../lib/use-async';
import { MemberManagement } from './member-management';
import { MemberTwoFactor } from './member-two-factor';
import type { MemberActions } from './use-member-actions';

/** What the panel shows: a list item as the table has it, or the same fields from the user and membership detail. */
export type PanelMember = Pick<MembershipListItem, 'created_projects' | 'contributed_to_projects' | 'role' | 'allowed_actions' | 'role_before_deactivation'> & {
  user: User;
};

interface UserPanelProps {
  orgId: number;
  userId: number;
  /** The member as the table has them; `fetch` when they are on another page; `wait` while the table loads. */
  source: MembershipListItem | 'fetch' | 'wait';
  onClose: () => void;
  actions: MemberActions;
  activationRole: RoleCode;
}

function ProjectLinks({ title, projects }: { title: string; projects: ProjectRef[] | null }) {
  if (!projects || projects.length === 0) return null;
  return (
    <section className="panel__section">
      <h3 className="panel__section-title">{title}</h3>
      <ul className="project-links">
        {projects.map((project) => (
          <li key={project.id}>
            <ProjectIcon size={16} />
            <Link href={`/projects/${project.id}`}>{project.title || `Project #${project.id}`}</Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The selected member: picture, contact, projects created and contributed to, last activity (§7.2). */
export function UserPanel({ orgId, userId, source, onClose, actions, activationRole }: UserPanelProps) {
  const closeButton = useRef<HTMLButtonElement>(null);
  const loaded = useAsync<PanelMember | undefined>(async () => {
    if (source === 'wait') return undefined;
    if (source !== 'fetch') return source;
    const [user, detail] = await Promise.all([api.user(userId), api.membership(orgId, userId)]);
    // What the viewer may do to them (and a kept role) comes with list items only: find them in the list by their e-mail.
    const listed = await api.memberSearch(orgId, user.email).then(
      (page) => page.results.find((item) => item.user.id === userId),
      () => undefined,
    );
    return {
      user,
      created_projects: detail.created_projects,
      contributed_to_projects: detail.contributed_to_projects,
      role: detail.role,
      allowed_actions: listed?.allowed_actions ?? [],
      role_before_deactivation: listed?.role_before_deactivation ?? null,
    };
  }, [orgId, userId, source]);

  useEffect(() => {
    closeButton.current?.focus({ preventScroll: true });
  }, [userId]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      // Escape inside an open dialog belongs to the dialog.
      if (event.key === 'Escape' && !document.querySelector('dialog[open]')) onClose();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);

  // The previous member stays in state while the next one loads: never show them under the new selection.
  const member = loaded.data?.user.id === userId ? loaded.data : undefined;
  const name = member ? fullName(member.user) : '';
  const noProjects = member && !member.created_projects?.length && !member.contributed_to_projects?.length;
  return (
    <aside id="member-panel" className="panel" aria-labelledby="member-panel-title">
      <div className="panel__top">
        {!member && (
          <h2 id="member-panel-title" className="visually-hidden">
            Member details
          </h2>
        )}
        <button ref={closeButton} type="button" className="icon-btn" aria-label="Close member details" onClick={onClose}>
          <CloseIcon />
        </button>
      </div>
      {loaded.status === 'error' && <ErrorMessage error={loaded.error} onRetry={loaded.reload} />}
      {!member && loaded.status !== 'error' && <Loading label="Loading member…" />}
      {member && (
        <>
          <div className="panel__identity">
            <Avatar user={member.user} size={64} />
            <div className="panel__who">
              <h2 id="member-panel-title" className="panel__name">
                {name || (
                  <a className="panel__email" href={`mailto:${member.user.email}`}>
                    {member.user.email}
                  </a>
                )}
              </h2>
              {name && (
                <a className="panel__email" href={`mailto:${member.user.email}`}>
                  {member.user.email}
                </a>
              )}
              {member.user.phone && (
                <a className="panel__phone" href={`tel:${member.user.phone}`}>
                  {member.user.phone}
                </a>
              )}
              {member.role && <span className={`badge badge--${member.role.toLowerCase()}`}>{roleLabel(member.role)}</span>}
            </div>
          </div>
          <MemberManagement member={member} actions={actions} activationRole={activationRole} />
          {member.allowed_actions.includes('reset_two_factor') && <MemberTwoFactor orgId={orgId} userId={member.user.id} email={member.user.email} />}
          <ProjectLinks title="Created Projects" projects={member.created_projects} />
          <ProjectLinks title="Contributed to" projects={member.contributed_to_projects} />
          {noProjects && <p className="panel__empty">No projects created or contributed to yet.</p>}
          <p className="panel__footer">
            Last activity on: {member.user.last_activity ? formatDateTime(member.user.last_activity) : 'never'}
          </p>
        </>
      )}
    </aside>
  );
}
