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
