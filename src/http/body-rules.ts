import type { ValidationErrors } from '#src/errors.js';

/** Deepest nesting of arrays and objects a JSON body may have (task data, annotation results included). */
export const MAX_JSON_DEPTH = 100;

/**
 * The nesting depth of a JSON text, counted without parsing it (brackets inside strings do not count), so a
 * 5,000-level body is refused before anything recursive touches it.
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i += 1; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth += 1;
      if (depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth -= 1;
  }
  return false;
}

export const NUL_MESSAGE = 'Null characters are not allowed.';

/** True when a value, or any string or key inside it, holds U+0000 (PostgreSQL text cannot store it). */
function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(holdsNul);
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).some(([key, inner]) => key.includes('\u0000') || holdsNul(inner));
  }
  return false;
}

/** `{field: [message]}` for every top-level field of a parsed body, query or path that holds a NUL character. */
export function nulProblems(source: unknown): ValidationErrors | undefined {
  if (typeof source !== 'object' || source === null) return holdsNul(source) ? { non_field_errors: [NUL_MESSAGE] } : undefined;
  const problems: ValidationErrors = {};
  for (const [key, value] of Object.entries(source)) {
    if (key.includes('\u0000') || holdsNul(value)) problems[key.includes('\u0000') ? 'non_field_errors' : key] = [NUL_MESSAGE];
  }
  return Object.keys(problems).length > 0 ? problems : undefined;
}

/** DRF's BooleanField words, as form and multipart bodies send booleans. */
const TRUE_WORDS = new Set(['t', 'y', 'yes', 'true', 'on', '1']);
const FALSE_WORDS = new Set(['f', 'n', 'no', 'false', 'off', '0']);
const NULL_WORDS = new Set(['', 'null']);

interface PropertySchema {
  type?: string | string[];
  anyOf?: PropertySchema[];
  nullable?: boolean;
}

function typesOf(schema: PropertySchema): Set<string> {
  const out = new Set<string>();
  const add = (s: PropertySchema): void => {
    if (Array.isArray(s.type)) s.type.forEach((t) => out.add(t));
    else if (s.type) out.add(s.type);
    if (s.nullable) out.add('null');
    s.anyOf?.forEach(add);
  };
  add(schema);
  return out;
}

/** One form value read as the schema's type wants it; anything unreadable is left for validation to refuse. */
function coerceValue(raw: unknown, schema: PropertySchema): unknown {
  const types = typesOf(schema);
  // Repeated fields: the last one counts (Django's QueryDict.get), unless the field is a list.
  const value = Array.isArray(raw) && !types.has('array') ? raw[raw.length - 1] : raw;
  if (typeof value !== 'string' || types.has('string')) return value;
  const word = value.trim().toLowerCase();
  if (types.has('null') && NULL_WORDS.has(word)) return null;
  if (types.has('boolean')) {
    if (TRUE_WORDS.has(word)) return true;
    if (FALSE_WORDS.has(word)) return false;
  }
  if ((types.has('integer') || types.has('number')) && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value.trim());
  return value;
}

/**
 * Form and multipart bodies carry text only: reads each field the body schema declares as the type it declares
 * (DRF's form parsing), so the same validation applies to JSON, form and multipart bodies alike.
 */
export function coerceFormBody(body: Record<string, unknown>, schema: unknown): Record<string, unknown> {
  const properties = (schema as { properties?: Record<string, PropertySchema> } | undefined)?.properties;
  if (!properties) return body;
  const out: Record<string, unknown> = { ...body };
  for (const [key, property] of Object.entries(properties)) {
    if (key in out) out[key] = coerceValue(out[key], property);
  }
  return out;
}
