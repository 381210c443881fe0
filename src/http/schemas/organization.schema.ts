import { Type } from '@sinclair/typebox';
import { Nullable, PageOf, PageQueryFields, RowId } from '#src/http/schemas/common.schema.js';
import { UserJsonSchema } from '#src/http/schemas/user.schema.js';

export const OrganizationParams = Type.Object({ id: RowId });
export const MemberParams = Type.Object({ id: RowId, user_id: RowId });

const DateTime = Type.String({ format: 'date-time' });

/** Item of `GET /api/organizations/` (a bare array). */
export const OrganizationListItemSchema = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  contact_info: Nullable(Type.String()),
  created_at: DateTime,
});

/**
 * Organization object (§6.5); `token` only for members allowed to invite. The serializer writes required
 * properties before optional ones, so this schema lists none as required to keep Label Studio's field order
 * (every field but `token` is always present).
 */
export const OrganizationSchema = Type.Partial(
  Type.Object({
    id: Type.Integer(),
    title: Type.String(),
    token: Type.String({ description: 'Invite token; present only for members allowed to invite people' }),
    users: Type.Array(Type.Integer(), { description: 'Ids of all members, removed ones included' }),
    created_by: Nullable(Type.Integer()),
    created_at: DateTime,
    updated_at: DateTime,
    contact_info: Nullable(Type.String()),
    allow_unsafe_instruction_tags: Type.Boolean(),
    default_role: Type.String({ description: 'The role invite-link sign-ups get (Enterprise)' }),
  }),
  { description: 'Every field is always present except `token`' },
);

/** Writable fields; `created_by`, `allow_unsafe_instruction_tags`, `token` and anything else are ignored. */
export const OrganizationPatchSchema = Type.Object(
  {
    title: Type.Optional(Type.String({ maxLength: 1000 })),
    contact_info: Type.Optional(Nullable(Type.String({ maxLength: 254, description: 'An e-mail address, empty, or null' }))),
  },
  { additionalProperties: true },
);

export const InviteSchema = Type.Object({ invite_url: Type.String(), token: Type.String() });

const BooleanWord = Type.String({ maxLength: 10, description: '1/0, true/false or yes/no' });

const CommaList = (description: string) => Type.Optional(Type.String({ maxLength: 200, description }));
const Timestamp = (description: string) => Type.Optional(Type.String({ maxLength: 40, description }));

export const MemberListQuery = Type.Object({
  ...PageQueryFields,
  role: CommaList('Role codes, comma-separated (OW, AD, MA, RE, AN, NO, DI)'),
  is_deleted: Type.Optional(BooleanWord),
  user__last_activity__gte: Timestamp('ISO 8601, with an offset or Z'),
  user__last_activity__lte: Timestamp('ISO 8601, with an offset or Z'),
  tags: CommaList('Member tag ids: this server has no member tags, so any value matches nobody'),
  user_type: CommaList('Seat types: every member here is `standard`'),
  exclude_project_id: Type.Optional(Type.String({ maxLength: 20, description: 'Accepted and ignored (no project memberships here)' })),
  exclude_workspace_id: Type.Optional(Type.String({ maxLength: 20, description: 'Accepted and ignored (no workspaces here)' })),
  contributed_to_projects: Type.Optional(BooleanWord),
  search: Type.Optional(Type.String({ maxLength: 256, description: 'Substring of first name, last name, e-mail or username' })),
  ordering: Type.Optional(
    Type.String({ maxLength: 40, description: 'email, first_name, last_name, last_activity, username or date_joined (also as user__<column>); a leading - sorts descending' }),
  ),
});

export const MemberDetailQuery = Type.Object({ contributed_to_projects: Type.Optional(BooleanWord) });

const ProjectRefSchema = Type.Object({ id: Type.Integer(), title: Type.String() });
const ProjectRefs = Nullable(Type.Array(ProjectRefSchema, { description: 'null unless contributed_to_projects is true' }));

/** Membership list item (§6.3) plus our role code. */
export const MemberListItemSchema = Type.Object({
  id: Type.Integer(),
  organization: Type.Integer(),
  user: Type.Composite([Type.Omit(UserJsonSchema, []), Type.Object({ created_projects: ProjectRefs, contributed_to_projects: ProjectRefs })]),
  created_projects: ProjectRefs,
  contributed_to_projects: ProjectRefs,
  role: Type.String({ description: 'OW, AD, MA, RE, AN, NO or DI' }),
  role_source: Type.String({ description: 'Always `manual`: roles are set by people here' }),
  user_type: Type.String({ description: 'Always `standard`: this server has no seat types' }),
  tags: Type.Array(Type.Object({ id: Type.Integer(), label: Type.String() }), { description: 'Always empty: no member tags here' }),
  allowed_actions: Type.Array(Type.String(), {
    description:
      'What the caller may do to this member: change_user, change_role, restore_role (reactivate as role_before_deactivation), remove, delete, reset_two_factor (ours, for the People page)',
  }),
  role_before_deactivation: Nullable(
    Type.String({ description: 'A deactivated member\'s role before deactivation (AD, MA, RE or AN), which reactivation gives back; null otherwise (ours)' }),
  ),
});

/** `PATCH …/memberships`: Enterprise's role change, the target in the body. */
export const MemberRoleBody = Type.Object({
  user_id: RowId,
  role: Type.String({ maxLength: 2, description: 'AD, MA, RE, AN, NO (pending) or DI (deactivate); any active role reactivates' }),
  user_type: Type.Optional(Type.String({ maxLength: 20, description: 'Accepted and ignored: every member is `standard`' })),
});

/** `POST …/transfer-ownership`. */
export const TransferBody = Type.Object({ user_id: RowId });

/** `PATCH …/set-default-role`: the role invite-link sign-ups get; Enterprise's other fields are accepted and ignored. */
export const DefaultRoleBody = Type.Object(
  { default_role: Type.String({ maxLength: 2, description: 'AD, MA, RE, AN, or NO (sign-ups wait for approval)' }) },
  { additionalProperties: true },
);
export const DefaultRoleSchema = Type.Object({ organization: Type.Integer(), default_role: Type.String() });

export const OrganizationCreateBody = Type.Object({ title: Type.String({ minLength: 1, maxLength: 1000 }) });

export const MemberPageSchema = PageOf(MemberListItemSchema);

/** Membership detail (§6.4) plus our role code. */
export const MemberDetailSchema = Type.Object({
  user: Type.Integer(),
  organization: Type.Integer(),
  contributed_projects_count: Type.Integer(),
  annotations_count: Type.Integer(),
  created_at: DateTime,
  created_projects: ProjectRefs,
  contributed_to_projects: ProjectRefs,
  role: Type.String(),
  allowed_actions: Type.Array(Type.String(), { description: 'What the caller may do to this member (ours)' }),
});

/** Label Studio's un-enveloped body for a member trying to remove themselves. */
export const DetailOnlySchema = Type.Object({ detail: Type.String() });
