import { Type } from '@sinclair/typebox';
import { Nullable } from '#src/http/schemas/common.schema.js';

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

export const WhoAmISchema = Type.Composite([Type.Omit(UserJsonSchema, []), Type.Object({ permissions: Type.Array(Type.String()) })], {
  $id: 'WhoAmIUser',
});
