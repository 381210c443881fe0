import { useId } from 'react';

export const PAGE_SIZES = [30, 50, 100] as const;

interface PaginationProps {
  page: number;
  pageSize: number;
  count: number;
  noun: string;
  onPage: (page: number) => void;
  onPageSize: (size: number) => void;
}

/** "1–30 of 45 members", page size 30/50/100, previous/next. */
export function Pagination({ page, pageSize, count, noun, onPage, onPageSize }: PaginationProps) {
  const id = useId();
  const pages = Math.max(1, Math.ceil(count / pageSize));
  const first = count === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(count, page * pageSize);
  return (
    <nav className="pagination" aria-label="Pagination">
      <span className="pagination__summary">
        {first}–{last} of {count} {noun}
      </span>
      <span className="pagination__controls">
        <label htmlFor={id} className="pagination__size-label">
          Per page
        </label>
        <select id={id} className="select select--small" value={pageSize} onChange={(e) => onPageSize(Number(e.target.value))}>
          {PAGE_SIZES.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
        <button type="button" className="btn btn--small" onClick={() => onPage(page - 1)} disabled={page <= 1}>
          <span aria-hidden="true">‹</span> Previous
        </button>
        <span className="pagination__page" aria-current="page">
          Page {page} of {pages}
        </span>
        <button type="button" className="btn btn--small" onClick={() => onPage(page + 1)} disabled={page >= pages}>
          Next <span aria-hidden="true">›</span>
        </button>
      </span>
    </nav>
  );
}

/** Reads `page` / `page_size` from the URL, falling back to Label Studio's defaults (1 and 30). */
export function pageParams(search: URLSearchParams): { page: number; pageSize: number } {
  const page = Number.parseInt(search.get('page') ?? '', 10);
  const size = Number.parseInt(search.get('page_size') ?? '', 10);
  return {
    page: Number.isFinite(page) && page > 0 ? page : 1,
    pageSize: (PAGE_SIZES as readonly number[]).includes(size) ? size : PAGE_SIZES[0],
  };
}
