import { AppError } from '#src/errors.js';

/** DRF's message for a page number that is not a number, below 1, or past the last page. */
export const INVALID_PAGE_MESSAGE = 'Invalid page.';

/** What the client asked for: a 1-based page (or DRF's `last`) and a page size. */
export interface PageRequest {
  page: number | 'last';
  pageSize: number;
}

/** The page actually served, once the total is known. */
export interface PageWindow {
  page: number;
  pageSize: number;
  offset: number;
  count: number;
  numPages: number;
}

export interface PageSizeRules {
  defaultSize: number;
  /** Upper bound for `page_size` (DRF's max_page_size); larger values are cut down to it. */
  maxSize?: number;
  /** Size served for `page_size=-1` (Label Studio's "all members" on the memberships list). */
  unlimitedSize?: number;
}

const INTEGER = /^\s*[+-]?\d+\s*$/;

/** Reads `page`: absent or empty → 1; `last` → the last page; anything that is not a whole number → 404. */
export function parsePageNumber(raw: string | undefined): number | 'last' {
  if (raw === undefined || raw === '') return 1;
  if (raw === 'last') return 'last';
  if (!INTEGER.test(raw)) throw new AppError('page.invalid', INVALID_PAGE_MESSAGE);
  const page = Number.parseInt(raw, 10);
  // Pages count from 1: anything below names no page (and must never become a negative OFFSET).
  if (page < 1) throw new AppError('page.invalid', INVALID_PAGE_MESSAGE);
  return page;
}

/** Reads `page_size` as DRF does: a positive whole number (capped), else silently the default. */
export function parsePageSize(raw: string | undefined, rules: PageSizeRules): number {
  if (raw === undefined) return rules.defaultSize;
  if (rules.unlimitedSize !== undefined && raw === '-1') return rules.unlimitedSize;
  if (!INTEGER.test(raw)) return rules.defaultSize;
  const size = Number.parseInt(raw, 10);
  if (size <= 0) return rules.defaultSize;
  return rules.maxSize === undefined ? size : Math.min(size, rules.maxSize);
}

/** Reads both query parameters. */
export function parsePageRequest(query: { page?: string; page_size?: string }, rules: PageSizeRules): PageRequest {
  return { page: parsePageNumber(query.page), pageSize: parsePageSize(query.page_size, rules) };
}

/**
 * Places the request on a list of `count` items. Page 1 of an empty list is fine; any other page outside the list
 * answers 404 `Invalid page.` like Django's paginator — or, with `pastEnd: 'empty'`, a page past the end is served
 * empty (what the SDK's member pager needs to stop).
 */
export function resolvePage(count: number, request: PageRequest, pastEnd: 'error' | 'empty' = 'error'): PageWindow {
  const numPages = count === 0 ? 1 : Math.ceil(count / request.pageSize);
  const page = request.page === 'last' ? numPages : request.page;
  if (page < 1 || (page > numPages && pastEnd === 'error')) throw new AppError('page.invalid', INVALID_PAGE_MESSAGE);
  return { page, pageSize: request.pageSize, offset: (page - 1) * request.pageSize, count, numPages };
}

/** Parses Label Studio's boolean query words (1/0, true/false, yes/no); `undefined` when absent. */
export function parseBooleanParam(raw: string | undefined, field: string): boolean | undefined {
  if (raw === undefined) return undefined;
  const word = raw.trim().toLowerCase();
  if (word === '1' || word === 'true' || word === 'yes') return true;
  if (word === '0' || word === 'false' || word === 'no') return false;
  throw AppError.validation({ [field]: ['Must be a valid boolean.'] });
}
