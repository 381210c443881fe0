/** Request bodies for the hostile suite: valid bases from the schema, property variants, and whole-body attacks. */
import { schemaFacts, type SchemaFacts } from './openapi-operations.js';
import {
  hostileStrings,
  jsonTypeOf,
  nestedArray,
  nestedObject,
  NUMBER_LITERALS,
  STRING_REPRESENTATIVES,
  WRONG_TYPES,
  type JsonValue,
} from './hostile-values.js';

/** A body as sent: bytes or text, its headers, and whether to stream it without a length. */
export interface BodyVariant {
  label: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  chunked?: boolean;
}

/**
 * Keys Label Studio's task import reads though the document cannot declare them (`{"data": …, "meta": …}` or a
 * bare object taken as the data): open objects with no declared properties get these as their properties.
 */
const PROBE_KEYS = ['data', 'meta', 'text'];

let serial = 0;
/** Valid examples for property names whose rules a generic value would fail (e-mail syntax, unique names). */
const EXAMPLES: Readonly<Record<string, () => unknown>> = {
  email: () => `hostile-${(serial += 1)}@example.com`,
  username: () => `hostile-${(serial += 1)}`,
  password: () => 'Hostile-passw0rd',
  title: () => `Hostile ${(serial += 1)}`,
  contact_info: () => 'hostile@example.com',
  refresh: () => 'e30.e30.not-a-signature',
  label_config: () => '<View></View>',
  date_joined: () => '2024-01-01T00:00:00Z',
  phone: () => '+1 555 0100',
  data: () => ({ text: 'hostile' }),
  meta: () => ({}),
  result: () => [],
  custom_hotkeys: () => ({}),
};

/** A valid value for one property: the example for its name, else the simplest value of its type. */
export function exampleValue(name: string, schema: SchemaFacts): unknown {
  const make = EXAMPLES[name];
  if (make) return make();
  if (schema.types.has('string')) return 'hostile';
  if (schema.types.has('object')) return {};
  if (schema.types.has('array')) return [];
  if (schema.types.has('number')) return 1;
  return true;
}

const JSON_CT = { 'content-type': 'application/json' };
const NESTING_LABEL = '5,000 nested';
const TOP_LEVEL_TYPES: readonly JsonValue[] = [
  { label: 'array', json: '[]' },
  { label: 'array of null', json: '[null]' },
  { label: 'string', json: '"string"' },
  { label: 'number', json: '42' },
  { label: 'number 1e308', json: '1e308' },
  { label: 'null', json: 'null' },
  { label: 'true', json: 'true' },
];

const XML_BODY = '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>';

/** The object's properties to attack: declared ones, or the probe keys for an open object that declares none. */
export function attackedProperties(schema: SchemaFacts): [string, SchemaFacts][] {
  const declared = [...schema.properties];
  if (declared.length > 0 || !schema.open) return declared;
  return PROBE_KEYS.map((key) => [key, schemaFacts(undefined)]);
}

/** The object schema whose properties a body carries: the body itself, or the items of an array body. */
export function objectSchemaOf(body: SchemaFacts): SchemaFacts | undefined {
  if (body.types.has('object') && !(body.types.has('array') && body.items)) return body;
  return body.items?.types.has('object') ? body.items : undefined;
}

const renderObject = (entries: ReadonlyMap<string, string>): string =>
  `{${[...entries].map(([key, json]) => `${JSON.stringify(key)}:${json}`).join(',')}}`;

/** The body with its required properties filled (and `overrides` on top), as raw JSON text. */
export function validBody(body: SchemaFacts | undefined, overrides: ReadonlyMap<string, string> = new Map()): string {
  if (!body) return '{}';
  const target = objectSchemaOf(body);
  const entries = new Map<string, string>();
  if (target) for (const name of target.required) entries.set(name, JSON.stringify(exampleValue(name, target.properties.get(name) ?? target)));
  for (const [name, json] of overrides) entries.set(name, json);
  const object = renderObject(entries);
  return target && target !== body ? `[${object}]` : object;
}

/**
 * Form fields a browser form could post for this body: its properties declared as strings, with valid examples (or
 * the `fixed` raw JSON string values). Untyped ones are left out: `email` on the profile PATCH is one, refused with
 * a 405 after the rest is saved.
 */
export function formFields(body: SchemaFacts | undefined, fixed: ReadonlyMap<string, string> = new Map()): Record<string, string> {
  const target = body ? objectSchemaOf(body) : undefined;
  const fields: Record<string, string> = {};
  for (const [name, schema] of target?.properties ?? []) {
    if (schema.untyped || !schema.types.has('string')) continue;
    const given = fixed.get(name);
    const value: unknown = given === undefined ? exampleValue(name, schema) : JSON.parse(given);
    if (typeof value === 'string') fields[name] = value;
  }
  return Object.keys(fields).length > 0 ? fields : { hostile: '1' };
}

