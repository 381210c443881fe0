import type { FastifyInstance, FastifyRequest, FastifySchemaValidationError } from 'fastify';
import { AppError } from '#src/errors.js';
import { toValidationErrors } from '#src/http/validation-errors.js';

/** Largest id a PostgreSQL `integer` column holds; bigger ids cannot exist and must not reach the database. */
const MAX_ID = 2_147_483_647;

interface JsonSchemaLike {
  type?: string | string[];
  anyOf?: JsonSchemaLike[];
  properties?: Record<string, JsonSchemaLike>;
}

function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** The JSON types a property schema allows, or undefined when it does not say (any type). */
function allowedTypes(schema: JsonSchemaLike): string[] | undefined {
  if (schema.type !== undefined) return Array.isArray(schema.type) ? schema.type : [schema.type];
  if (!schema.anyOf) return undefined;
  const types: string[] = [];
  for (const branch of schema.anyOf) {
    const inner = allowedTypes(branch);
    if (!inner) return undefined;
    types.push(...inner);
  }
  return types;
}

function accepts(types: string[], actual: string): boolean {
  return types.includes(actual) || (actual === 'integer' && types.includes('number'));
}

/** Type mismatches of the body's top-level fields, reported like schema errors. */
function typeErrors(schema: JsonSchemaLike | undefined, body: unknown): FastifySchemaValidationError[] {
  if (!schema?.properties || typeof body !== 'object' || body === null || Array.isArray(body)) return [];
  const errors: FastifySchemaValidationError[] = [];
  for (const [field, value] of Object.entries(body)) {
    const property = schema.properties[field];
    const types = property ? allowedTypes(property) : undefined;
    if (!types || accepts(types, jsonTypeOf(value))) continue;
    const expected = types.find((t) => t !== 'null') ?? 'null';
    const message = value === null ? 'This field may not be null.' : `must be ${expected}`;
    errors.push({ keyword: value === null ? 'null' : 'type', instancePath: `/${field}`, schemaPath: '', params: { type: expected }, message });
  }
  return errors;
}

/**
 * Fastify's validator coerces JSON bodies (`"first_name": 5` becomes `"5"`, `"true"` becomes `true`); DRF rejects
 * wrong types. Registered in a route plugin, this checks the raw body against the declared types first, reads a
 * missing body as `{}`, and answers 404 for integer path ids that cannot name a row (as DRF does), so they never
 * reach the database.
 */
export function useStrictJsonTypes(app: FastifyInstance): void {
  app.addHook('preValidation', async (request: FastifyRequest) => {
    const schema = request.routeOptions.schema;
    const params = request.params as Record<string, string> | undefined;
    const paramSchema = schema?.params as JsonSchemaLike | undefined;
    for (const [name, property] of Object.entries(paramSchema?.properties ?? {})) {
      if (!allowedTypes(property)?.includes('integer')) continue;
      const raw = params?.[name] ?? '';
      if (!/^[0-9]{1,10}$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_ID) throw AppError.notFound();
    }
    // A body-less PATCH or POST is an empty object, as DRF's request.data is, not a schema failure.
    const empty = request.body === undefined || request.body === null || request.body === '';
    if (empty && (schema?.body as JsonSchemaLike | undefined)?.type === 'object') request.body = {};
    if (request.headers['content-type']?.includes('json')) {
      const errors = typeErrors(schema?.body as JsonSchemaLike | undefined, request.body);
      if (errors.length > 0) throw AppError.validation(toValidationErrors(errors));
    }
  });
}
