/**
 * Hostile `next` values after login: the `Location` must stay a same-site path, as a browser would resolve it,
 * and no value may cause a 5xx. All failures of a database are reported together.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';
import { buildOwner, type TestUser } from '../helpers/factories.js';
import type { HttpClient, HttpResponse } from '../helpers/http-client.js';
import { useTestServer, type TestServer } from '../helpers/test-server.js';

/** `next` as it appears in the query string: percent-encoded tricks as written, literal characters encoded. */
const HOSTILE_NEXT: readonly string[] = [
  '/%09/evil.example',
  '/%5Cevil.example',
  '/%5C%5Cevil.example',
  '//evil.example',
  '%2F%2Fevil.example',
  encodeURIComponent('/\t/evil.example'),
  encodeURIComponent('/\\evil.example'),
  'https://evil.example',
  encodeURIComponent('https://evil.example/'),
  'https:evil.example',
  'javascript:alert(1)',
  '/%2F/evil.example',
  '/%2e%2e//evil.example',
  '/%C4%80',
  '/%EF%BC%8F%EF%BC%8Fevil.example',
  '/%FF',
  '%00',
  '/%00',
  '/%0B',
  '/%0D/evil.example',
  '/%0D%0ALocation:%20http://evil',
  encodeURIComponent(' /x'),
  '',
];

const LEGITIMATE = '/organization/?page=2';
const BROWSER_BASE = 'http://localhost/';
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Why a redirect target is not a same-site path (every reason), or an empty list when it is one. */
function unsafeLocation(location: string): string[] {
  const problems: string[] = [];
  if (!location.startsWith('/') || location.startsWith('//')) problems.push('does not start with a single /');
  if (location.includes('\\')) problems.push('contains a backslash');
  if (CONTROL.test(location)) problems.push('contains a control character');
  // Browsers strip tabs and newlines and read backslashes as slashes: the WHATWG URL parser does the same.
  const resolved = new URL(location, BROWSER_BASE);
  if (resolved.origin !== new URL(BROWSER_BASE).origin) problems.push(`leaves the origin (a browser goes to ${resolved.href})`);
  return problems;
}

/** Failures for one answer: a 5xx, no redirect, or a redirect that leaves the site. */
function judge(label: string, response: HttpResponse): string[] {
  const location = response.headers.get('location');
  const answer = `${response.status}, Location ${JSON.stringify(location)}, body ${JSON.stringify(response.text.slice(0, 120))}`;
  if (response.status >= 500) return [`${label} → ${answer}`];
  if (response.status < 300 || response.status >= 400 || location === null) return [`${label} → expected a redirect, got ${answer}`];
  const problems = unsafeLocation(location);
  return problems.length > 0 ? [`${label} → Location ${problems.join(', ')}: ${answer}`] : [];
}

for (const kind of DATABASE_KINDS) {
  describe(`login redirect with hostile next values [${kind}]`, { skip: skipReason(kind) }, () => {
    const fixture = useTestServer(kind);
    let server: TestServer;
    let owner: TestUser;
    let browser: HttpClient;

    const loginPost = (nextQuery: string): Promise<HttpResponse> =>
      browser.post(`/user/login/?next=${nextQuery}`, {
        form: { email: owner.email, password: owner.password, csrfmiddlewaretoken: browser.cookies.get('csrftoken') ?? '' },
      });

    before(async () => {
      server = fixture.server;
      owner = await buildOwner(server.ctx);
      browser = server.client();
      assert.equal((await browser.login(owner.email, owner.password)).status, 302);
    });

    test('every hostile next stays on the site and never causes a 5xx', async (t) => {
      const failures: string[] = [];
      for (const next of HOSTILE_NEXT) {
        failures.push(...judge(`[${kind}] GET /user/login/?next=${next} (logged in)`, await browser.get(`/user/login/?next=${next}`)));
        failures.push(...judge(`[${kind}] GET /user/signup/?next=${next} (logged in)`, await browser.get(`/user/signup/?next=${next}`)));
        failures.push(...judge(`[${kind}] POST /user/login/?next=${next}`, await loginPost(next)));
      }
      t.diagnostic(`${kind}: ${HOSTILE_NEXT.length * 3} redirects checked`);
      if (failures.length > 0) assert.fail(`${failures.length} unsafe redirects on ${kind}:\n${failures.join('\n')}`);
    });

    test('a legitimate next is kept', async () => {
      const encoded = encodeURIComponent(LEGITIMATE);
      assert.equal((await browser.get(`/user/login/?next=${encoded}`)).headers.get('location'), LEGITIMATE);
      assert.equal((await loginPost(encoded)).headers.get('location'), LEGITIMATE);
    });
  });
}
