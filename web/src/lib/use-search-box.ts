import { useEffect, useState } from 'react';
import { useSearchParams } from './router';

/**
 * A search box kept in the URL: what is typed goes to the query parameter `name` after a pause (back to page 1),
 * and the box follows the URL when it changes otherwise (back, forward, a "clear" button).
 */
export function useSearchBox(name: string): [string, (text: string) => void] {
  const [params, setParams] = useSearchParams();
  const value = params.get(name) ?? '';
  const [draft, setDraft] = useState(value);

  useEffect(() => setDraft(value), [value]);
  useEffect(() => {
    if (draft.trim() === value) return;
    const timer = window.setTimeout(() => setParams({ [name]: draft.trim() || null, page: null }, true), 300);
    return () => window.clearTimeout(timer);
  }, [draft, value, name, setParams]);

  return [draft, setDraft];
}
