import type { Static } from '@sinclair/typebox';
import { presentDateTime } from '#src/http/presenters/datetime.presenter.js';
import type { InvitationSchema, InviteResultSchema } from '#src/http/schemas/invitation.schema.js';
import type { InvitationEntry } from '#src/services/invitation.service.js';
import type { EmailInvitationRow } from '#src/storage/schema.js';

/** One invitation of the list. */
export function presentInvitation(entry: InvitationEntry): Static<typeof InvitationSchema> {
  const { invitation } = entry;
  return {
    id: invitation.id,
    email: invitation.email,
    role: invitation.role,
    status: entry.status,
    invited_by: invitation.invited_by_id === null ? null : { id: invitation.invited_by_id, email: invitation.inviter_email ?? '' },
    created_at: presentDateTime(invitation.created_at),
    expires_at: presentDateTime(invitation.expires_at),
    last_sent_at: presentDateTime(invitation.last_sent_at),
    send_count: invitation.send_count,
    sends_left: entry.sendsLeft,
    accepted_at: presentDateTime(invitation.accepted_at),
    revoked_at: presentDateTime(invitation.revoked_at),
    allowed_actions: entry.allowedActions,
  };
}

/** Enterprise's "Invite sent" / "Invite revoked", with the invitations concerned. */
export function presentInviteResult(detail: string, rows: readonly EmailInvitationRow[]): Static<typeof InviteResultSchema> {
  return {
    detail,
    invitations: rows.map((row) => ({ id: row.id, email: row.email, role: row.role, status: row.status, expires_at: presentDateTime(row.expires_at) })),
  };
}
