/**
 * Bound parameters per multi-row INSERT: under SQLite's limit (32,766) and PostgreSQL's (65,535), and large enough that
 * an import of a million rows needs a few hundred statements, not a million.
 */
const PARAMETERS_PER_STATEMENT = 20_000;

/** Rows split into statements of at most PARAMETERS_PER_STATEMENT parameters (`columns` per row). */
export function chunksOf<T>(rows: readonly T[], columns: number): T[][] {
  const size = Math.max(1, Math.floor(PARAMETERS_PER_STATEMENT / Math.max(1, columns)));
  const out: T[][] = [];
  for (let start = 0; start < rows.length; start += size) out.push(rows.slice(start, start + size));
  return out;
}
