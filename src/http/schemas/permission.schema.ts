import { Type } from '@sinclair/typebox';
import { RowId } from '#src/http/schemas/common.schema.js';

const Roles = Type.Array(Type.String({ maxLength: 2 }), { maxItems: 10, description: 'Role codes (the owner always holds it)' });
const Catalogue = {
  default: Type.Array(Type.String(), { description: 'The roles holding it when there is no override' }),
  options: Type.Array(Type.String(), { description: 'The roles it may be given' }),
  label: Type.String(),
  group: Type.String(),
  tooltip: Type.String(),
};

/** Enterprise's `ConfigurablePermissionOption`. */
export const PermissionOptionSchema = Type.Object({ permission: Type.String(), ...Catalogue });

/** Enterprise's `OrganizationPermission`: an override, with its key's catalogue data. */
export const PermissionOverrideSchema = Type.Object({
  id: Type.Integer(),
  organization: Type.Integer(),
  permission: Type.String(),
  roles: Type.Array(Type.String()),
  ...Catalogue,
});

export const PermissionParams = Type.Object({ id: RowId, key: Type.String({ maxLength: 64 }) });
export const PermissionCreateBody = Type.Object({ permission: Type.String({ maxLength: 64 }), roles: Type.Optional(Roles) });
export const PermissionUpdateBody = Type.Object({ permission: Type.Optional(Type.String({ maxLength: 64 })), roles: Type.Optional(Roles) });
