import type { ColumnKind } from '#src/ports/label-studio-source.port.js';

/**
 * Label Studio's stored values, as either database hands them over, read into one form. SQLite stores booleans as
 * 0/1, datetimes as UTC text without a zone (`2021-04-07 10:00:00`, the fraction omitted when zero) and JSON as text;
 * PostgreSQL has booleans, timestamptz (read as text in UTC) and jsonb (read as text).
 */

const DATETIME = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d(?::\d\d)?)(\.\d+)?\s*(Z|[+-]\d\d(?::?\d\d)?)?$/i;

/** A stored datetime as ISO-8601 UTC with milliseconds, or null when it is no datetime. */
export function isoDatetime(value: unknown): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value !== 'string') return null;
  const match = DATETIME.exec(value.trim());
  if (!match) return null;
  const [, date, time, fraction = '', zone] = match;
  const seconds = time && time.length === 5 ? `${time}:00` : time;
  // Milliseconds only: JavaScript dates hold no more, and this product stores what Date.toISOString writes.
  const millis = fraction ? fraction.slice(0, 4).padEnd(4, '0') : '';
  let offset = zone ? zone.toUpperCase() : 'Z';
  if (offset !== 'Z' && !offset.includes(':')) offset = offset.length === 3 ? `${offset}:00` : `${offset.slice(0, 3)}:${offset.slice(3)}`;
  const parsed = new Date(`${date}T${seconds}${millis}${offset}`);
  return Number.isNaN(parsed.getTime()) ? null : parsed.toISOString();
}

function booleanOf(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return Number(value) !== 0;
  if (typeof value === 'string') {
    const word = value.trim().toLowerCase();
    if (['1', 't', 'true', 'yes', 'on'].includes(word)) return true;
    if (['0', 'f', 'false', 'no', 'off', ''].includes(word)) return false;
  }
  return null;
}

function integerOf(value: unknown): number | null {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : typeof value === 'bigint' ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) ? number : null;
}

function realOf(value: unknown): number | null {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : null;
}

function textOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return String(value);
}

function jsonOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  // Text is kept as stored (SQLite: Python's json.dumps output; PostgreSQL: jsonb's own rendering).
  return typeof value === 'string' ? value : JSON.stringify(value);
}

const READERS: Record<ColumnKind, (value: unknown) => string | number | boolean | null> = {
  integer: integerOf,
  real: realOf,
  text: textOf,
  boolean: booleanOf,
  datetime: isoDatetime,
  json: jsonOf,
};

/** A raw driver value read as the column's kind; anything unreadable is null. */
export function readValue(kind: ColumnKind, value: unknown): string | number | boolean | null {
  return value === null || value === undefined ? null : READERS[kind](value);
}
