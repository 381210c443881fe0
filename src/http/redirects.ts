/** Where people land after login or sign-up when `next` is absent or not acceptable. */
export const AFTER_LOGIN = '/projects/';

const SAME_SITE = 'http://same-site.invalid';

/**
 * The `next` target to follow after login or sign-up: only a path of this site, read as a browser would read it
 * (tabs and newlines dropped, backslashes as slashes, `//host` as another site), and returned percent-encoded so the
 * Location header is plain ASCII. Anything else goes to the projects page.
 */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/')) return AFTER_LOGIN;
  let url: URL;
  try {
    url = new URL(next, `${SAME_SITE}/`);
  } catch {
    return AFTER_LOGIN;
  }
  if (url.origin !== SAME_SITE) return AFTER_LOGIN;
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (!path.startsWith('/') || path.startsWith('//') || /[^\x21-\x7e]/.test(path)) return AFTER_LOGIN;
  return path;
}

export const LOGIN_PATH = '/user/login/';
export const SIGNUP_PATH = '/user/signup/';

/** `path` with the query parameters that have a value (`?next=…&token=…`), or the bare path. */
export function withQuery(path: string, query: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) params.set(k, v);
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}
