import type { Static } from '@sinclair/typebox';
import { parseBooleanParam } from '#src/domain/pagination.js';
import { AppError } from '#src/errors.js';
import type { MemberListQuery } from '#src/http/schemas/organization.schema.js';
import type { MemberFilter } from '#src/repositories/membership.repository.js';
import type { RoleCode } from '#src/storage/schema.js';
import { parseInstant } from '#src/http/query-values.js';

const ROLE_CODES: readonly RoleCode[] = ['OW', 'AD', 'MA', 'RE', 'AN', 'NO', 'DI'];

/** `role=MA,AN` as the SDK sends a list; every code must be a role. */
function parseRoles(raw: string | undefined): RoleCode[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const codes = raw.split(',').map((code) => code.trim().toUpperCase());
  const unknown = codes.filter((code) => !(ROLE_CODES as readonly string[]).includes(code));
  if (unknown.length > 0) throw AppError.validation({ role: [`Unknown role ${unknown.join(', ')}. Use ${ROLE_CODES.join(', ')}.`] });
  return codes as RoleCode[];
}

/**
 * The member list's filters as the official SDK sends them. Member tags and seat types do not exist here: any tag
 * matches nobody, and every member is a `standard` seat.
 */
export function memberFilterFrom(query: Static<typeof MemberListQuery>): MemberFilter {
  const userTypes = query.user_type?.split(',').map((type) => type.trim()).filter(Boolean);
  const nobody = (query.tags !== undefined && query.tags.trim() !== '') || (userTypes !== undefined && userTypes.length > 0 && !userTypes.includes('standard'));
  return {
    search: query.search,
    roles: parseRoles(query.role),
    deleted: parseBooleanParam(query.is_deleted, 'is_deleted'),
    lastActivityFrom: parseInstant(query.user__last_activity__gte, 'user__last_activity__gte'),
    lastActivityTo: parseInstant(query.user__last_activity__lte, 'user__last_activity__lte'),
    ...(nobody ? { userIds: [] } : {}),
  };
}
