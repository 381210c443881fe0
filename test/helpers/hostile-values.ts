/**
 * Catalogues of hostile values. Body values are raw JSON text, so literals that JavaScript cannot hold exactly
 * (`99999999999999999999`) reach the server as written; query and path values are already percent-encoded.
 */

/** A raw JSON fragment with a label for failure messages. */
export interface JsonValue {
  label: string;
  json: string;
}

/** A percent-encoded query or path value with a label. */
export interface UrlValue {
  label: string;
  raw: string;
}

/** Depth of the nested-JSON variants: deep enough to blow a recursive walk, small enough to send quickly. */
export const NESTING_DEPTH = 5_000;

export const nestedArray = (depth = NESTING_DEPTH): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;
export const nestedObject = (depth = NESTING_DEPTH): string => `${'{"a":'.repeat(depth)}{}${'}'.repeat(depth)}`;

/** Out-of-range and edge numbers: past int32, past int64/double precision, past double, negative, zero. */
export const NUMBER_LITERALS: readonly string[] = [
  '1e308',
  '-1e308',
  '2147483648',
  '-2147483649',
  '99999999999999999999',
  '9007199254740993',
  '-1',
  '0',
  '1.5',
  '-0',
];

/** JSON values of every type, sent where the schema wants another one. */
export const WRONG_TYPES: readonly JsonValue[] = [
  { label: 'string "1"', json: '"1"' },
  { label: 'true', json: 'true' },
  { label: 'false', json: 'false' },
  { label: 'null', json: 'null' },
  { label: 'empty array', json: '[]' },
  { label: 'empty object', json: '{}' },
  { label: 'array [1]', json: '[1]' },
  { label: 'operator object {"$ne":null}', json: '{"$ne":null}' },
];

/** The JSON type of a raw fragment, by its first character (enough for the catalogues above). */
export function jsonTypeOf(json: string): 'string' | 'number' | 'boolean' | 'null' | 'array' | 'object' {
  const first = json.trimStart()[0];
  if (first === '"') return 'string';
  if (first === '[') return 'array';
  if (first === '{') return 'object';
  if (first === 't' || first === 'f') return 'boolean';
  if (first === 'n') return 'null';
  return 'number';
}

const str = (value: string): string => JSON.stringify(value);
const middle = (value: string, insert: string): string => {
  const at = Math.floor(value.length / 2);
  return value.slice(0, at) + insert + value.slice(at);
};

/**
 * Strings built around a valid example, so the hostile part travels as far as the database: NUL, zero-width space,
 * right-to-left override, byte-order mark, a lone surrogate, 4-byte UTF-8, blanks, and lengths past every limit.
 */
export function hostileStrings(example: string): JsonValue[] {
  return [
    { label: 'NUL at the end', json: str(`${example}\u0000`) },
    { label: 'NUL alone', json: str('\u0000') },
    { label: 'NUL in the middle', json: str(middle(example, '\u0000')) },
    { label: 'zero-width space U+200B inside', json: str(middle(example, '\u200b')) },
    { label: 'right-to-left override U+202E', json: str(`\u202e${example}`) },
    { label: 'byte-order mark U+FEFF', json: str(`\ufeff${example}`) },
    { label: 'lone surrogate \\ud800', json: `${str(example).slice(0, -1)}\\ud800"` },
    { label: '4-byte UTF-8 (emoji)', json: str(`${example}\u{1f600}`) },
    { label: 'empty string', json: '""' },
    { label: 'blanks only', json: str(' \t ') },
    { label: 'example + 300 chars', json: str(example + 'x'.repeat(300)) },
    { label: '1,001 chars', json: str('x'.repeat(1_001)) },
    { label: '100,000 chars', json: str('y'.repeat(100_000)) },
  ];
}

/** Strings standing in for the whole string family where the schema does not take strings. */
export const STRING_REPRESENTATIVES: readonly JsonValue[] = [
  { label: 'string "abc"', json: '"abc"' },
  { label: 'string with NUL', json: str('a\u0000b') },
];

/** Query values: numbers past every range, NUL and invisible characters, broken percent-encoding, long text. */
export const QUERY_VALUES: readonly UrlValue[] = [
  { label: '99999999999999999999', raw: '99999999999999999999' },
  { label: '2147483648', raw: '2147483648' },
  { label: '-2147483649', raw: '-2147483649' },
  { label: '1e308', raw: '1e308' },
  { label: '-1', raw: '-1' },
  { label: '0', raw: '0' },
  { label: 'abc', raw: 'abc' },
  { label: 'empty', raw: '' },
  { label: '%00', raw: '%00' },
  { label: '1%00', raw: '1%00' },
  { label: 'U+200B', raw: '%E2%80%8B' },
  { label: 'U+202E then 1', raw: '%E2%80%AE1' },
  { label: 'U+FEFF then 1', raw: '%EF%BB%BF1' },
  { label: 'broken escape %ZZ', raw: '%ZZ' },
  { label: 'overlong UTF-8 %C0%80', raw: '%C0%80' },
  { label: 'invalid UTF-8 %FF', raw: '%FF' },
  { label: 'encoded surrogate %ED%A0%80', raw: '%ED%A0%80' },
  { label: 'quote and backslash', raw: "%27%22%5C" },
  { label: '8,000 chars', raw: 'q'.repeat(8_000) },
];

/** Path values for an id: NUL, zero, negative, past int32 and int64, not a number, encoded slash and spaces. */
export const PATH_VALUES: readonly UrlValue[] = [
  { label: '%00', raw: '%00' },
  { label: '0', raw: '0' },
  { label: '-1', raw: '-1' },
  { label: '99999999999999999999', raw: '99999999999999999999' },
  { label: '2147483648', raw: '2147483648' },
  { label: 'abc', raw: 'abc' },
  { label: '1%00', raw: '1%00' },
  { label: 'U+200B then 1', raw: '%E2%80%8B1' },
  { label: '1.0', raw: '1.0' },
  { label: '1e3', raw: '1e3' },
  { label: 'encoded slash', raw: '1%2F1' },
  { label: 'encoded space', raw: '%201' },
  { label: 'invalid UTF-8 %FF', raw: '%FF' },
];
