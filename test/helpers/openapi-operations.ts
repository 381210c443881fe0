/** Reads the operations of an OpenAPI 3 document into the few facts the hostile-request generator needs. */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** The subset of JSON Schema that the generator looks at. */
export interface SchemaFacts {
  types: ReadonlySet<string>;
  /** True when the schema names no type (it then takes every type). */
  untyped: boolean;
  properties: ReadonlyMap<string, SchemaFacts>;
  required: readonly string[];
  items?: SchemaFacts;
  /** True when the object takes keys it does not declare. */
  open: boolean;
}

export interface ParameterFacts {
  name: string;
  required: boolean;
  schema: SchemaFacts;
}

export interface Operation {
  method: HttpMethod;
  /** The path template as the document writes it, e.g. `/api/users/{id}/`. */
  path: string;
  /** `METHOD /path/template`: names the operation in messages. */
  key: string;
  pathParams: ParameterFacts[];
  queryParams: ParameterFacts[];
  /** The JSON body schema, when the operation declares one. */
  body?: SchemaFacts;
}

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

const ANY_TYPES = ['string', 'number', 'integer', 'boolean', 'null', 'array', 'object'];

/** Flattens type, nullable and anyOf/oneOf into one set of accepted types; an untyped schema takes them all. */
export function schemaFacts(raw: unknown): SchemaFacts {
  const schema = isRecord(raw) ? raw : {};
  const types = new Set<string>();
  const declared = schema.type;
  if (typeof declared === 'string') types.add(declared);
  if (Array.isArray(declared)) for (const t of declared) if (typeof t === 'string') types.add(t);
  if (schema.nullable === true) types.add('null');
  const properties = new Map<string, SchemaFacts>();
  const required: string[] = Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : [];
  let items: SchemaFacts | undefined;
  for (const key of ['anyOf', 'oneOf']) {
    const variants = schema[key];
    if (!Array.isArray(variants)) continue;
    for (const variant of variants) {
      const facts = schemaFacts(variant);
      for (const t of facts.types) types.add(t);
      for (const [name, prop] of facts.properties) properties.set(name, prop);
      items ??= facts.items;
    }
  }
  if (isRecord(schema.properties)) for (const [name, prop] of Object.entries(schema.properties)) properties.set(name, schemaFacts(prop));
  if (schema.items !== undefined) items = schemaFacts(schema.items);
  const untyped = types.size === 0;
  if (untyped) for (const t of ANY_TYPES) types.add(t);
  if (types.has('integer')) types.add('number');
  const open = schema.additionalProperties !== false && (schema.additionalProperties !== undefined || properties.size === 0);
  return { types, untyped, properties, required, items, open };
}

function parametersOf(operation: Json, location: 'path' | 'query'): ParameterFacts[] {
  const list = Array.isArray(operation.parameters) ? operation.parameters : [];
  return list
    .filter((p): p is Json => isRecord(p) && p.in === location && typeof p.name === 'string')
    .map((p) => ({ name: String(p.name), required: p.required === true, schema: schemaFacts(p.schema) }));
}

function jsonBodyOf(operation: Json): SchemaFacts | undefined {
  const body = operation.requestBody;
  if (!isRecord(body) || !isRecord(body.content)) return undefined;
  const json = body.content['application/json'];
  return isRecord(json) ? schemaFacts(json.schema) : undefined;
}

/** Every operation (path × method) of the document, in document order. */
export function readOperations(document: unknown): Operation[] {
  if (!isRecord(document) || !isRecord(document.paths)) throw new Error('not an OpenAPI document: no paths');
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    if (!isRecord(item)) continue;
    for (const method of METHODS) {
      const operation = item[method.toLowerCase()];
      if (!isRecord(operation)) continue;
      operations.push({
        method,
        path,
        key: `${method} ${path}`,
        pathParams: parametersOf(operation, 'path'),
        queryParams: parametersOf(operation, 'query'),
        body: jsonBodyOf(operation),
      });
    }
  }
  return operations;
}
