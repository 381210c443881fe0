import type { PageWindow } from '#src/domain/pagination.js';

/** DRF's PageNumberPagination page object. */
export interface PageJson<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

/**
 * Rewrites the request's query with `page` set (or removed), keys sorted as DRF's `replace_query_param` does.
 * Links are absolute paths: the Host header is not trusted to build full URLs.
 */
export function pageLink(requestUrl: string, page: number | null): string {
  const url = new URL(requestUrl, 'http://localhost');
  const grouped = new Map<string, string[]>();
  for (const [key, value] of url.searchParams) {
    if (key === 'page') continue;
    const values = grouped.get(key) ?? [];
    values.push(value);
    grouped.set(key, values);
  }
  if (page !== null) grouped.set('page', [String(page)]);
  const query = new URLSearchParams();
  for (const key of [...grouped.keys()].sort()) {
    for (const value of grouped.get(key) ?? []) query.append(key, value);
  }
  const text = query.toString();
  return text ? `${url.pathname}?${text}` : url.pathname;
}

/** The page object for `results`, with next/previous links like DRF (previous of page 2 drops `page`). */
export function presentPage<T>(results: T[], window: PageWindow, requestUrl: string): PageJson<T> {
  const next = window.page < window.numPages ? pageLink(requestUrl, window.page + 1) : null;
  let previous: string | null = null;
  if (window.page > 1) previous = pageLink(requestUrl, window.page - 1 === 1 ? null : window.page - 1);
  return { count: window.count, next, previous, results };
}

/**
 * The same page object as JSON text, streamed: the results are presented and written chunk by chunk as they are read,
 * so a page of 100,000 items never sits in memory whole (nor as one string).
 */
export async function* streamPage<T, R>(chunks: AsyncIterable<T[]>, present: (item: T) => R, window: PageWindow, requestUrl: string): AsyncGenerator<string> {
  const head = JSON.stringify(presentPage([], window, requestUrl));
  // `{"count":…,"next":…,"previous":…,"results":[` then the items, then `]}`.
  yield head.slice(0, -2);
  let first = true;
  for await (const chunk of chunks) {
    if (chunk.length === 0) continue;
    const text = chunk.map((item) => JSON.stringify(present(item))).join(',');
    yield first ? text : `,${text}`;
    first = false;
  }
  yield ']}';
}
