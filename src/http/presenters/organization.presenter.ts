import type { Static } from '@sinclair/typebox';
import { presentDateTime } from '#src/http/presenters/datetime.presenter.js';
import type { InviteSchema, OrganizationListItemSchema, OrganizationSchema } from '#src/http/schemas/organization.schema.js';
import type { OrganizationDetail } from '#src/services/organization.service.js';
import type { OrganizationRow } from '#src/storage/schema.js';

/** Item of the organizations list. */
export function presentOrganizationListItem(org: OrganizationRow): Static<typeof OrganizationListItemSchema> {
  return { id: org.id, title: org.title, contact_info: org.contact_info, created_at: presentDateTime(org.created_at) };
}

/** Organization object (§6.5). The invite token is there only for members who may invite. */
export function presentOrganization({ organization: org, userIds, inviteToken }: OrganizationDetail): Static<typeof OrganizationSchema> {
  return {
    id: org.id,
    title: org.title,
    ...(inviteToken === undefined ? {} : { token: inviteToken }),
    users: userIds,
    created_by: org.created_by_id,
    created_at: presentDateTime(org.created_at),
    updated_at: presentDateTime(org.updated_at),
    contact_info: org.contact_info,
    allow_unsafe_instruction_tags: org.allow_unsafe_instruction_tags,
    default_role: org.default_role,
  };
}

/** `GET /api/invite`: a relative sign-up link carrying the token, and the token itself. */
export function presentInvite(token: string): Static<typeof InviteSchema> {
  return { invite_url: `/user/signup/?token=${encodeURIComponent(token)}`, token };
}
