import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { MAX_ROW_ID } from '#src/domain/limits.js';

/** Label Studio's error envelope, as documented in every route's error responses. */
export const ErrorEnvelope = Type.Object(
  {
    id: Type.String(),
    status_code: Type.Integer(),
    version: Type.String(),
    detail: Type.String(),
    exc_info: Type.Null(),
    validation_errors: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    code: Type.String({ description: 'Stable error code, e.g. `user.email_taken`, `membership.deactivated`, `auth.csrf_failed`' }),
  },
  { $id: 'ErrorEnvelope', additionalProperties: true },
);

/** Standard error responses for a route, each rendered as the envelope. */
export function errorResponses(...codes: number[]): Record<number, TSchema> {
  return Object.fromEntries(codes.map((code) => [code, Type.Ref('ErrorEnvelope')]));
}

/**
 * A nullable field, by OpenAPI 3.0's `nullable` rather than a union with null: in a request a wrong value gets only
 * the inner schema's message (a union would add the noise of every failed branch), and in a response the serializer
 * writes `null` or the value directly, where a union makes it run a validator per field to pick the branch.
 */
export const Nullable = <T extends TSchema>(schema: T) => Type.Unsafe<Static<T> | null>({ ...schema, nullable: true });

/** A database row id: PostgreSQL `integer` bounds (ids outside them answer 404, see http/validator.ts). */
export const RowId = Type.Integer({ minimum: 1, maximum: MAX_ROW_ID });

/** DRF's page object around any item schema: the one page shape. */
export const PageOf = <T extends TSchema>(item: T) =>
  Type.Object({
    count: Type.Integer(),
    next: Nullable(Type.String()),
    previous: Nullable(Type.String()),
    results: Type.Array(item),
  });

/** `page` and `page_size` as DRF reads them (text: invalid sizes fall back to the default). */
export const PageQueryFields = {
  page: Type.Optional(Type.String({ maxLength: 20, description: '1-based page number (or `last`); past the end → 404 "Invalid page."' })),
  page_size: Type.Optional(Type.String({ maxLength: 20, description: 'Items per page; invalid values fall back to the default, large ones to the maximum' })),
};

/** Path parameter `{id}`. */
export const IdParams = Type.Object({ id: RowId });
