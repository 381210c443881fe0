import { Type, type Static } from '@sinclair/typebox';
import { MAX_ROW_ID } from '#src/domain/limits.js';
import { IdParams, Nullable } from '#src/http/schemas/common.schema.js';
import type { ProfileChanges } from '#src/services/profile.service.js';

/** Label Studio's user object (§6.1). */
export const UserJsonSchema = Type.Object(
  {
    id: Type.Integer(),
    first_name: Type.String(),
    last_name: Type.String(),
    username: Type.String(),
    email: Type.String(),
    last_activity: Nullable(Type.String({ format: 'date-time' })),
    custom_hotkeys: Type.Record(Type.String(), Type.Unknown()),
    avatar: Nullable(Type.String()),
    initials: Type.String(),
    phone: Type.String(),
    active_organization: Nullable(Type.Integer()),
    active_organization_meta: Type.Object({ title: Type.String(), email: Type.String() }),
    allow_newsletters: Nullable(Type.Boolean()),
    date_joined: Nullable(Type.String({ format: 'date-time' })),
  },
  { $id: 'User' },
);

/** Label Studio's user object without a schema id, for embedding in arrays and other responses. */
export const UserObjectSchema = Type.Omit(UserJsonSchema, []);

/** A membership as Label Studio Enterprise's whoami shows it (`organization_membership`, `org_membership[]`). */
export const OrganizationMembershipSchema = Type.Object({
  role: Type.String({ description: 'OW, AD, MA, RE, AN, NO (pending) or DI (deactivated)' }),
  active: Type.Boolean({ description: 'False for pending and deactivated members' }),
  organization_id: Type.Integer(),
});

export const WhoAmISchema = Type.Composite(
  [
    UserObjectSchema,
    Type.Object({
      organization_membership: Nullable(OrganizationMembershipSchema),
      org_membership: Type.Array(OrganizationMembershipSchema),
      permissions: Type.Array(Type.String(), { description: 'The permission keys the caller holds in the active organization' }),
    }),
  ],
  { $id: 'WhoAmIUser' },
);

export const UserListSchema = Type.Array(UserObjectSchema);

/** `{id}` of /api/users/{id}/; ids that cannot exist answer 404 (see http/validator.ts). */
export const UserIdParams = IdParams;

const NAME_MAX = 256;
const ProfileFields = {
  first_name: Type.Optional(Type.String({ maxLength: NAME_MAX })),
  last_name: Type.Optional(Type.String({ maxLength: NAME_MAX })),
  phone: Type.Optional(Type.String({ maxLength: NAME_MAX })),
  allow_newsletters: Type.Optional(Nullable(Type.Boolean())),
  custom_hotkeys: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: '{"section:action": {"key": "ctrl+s", "active": true}}' })),
};

/** POST /api/users/: creates a member of the caller's active organization. */
export const UserCreateBody = Type.Object({
  email: Type.String({ maxLength: 254 }),
  username: Type.String({ minLength: 1, maxLength: NAME_MAX }),
  ...ProfileFields,
  password: Type.Optional(Nullable(Type.String({ description: '8–128 characters; without it the account cannot log in' }))),
  active_organization: Type.Optional(Nullable(Type.Integer({ description: 'Accepted and ignored: new users join the caller’s organization' }))),
  date_joined: Type.Optional(Nullable(Type.String({ description: 'Accepted and ignored' }))),
});

/** PATCH /api/users/{id}/ and /api/current-user. `email` is read-only: sending it saves the rest, then answers 405. */
export const UserPatchBody = Type.Object({
  username: Type.Optional(Type.String({ minLength: 1, maxLength: NAME_MAX })),
  ...ProfileFields,
  active_organization: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_ROW_ID, description: 'An organization where you are a member (your own account only)' })),
  email: Type.Optional(Type.Unknown({ description: 'Read-only: the other fields are saved, then 405' })),
});

export const AvatarSavedSchema = Type.Object({ detail: Type.String() });

/** The service's view of a PATCH body (absent fields stay absent). */
export function profileChangesFrom(body: Static<typeof UserPatchBody> | undefined): ProfileChanges {
  const b = body ?? {};
  return {
    firstName: b.first_name,
    lastName: b.last_name,
    username: b.username,
    phone: b.phone,
    allowNewsletters: b.allow_newsletters,
    customHotkeys: b.custom_hotkeys,
    activeOrganizationId: b.active_organization,
    emailGiven: Object.hasOwn(b, 'email'),
  };
}
