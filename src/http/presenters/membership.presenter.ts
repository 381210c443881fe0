import type { Static } from '@sinclair/typebox';
import { presentDateTime } from '#src/http/presenters/datetime.presenter.js';
import { presentUser } from '#src/http/presenters/user.presenter.js';
import type { MemberDetailSchema, MemberListItemSchema } from '#src/http/schemas/organization.schema.js';
import type { MemberDetail, MemberListEntry } from '#src/services/membership.service.js';

/** Membership list item (§6.3): project lists at both levels (the copies inside `user` are Label Studio's legacy), plus the role
 * and (ours, for the People page) what the viewer may do and the role a reactivation gives back. */
export function presentMemberListItem(entry: MemberListEntry, host: string): Static<typeof MemberListItemSchema> {
  return {
    id: entry.membership.id,
    organization: entry.membership.organization_id,
    // Extended in place: spreading the user object into a new one costs several times more (hot in long lists).
    user: Object.assign(presentUser(entry.user, { organizationMeta: entry.organizationMeta, masked: entry.masked, host }), {
      created_projects: entry.createdProjects,
      contributed_to_projects: entry.contributedProjects,
    }),
    created_projects: entry.createdProjects,
    contributed_to_projects: entry.contributedProjects,
    role: entry.membership.role,
    role_source: 'manual',
    user_type: 'standard',
    tags: [],
    allowed_actions: entry.allowedActions,
    role_before_deactivation: entry.membership.role === 'DI' ? entry.membership.role_before_deactivation : null,
  };
}

/** Membership detail (§6.4), plus the role. */
export function presentMemberDetail(detail: MemberDetail): Static<typeof MemberDetailSchema> {
  return {
    user: detail.membership.user_id,
    organization: detail.membership.organization_id,
    contributed_projects_count: detail.contributedProjectsCount,
    annotations_count: detail.annotationsCount,
    created_at: presentDateTime(detail.membership.created_at),
    created_projects: detail.createdProjects,
    contributed_to_projects: detail.contributedProjects,
    role: detail.membership.role,
    allowed_actions: detail.allowedActions,
  };
}
