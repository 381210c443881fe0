import { Type, type Static, type TSchema } from '@sinclair/typebox';

/** Label Studio's error envelope, as documented in every route's error responses. */
export const ErrorEnvelope = Type.Object(
  {
    id: Type.String(),
    status_code: Type.Integer(),
    version: Type.String(),
    detail: Type.String(),
    exc_info: Type.Null(),
    validation_errors: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { $id: 'ErrorEnvelope', additionalProperties: true },
);

/** Standard error responses for a route, each rendered as the envelope. */
export function errorResponses(...codes: number[]): Record<number, TSchema> {
  return Object.fromEntries(codes.map((code) => [code, Type.Ref('ErrorEnvelope')]));
}

/** Nullable response field. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/**
 * Nullable request field via OpenAPI's `nullable` (which Ajv understands): a `null` passes, and a wrong value gets
 * only the inner schema's message, where a union with null would add the noise of every failed branch.
 */
export const NullableInput = <T extends TSchema>(schema: T) => Type.Unsafe<Static<T> | null>({ ...schema, nullable: true });

/** A database row id: PostgreSQL `integer` bounds (ids outside them answer 404, see http/validator.ts). */
export const RowId = Type.Integer({ minimum: 1, maximum: 2147483647 });

/** Path parameter `{id}`. */
export const IdParams = Type.Object({ id: RowId });
