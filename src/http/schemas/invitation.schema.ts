import { Type } from '@sinclair/typebox';
import { Nullable, PageOf, PageQueryFields, RowId } from '#src/http/schemas/common.schema.js';

const DateTime = Type.String({ format: 'date-time' });

/** `POST /api/invite/send-email`: Enterprise's `invites.send_email`, only the keys the caller passed. */
export const SendInvitesBody = Type.Object({
  emails: Type.Array(Type.String({ maxLength: 254 }), { maxItems: 100, description: 'Addresses to invite (at most 100)' }),
  role: Type.Optional(Type.String({ maxLength: 20, description: 'AD, MA, RE or AN; never above your own role' })),
  user_type: Type.Optional(Type.String({ maxLength: 20, description: 'Only `standard`: this server has no other seat types' })),
  projects: Type.Optional(Type.Array(RowId, { maxItems: 1000, description: 'Accepted and ignored: every member sees the organization’s projects' })),
  workspaces: Type.Optional(Type.Array(RowId, { maxItems: 1000, description: 'Accepted and ignored: no workspaces here' })),
});

/** `POST /api/invite/revoke` (Enterprise's `revoke_invite`) and `POST /api/invite/resend` (ours). */
export const InviteEmailBody = Type.Object({ email: Type.String({ maxLength: 254, examples: ['invitee@example.com'] }) });

/** An invitation as the API shows it; the link itself is never shown again (only its keyed hash is kept). */
export const InvitationSchema = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  role: Type.String({ description: 'AD, MA, RE or AN' }),
  status: Type.String({ description: 'pending, expired (pending past expires_at), accepted or revoked' }),
  invited_by: Nullable(Type.Object({ id: Type.Integer(), email: Type.String() })),
  created_at: DateTime,
  expires_at: DateTime,
  last_sent_at: DateTime,
  send_count: Type.Integer({ description: 'Times it was e-mailed' }),
  sends_left: Type.Integer({ description: 'Resends still allowed (0 once closed)' }),
  accepted_at: Nullable(DateTime),
  revoked_at: Nullable(DateTime),
  allowed_actions: Type.Array(Type.String(), { description: 'What the caller may do with it: resend, revoke' }),
});

export const InvitationListQuery = Type.Object({
  ...PageQueryFields,
  status: Type.Optional(Type.String({ maxLength: 60, description: 'Comma-separated: pending, expired, accepted, revoked (default: all)' })),
});

export const InvitationPageSchema = Type.Composite([
  PageOf(InvitationSchema),
  Type.Object({
    email_enabled: Type.Boolean({ description: 'False when this server cannot send e-mail: invitations cannot be sent or resent' }),
    invitable_roles: Type.Array(Type.String(), { description: 'Roles the caller may invite people as' }),
  }),
]);

/** Answer of send-email, resend and revoke (Enterprise's SDK ignores it; the web app reads it). */
export const InviteResultSchema = Type.Object({
  detail: Type.String(),
  invitations: Type.Array(Type.Object({ id: Type.Integer(), email: Type.String(), role: Type.String(), status: Type.String(), expires_at: DateTime })),
});
