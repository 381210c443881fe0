import { Ajv, type Options } from 'ajv';
import addFormatsImport from 'ajv-formats';
import type { FastifyInstance, FastifySchema } from 'fastify';
import { MAX_INTEGER, MAX_ROW_ID, MIN_INTEGER } from '#src/domain/limits.js';
import { AppError } from '#src/errors.js';

interface ParamsSchema {
  properties?: Record<string, { type?: string }>;
}

type AddFormats = (ajv: Ajv) => Ajv;
// ajv-formats is CommonJS: under ESM its function may arrive as the module or wrapped in `default`.
const formatsModule = addFormatsImport as unknown as AddFormats & { default?: AddFormats };
const addFormats: AddFormats = formatsModule.default ?? formatsModule;

const BASE: Options = { removeAdditional: true, useDefaults: true, allErrors: true, strict: false, verbose: true };

/**
 * A copy of a request schema in which every integer is bounded to what the database can hold: one range check, at
 * the edge, for every integer of every path, query and body, whatever its own schema forgot.
 */
export function boundIntegers(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(boundIntegers);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) out[key] = boundIntegers(value);
  const type = out.type;
  if (type === 'integer' || (Array.isArray(type) && type.includes('integer'))) {
    out.minimum = typeof out.minimum === 'number' ? Math.max(out.minimum, MIN_INTEGER) : MIN_INTEGER;
    out.maximum = typeof out.maximum === 'number' ? Math.min(out.maximum, MAX_INTEGER) : MAX_INTEGER;
  }
  return out;
}

/**
 * Request validation with two validators: query strings, params and headers are text and are coerced
 * (`?page=2` → 2); JSON bodies are not, so `{"flag": null}` is refused instead of read as false, as DRF does.
 */
export function installValidators(app: FastifyInstance): void {
  const body = addFormats(new Ajv({ ...BASE, coerceTypes: false }));
  const text = addFormats(new Ajv({ ...BASE, coerceTypes: 'array' }));
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? body : text).compile(boundIntegers(schema) as object));

  app.addHook('preValidation', async (request) => {
    const schema = request.routeOptions.schema as FastifySchema | undefined;
    // Integer path ids that cannot name a row (`abc`, `0`, too large) are 404, as DRF's `<int:pk>` routes answer.
    const params = request.params as Record<string, string | undefined>;
    for (const [name, property] of Object.entries((schema?.params as ParamsSchema | undefined)?.properties ?? {})) {
      if (property.type !== 'integer') continue;
      const raw = params[name] ?? '';
      if (!/^[0-9]{1,10}$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_ROW_ID) throw AppError.notFound();
    }
    // A bodiless POST/PATCH reads as an empty object, as DRF reads it, so missing fields are reported by name.
    const empty = request.body === undefined || request.body === null || request.body === '';
    if (empty && schema?.body && ['POST', 'PATCH', 'PUT'].includes(request.method)) request.body = {};
  });
}
