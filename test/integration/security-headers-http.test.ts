import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { browserSkipReason, openBrowser, type BrowserSession } from '../helpers/browser.js';
import { DATABASE_KINDS, skipReason, type DatabaseKind } from '../helpers/databases.js';
import { assertError } from '../helpers/envelope.js';
import { buildMember, buildOwner, type TestUser } from '../helpers/factories.js';
import { tokenAuth, type HttpClient, type HttpResponse } from '../helpers/http-client.js';
import { startObservedServer } from '../helpers/observed-server.js';
import type { ConfigOverrides } from '../helpers/test-context.js';
import { useTestServer, type ServerFixture } from '../helpers/test-server.js';
import { NO_BODY } from '../helpers/tokens.js';
import { WEB_DIST } from '../browser/steps.js';

/** Asserts the anti-framing headers an HTML page must carry. */
function assertNotFrameable(res: HttpResponse, what: string): void {
  assert.match(res.headers.get('content-type') ?? '', /^text\/html/, what);
  assert.equal(res.headers.get('x-frame-options'), 'DENY', what);
  assert.match(res.headers.get('content-security-policy') ?? '', /(^|;)\s*frame-ancestors 'none'\s*(;|$)/, what);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff', what);
}

/** Asserts a successful response that must never be stored by a browser or proxy cache. */
function assertNoStore(res: HttpResponse, status: number, what: string): void {
  assert.equal(res.status, status, `${what}: ${res.text}`);
  assert.match(res.headers.get('cache-control') ?? '', /(^|,)\s*no-store\s*(,|$)/, `${what} must be no-store`);
}

/** The attributes of the named cookie in a response's Set-Cookie headers (undefined when it is not set). */
function setCookie(res: HttpResponse, name: string): string | undefined {
  return res.headers.getSetCookie().find((line) => line.startsWith(`${name}=`));
}

const isSecure = (line: string | undefined): boolean => /;\s*secure\s*(;|$)/i.test(line ?? '');

/** Asserts that the login answer set both cookies, neither of them Secure. */
function assertPlainCookies(login: HttpResponse): void {
  for (const name of ['sessionid', 'csrftoken']) {
    const line = setCookie(login, name);
    assert.ok(line, `${name} is set`);
    assert.equal(isSecure(line), false, `${name} is not Secure: ${line}`);
  }
}

/** Logs in through the form with extra request headers (a proxy's), returning the GET and the POST answers. */
async function loginWith(c: HttpClient, user: TestUser, headers: Record<string, string>): Promise<{ page: HttpResponse; login: HttpResponse }> {
  const page = await c.get('/user/login/', { headers });
  const login = await c.post('/user/login/', {
    headers,
    form: { email: user.email, password: user.password, csrfmiddlewaretoken: c.cookies.get('csrftoken') ?? '' },
  });
  assert.equal(login.status, 302, login.text);
  return { page, login };
}

const HTTPS_PROXY = { 'x-forwarded-proto': 'https' };

/** Starts a test server whose owner logs in from the test (the login-cookie suites share this). */
function ownerOf(fixture: ServerFixture): () => Promise<TestUser> {
  let owner: TestUser | undefined;
  return async () => (owner ??= await buildOwner(fixture.ctx));
}

/** A server that notes the client address the request pipeline settled on (what audit and rate limits would see). */
async function addressRecordingServer(kind: DatabaseKind, overrides: ConfigOverrides) {
  const seen: Array<string | null> = [];
  const server = await startObservedServer(kind, overrides, (app) => {
    app.addHook('onResponse', async (request) => {
      seen.push(request.action.ip);
    });
  });
  return { server, lastAddress: () => seen.at(-1) };
}

