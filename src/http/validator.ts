import { Ajv, type Options } from 'ajv';
import addFormatsImport from 'ajv-formats';
import type { FastifyInstance, FastifySchema } from 'fastify';

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

  // A bodiless POST/PATCH reads as an empty object, as DRF reads it, so missing fields are reported by name.
  app.addHook('preValidation', async (request) => {
    const schema = request.routeOptions.schema as FastifySchema | undefined;
    if (request.body === undefined && schema?.body && ['POST', 'PATCH', 'PUT'].includes(request.method)) request.body = {};
  });
}
