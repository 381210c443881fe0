import type { OrganizationRow } from '#src/storage/schema.js';
import { presentDateTime } from '#src/presenters/datetime.presenter.js';

/** Item of the organizations list. */
export function presentOrganizationListItem(org: OrganizationRow) {
  return { id: org.id, title: org.title, contact_info: org.contact_info, created_at: presentDateTime(org.created_at) };
}

/** Organization object (§6.5). The invite token is shown only to members who may invite (`showToken`). */
export function presentOrganization(org: OrganizationRow, userIds: number[], showToken: boolean) {
  return {
    id: org.id,
    title: org.title,
    ...(showToken ? { token: org.token } : {}),
    users: userIds,
    created_by: org.created_by_id,
    created_at: presentDateTime(org.created_at),
    updated_at: presentDateTime(org.updated_at),
    contact_info: org.contact_info,
    allow_unsafe_instruction_tags: org.allow_unsafe_instruction_tags,
  };
}

/** `GET /api/invite`: a relative sign-up link carrying the token, and the token itself. */
export function presentInvite(token: string) {
  return { invite_url: `/user/signup/?token=${encodeURIComponent(token)}`, token };
}
