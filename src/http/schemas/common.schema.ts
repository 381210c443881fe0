import { Type, type TSchema } from '@sinclair/typebox';

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

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** Path parameter `{id}` as a positive integer. */
export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