/** Hostile values for one property: wrong types, out-of-range numbers, hostile strings, deep nesting. */
export function propertyValues(name: string, schema: SchemaFacts): JsonValue[] {
  const example = exampleValue(name, schema);
  const accepts = (json: string): boolean => schema.types.has(jsonTypeOf(json));
  const values: JsonValue[] = [];
  if (schema.types.has('string')) values.push(...hostileStrings(typeof example === 'string' ? example : 'hostile'));
  else values.push(...STRING_REPRESENTATIVES);
  values.push(...NUMBER_LITERALS.map((json) => ({ label: `number ${json}`, json })));
  // Values of an accepted type are not wrong types (and `false` for a setting would switch it off).
  values.push(...WRONG_TYPES.filter((value) => !accepts(value.json)));
  values.push({ label: `${NESTING_LABEL} arrays`, json: nestedArray() }, { label: `${NESTING_LABEL} objects`, json: nestedObject() });
  if (schema.types.has('array')) values.push({ label: `${NESTING_LABEL} objects inside an array item`, json: `[{"value":${nestedObject()}}]` });
  if (schema.types.has('object')) values.push({ label: `${NESTING_LABEL} arrays inside a key`, json: `{"value":${nestedArray()}}` });
  return values;
}

let hugeBodies: { over2MiB: Uint8Array; over64MiB: Uint8Array } | undefined;
/** Bodies past the default limit (2 MiB) and past any route's own (the import takes 50 MiB), built once. */
function huge(): { over2MiB: Uint8Array; over64MiB: Uint8Array } {
  const make = (size: number): Uint8Array => {
    const bytes = Buffer.alloc(size, 0x61);
    bytes.write('{"x":"', 0);
    bytes.write('"}', size - 2);
    return bytes;
  };
  hugeBodies ??= { over2MiB: make(2 * 1024 * 1024 + 1024), over64MiB: make(64 * 1024 * 1024 + 1024) };
  return hugeBodies;
}

/**
 * Whole-body attacks: malformed and truncated JSON, wrong top-level types, huge and deep bodies, odd types. `fixed`:
 * raw JSON values the valid base carries (the fixture's ids and examples).
 */
export function bodyVariants(body: SchemaFacts | undefined, fixed: ReadonlyMap<string, string> = new Map()): BodyVariant[] {
  const base = validBody(body, fixed);
  const json = (label: string, text: string | Uint8Array): BodyVariant => ({ label, headers: JSON_CT, body: text });
  const topLevel = body?.types.has('array') && !body.types.has('object') ? [{ label: 'object instead of array', json: '{}' }] : [];
  const raw = (text: string): Uint8Array => Buffer.from(text, 'latin1');
  return [
    json('malformed: lone {', '{'),
    json('malformed: key without value', '{"a":'),
    json('malformed: lone [', '['),
    json('malformed: trailing comma', '{"a":1,}'),
    json('malformed: single quotes', "{'a':1}"),
    json('malformed: bare word', 'nul'),
    json('malformed: trailing garbage', `${base}x`),
    json('truncated valid body', base.slice(0, Math.max(1, Math.floor(base.length / 2)))),
    json('empty body', ''),
    json('byte-order mark before JSON', `\ufeff${base}`),
    json('raw NUL byte inside a string', raw('{"a":"\u0000"}')),
    json('invalid UTF-8 inside a string', raw('{"a":"\xff\xfe"}')),
    json('__proto__ key', '{"__proto__":{"polluted":true}}'),
    json('constructor.prototype key', '{"constructor":{"prototype":{"polluted":true}}}'),
    json('duplicate keys', '{"a":1,"a":{"b":2}}'),
    ...[...topLevel, ...TOP_LEVEL_TYPES].map((value) => json(`top-level ${value.label}`, value.json)),
    json(`top-level ${NESTING_LABEL} arrays`, nestedArray()),
    json(`top-level ${NESTING_LABEL} objects`, nestedObject()),
    json('huge body: 2 MiB + 1 KiB', huge().over2MiB),
    { label: 'huge body: 2 MiB + 1 KiB, chunked', headers: JSON_CT, body: huge().over2MiB, chunked: true },
    json('huge body: 64 MiB + 1 KiB', huge().over64MiB),
    { label: 'content type text/plain', headers: { 'content-type': 'text/plain' }, body: base },
    { label: 'content type text/html', headers: { 'content-type': 'text/html' }, body: base },
    { label: 'content type application/xml', headers: { 'content-type': 'application/xml' }, body: XML_BODY },
    { label: 'no content type with a body', headers: {}, body: Buffer.from(base) },
    { label: 'application/json; charset=latin1', headers: { 'content-type': 'application/json; charset=latin1' }, body: raw(base) },
    { label: 'application/json; charset=utf-16', headers: { 'content-type': 'application/json; charset=utf-16' }, body: base },
    { label: 'application/json-patch+json', headers: { 'content-type': 'application/json-patch+json' }, body: base },
    { label: 'content type */*', headers: { 'content-type': '*/*' }, body: base },
    { label: 'JSON declared gzip-encoded but plain', headers: { ...JSON_CT, 'content-encoding': 'gzip' }, body: base },
    {
      label: 'form body with NUL and nested keys',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=%00&b=%E2%80%8B&c[d]=1&__proto__[x]=1',
    },
    {
      label: 'form body with valid fields',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(formFields(body, fixed)).toString(),
    },
  ];
}