for (const kind of DATABASE_KINDS) {
  describe(`security headers [${kind}]`, { skip: skipReason(kind) }, () => {
    const fixture = useTestServer(kind);
    let owner: TestUser;
    let orgId: number;
    const as = () => ({ headers: tokenAuth(owner.token) });

    before(async () => {
      owner = await buildOwner(fixture.ctx);
      orgId = owner.user.active_organization_id ?? 0;
    });

    test('login and sign-up pages (shown, and shown again with errors) cannot be framed', async () => {
      const c = fixture.client();
      assertNotFrameable(await c.get('/user/login/'), 'GET /user/login/');
      assertNotFrameable(await c.get('/user/signup/'), 'GET /user/signup/');
      const failed = await c.post('/user/login/', { form: { email: owner.email, password: 'wrong-password', csrfmiddlewaretoken: c.cookies.get('csrftoken') ?? '' } });
      assert.equal(failed.status, 200);
      assertNotFrameable(failed, 'POST /user/login/ with errors');
      const refused = await c.post('/user/signup/', { form: { email: 'not-an-email', password: 'x', csrfmiddlewaretoken: c.cookies.get('csrftoken') ?? '' } });
      assert.equal(refused.status, 200);
      assertNotFrameable(refused, 'POST /user/signup/ with errors');
    });

    test('the web app pages cannot be framed', async () => {
      const c = fixture.client();
      assert.equal((await c.login(owner.email, owner.password)).status, 302);
      for (const path of ['/projects/', '/user/account/', '/organization/', '/people/']) {
        const res = await c.get(path);
        assert.equal(res.status, 200, path);
        assertNotFrameable(res, path);
      }
    });

    test('every response carrying a legacy token or an invite link is Cache-Control: no-store', async () => {
      const c = fixture.client();
      assertNoStore(await c.get('/api/current-user/token', as()), 200, 'GET /api/current-user/token');
      const reset = await c.post('/api/current-user/reset-token/', { ...as(), ...NO_BODY });
      assertNoStore(reset, 201, 'POST /api/current-user/reset-token/');
      owner.token = (reset.body as { token: string }).token;
      assertNoStore(await c.get('/api/invite', as()), 200, 'GET /api/invite');
      assertNoStore(await c.post('/api/invite/reset-token', { ...as(), ...NO_BODY }), 201, 'POST /api/invite/reset-token');
      const organization = await c.get(`/api/organizations/${orgId}`, as());
      assertNoStore(organization, 200, `GET /api/organizations/${orgId}`);
      assert.equal(typeof (organization.body as { token?: unknown }).token, 'string', 'the owner sees the invite token there');
    });

    test('every response carrying a personal access or access token is Cache-Control: no-store', async () => {
      const member = await buildMember(fixture.ctx, orgId);
      const c = fixture.client();
      const created = await c.post('/api/token/', { headers: tokenAuth(member.token), ...NO_BODY });
      assertNoStore(created, 201, 'POST /api/token/');
      const pat = (created.body as { token: string }).token;
      assertNoStore(await c.get('/api/token/', { headers: tokenAuth(member.token) }), 200, 'GET /api/token/');
      assertNoStore(await c.post('/api/token/refresh/', { json: { refresh: pat } }), 200, 'POST /api/token/refresh/');
      assertNoStore(await c.post('/api/token/rotate/', { headers: tokenAuth(member.token), json: { refresh: pat } }), 200, 'POST /api/token/rotate/');
    });

    test('the CSRF cookie is replaced at login: a token known before it (even one planted in the browser) is worthless after', async () => {
      const member = await buildMember(fixture.ctx, orgId, { firstName: 'Original' });
      const c = fixture.client();
      // A value another site managed to plant before login: the form adopts it, so only rotation makes it stale.
      const planted = 'Planted0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU';
      c.cookies.set('csrftoken', planted);
      const form = await c.get('/user/login/');
      assert.match(form.text, new RegExp(`name="csrfmiddlewaretoken" value="${planted}"`));
      const login = await c.post('/user/login/', { form: { email: member.email, password: member.password, csrfmiddlewaretoken: planted } });
      assert.equal(login.status, 302, login.text);
      const rotated = c.cookies.get('csrftoken');
      assert.ok(setCookie(login, 'csrftoken'), 'the login answer sets a new csrftoken');
      assert.ok(rotated && rotated !== planted, 'a new CSRF token after login');

      const stale = { 'x-csrftoken': planted };
      const patched = await c.patch('/api/current-user', { headers: stale, json: { first_name: 'Forged' } });
      assert.equal(assertError(patched, 403).code, 'auth.csrf_failed');
      const reset = await c.post('/api/current-user/reset-token/', { headers: stale, ...NO_BODY });
      assert.equal(assertError(reset, 403).code, 'auth.csrf_failed');
      assert.equal((await fixture.ctx.repos.users.findById(member.user.id))?.first_name, 'Original');
      assert.equal(await fixture.ctx.services.legacyTokens.userIdForKey(member.token), member.user.id, 'the key was not reset');

      // The new token works with the new session.
      const mine = await c.patch('/api/current-user', { json: { first_name: 'Mine' } });
      assert.equal(mine.status, 200, mine.text);
    });
  });

  describe(`Secure cookies and proxies [${kind}]`, { skip: skipReason(kind) }, () => {
    describe('behind a trusted proxy (127.0.0.1)', () => {
      const fixture = useTestServer(kind, { server: { trustedProxies: ['127.0.0.1'] } });
      const owner = ownerOf(fixture);

      test('a login that reached the proxy over HTTPS gets Secure session and CSRF cookies', async () => {
        const { page, login } = await loginWith(fixture.client(), await owner(), HTTPS_PROXY);
        assert.ok(isSecure(setCookie(page, 'csrftoken')), `form's csrftoken: ${setCookie(page, 'csrftoken')}`);
        assert.ok(isSecure(setCookie(login, 'sessionid')), `sessionid: ${setCookie(login, 'sessionid')}`);
        assert.ok(isSecure(setCookie(login, 'csrftoken')), `csrftoken: ${setCookie(login, 'csrftoken')}`);
      });

      test('a login that reached it over plain HTTP does not', async () => {
        const { login } = await loginWith(fixture.client(), await owner(), { 'x-forwarded-proto': 'http' });
        assertPlainCookies(login);
      });
    });

    describe('with no trusted proxy', () => {
      const fixture = useTestServer(kind);
      const owner = ownerOf(fixture);

      test('X-Forwarded-Proto: https from the client is ignored: no Secure cookies', async () => {
        const { page, login } = await loginWith(fixture.client(), await owner(), HTTPS_PROXY);
        assert.ok(setCookie(page, 'csrftoken'));
        assert.equal(isSecure(setCookie(page, 'csrftoken')), false);
        assertPlainCookies(login);
      });
    });

    describe('with a trusted proxy that is not the client', () => {
      const fixture = useTestServer(kind, { server: { trustedProxies: ['192.0.2.1'] } });
      const owner = ownerOf(fixture);

      test('X-Forwarded-Proto: https from an untrusted address is ignored: no Secure cookies', async () => {
        const { login } = await loginWith(fixture.client(), await owner(), HTTPS_PROXY);
        assertPlainCookies(login);
      });
    });

    describe('with secure cookies configured (SESSION_COOKIE_SECURE)', () => {
      const fixture = useTestServer(kind, { sessions: { secureCookies: true } });
      const owner = ownerOf(fixture);

      test('session and CSRF cookies are Secure even over plain HTTP', async () => {
        const { page, login } = await loginWith(fixture.client(), await owner(), {});
        assert.ok(isSecure(setCookie(page, 'csrftoken')));
        assert.ok(isSecure(setCookie(login, 'sessionid')));
        assert.ok(isSecure(setCookie(login, 'csrftoken')));
      });
    });

    describe('the client address', () => {
      const spoofed = { 'x-forwarded-for': '203.0.113.9' };

      test('X-Forwarded-For from an untrusted client does not change it', async () => {
        for (const trustedProxies of [[], ['192.0.2.1']]) {
          const { server, lastAddress } = await addressRecordingServer(kind, { server: { trustedProxies } });
          try {
            assert.equal((await server.client().get('/user/login/', { headers: spoofed })).status, 200);
            assert.equal(lastAddress(), '127.0.0.1', `trusted proxies ${JSON.stringify(trustedProxies)}`);
          } finally {
            await server.close();
          }
        }
      });

      test('X-Forwarded-For from a trusted proxy does (the check above can see a change)', async () => {
        const { server, lastAddress } = await addressRecordingServer(kind, { server: { trustedProxies: ['127.0.0.1'] } });
        try {
          assert.equal((await server.client().get('/user/login/', { headers: spoofed })).status, 200);
          assert.equal(lastAddress(), '203.0.113.9');
        } finally {
          await server.close();
        }
      });
    });
  });

  describe(`framing in a browser [${kind}]`, { skip: skipReason(kind) || browserSkipReason(WEB_DIST) }, () => {
    let browser: BrowserSession | undefined;
    // Registered before the server's own hook so the browser is gone first: a socket Chromium keeps open would hold the server's close.
    after(async () => browser?.close());
    const fixture = useTestServer(kind);
    before(async () => {
      browser = await openBrowser(fixture.server.baseUrl);
    });

    /** Text the browser shows inside an iframe of `path` on a page of another origin ('' when it refused to show it). */
    const framedText = async (path: string): Promise<string> => {
      assert.ok(browser, 'the browser is open');
      const { page } = browser;
      await page.setContent(`<iframe src="${new URL(path, fixture.server.baseUrl).href}" width="600" height="400"></iframe>`, { waitUntil: 'load' });
      const frame = page.frames().find((f) => f !== page.mainFrame());
      assert.ok(frame, 'the iframe exists');
      return frame.evaluate(() => (globalThis as unknown as { document: { body?: { innerText: string } | null } }).document.body?.innerText ?? '');
    };

    test('Chromium refuses to show the login and sign-up pages inside another site\'s frame', async () => {
      // The control: a response without the headers is shown framed, so an empty frame below means "refused".
      assert.match(await framedText('/health'), /UP/);
      assert.doesNotMatch(await framedText('/user/login/'), /Log in|Password/);
      assert.doesNotMatch(await framedText('/user/signup/'), /Sign Up|Password/);
    });
  });
}
