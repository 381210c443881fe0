import { AppError } from '#src/errors.js';

/** An ISO 8601 time with a zone (Z or an offset, as the SDK sends it), as the stored UTC form. */
export function parseInstant(raw: string | undefined, field: string, endOfDay = false): string | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  // An unencoded `+` of an offset arrives as a space; offsets may come without their colon.
  const text = raw.trim().replace(/ (\d{2}:?\d{2})$/, '+$1').replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const time = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(time)) throw AppError.validation({ [field]: ['Datetime has wrong format. Use ISO 8601, e.g. 2026-01-02T03:04:05Z.'] });
  // A bare date as an upper bound means that whole day.
  const wholeDay = endOfDay && /^\d{4}-\d{2}-\d{2}$/.test(text);
  return new Date(wholeDay ? time + 86_399_999 : time).toISOString();
}
