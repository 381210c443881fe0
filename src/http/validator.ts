import { Ajv, type Options } from 'ajv';
import addFormatsImport from 'ajv-formats';
import type { FastifyInstance, FastifySchema } from 'fastify';
import { AppError } from '#src/errors.js';

/** Largest id a PostgreSQL `integer` column holds: larger ids cannot name a row and must not reach the database. */
export const MAX_ID = 2_147_483_647;

interface ParamsSchema {
  properties?: Record<string, { type?: string }>;
}

type AddFormats = (ajv: Ajv) => Ajv;
// ajv-formats is CommonJS: under ESM its function may arrive as the module or wrapped in `default`.
const formatsModule = addFormatsImport as unknown as AddFormats & { default?: AddFormats };
const addFormats: AddFormats = formatsModule.default ?? formatsModule;

const BASE: Options = { removeAdditional: true, useDefaults: true, allErrors: true, strict: false, verbose: true };

/**
 * Request validation with two validators: query strings, params and headers are text and are coerced
 * (`?page=2` → 2); JSON bodies are not, so `{"flag": null}` is refused instead of read as false, as DRF does.
 */
export function installValidators(app: FastifyInstance): void {
  const body = addFormats(new Ajv({ ...BASE, coerceTypes: false }));
  const text = addFormats(new Ajv({ ...BASE, coerceTypes: 'array' }));
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? body : text).compile(schema as object));

  app.addHook('preValidation', async (request) => {
    const schema = request.routeOptions.schema as FastifySchema | undefined;
    // Integer path ids that cannot name a row (`abc`, `0`, too large) are 404, as DRF's `<int:pk>` routes answer.
    const params = request.params as Record<string, string | undefined>;
    for (const [name, property] of Object.entries((schema?.params as ParamsSchema | undefined)?.properties ?? {})) {
      if (property.type !== 'integer') continue;
      const raw = params[name] ?? '';
      if (!/^[0-9]{1,10}$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_ID) throw AppError.notFound();
    }
    // A bodiless POST/PATCH reads as an empty object, as DRF reads it, so missing fields are reported by name.
    const empty = request.body === undefined || request.body === null || request.body === '';
    if (empty && schema?.body && ['POST', 'PATCH', 'PUT'].includes(request.method)) request.body = {};
  });
}
