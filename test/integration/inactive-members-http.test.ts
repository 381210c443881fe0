import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RoleCode } from '#src/storage/schema.js';
import { browserSkipReason, openBrowser, type BrowserSession } from '../helpers/browser.js';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';
import { assertError } from '../helpers/envelope.js';
import { buildMember, buildOwner, removeMember, setRole, type TestUser } from '../helpers/factories.js';
import { bearerAuth, tokenAuth, type HttpClient, type HttpResponse } from '../helpers/http-client.js';
import { solidPng } from '../helpers/png.js';
import { useTestServer, type TestServer } from '../helpers/test-server.js';
import { NO_BODY } from '../helpers/tokens.js';
import { WEB_DIST } from '../browser/steps.js';

/** How each kind of lost access must be named: the code, and words of the detail that say why. */
const REFUSALS = [
  { role: 'DI', code: 'membership.deactivated', says: /deactivated/i },
  { role: 'NO', code: 'membership.pending', says: /waiting for an administrator to activate/i },
] as const satisfies ReadonlyArray<{ role: RoleCode; code: string; says: RegExp }>;

/** Everything a member can hold before losing access: a web session, a legacy key, a PAT and an access token. */
interface Holdings {
  member: TestUser;
  session: HttpClient;
  pat: string;
  access: string;
}

/** Asserts a 403 envelope with the membership code and a detail that says why. */
function assertRefused(res: HttpResponse, code: string, says: RegExp, what: string): void {
  const env = assertError(res, 403);
  assert.equal(env.code, code, `${what}: ${res.text}`);
  assert.match(env.detail, says, what);
}

/** Asserts the "Access suspended" page: 403 HTML with the reason and a way to log out. */
function assertSuspendedPage(res: HttpResponse, says: RegExp, path: string): void {
  assert.equal(res.status, 403, `${path}: ${res.text.slice(0, 300)}`);
  assert.match(res.headers.get('content-type') ?? '', /^text\/html/, path);
  assert.match(res.text, /Access suspended/, path);
  assert.match(res.text, says, path);
  assert.match(res.text, /<a [^>]*href="\/logout"/, `${path}: a logout link`);
  assert.doesNotMatch(res.text, /<div id="root">/, `${path}: not the app`);
}

for (const kind of DATABASE_KINDS) {
  describe(`deactivated, pending and removed members over HTTP [${kind}]`, { skip: skipReason(kind) }, () => {
    const fixture = useTestServer(kind);
    let server: TestServer;
    let owner: TestUser;
    let orgId: number;

    /** A member who holds every kind of credential, each shown to work before access is taken away. */
    const holdEverything = async (email: string): Promise<Holdings> => {
      const member = await buildMember(server.ctx, orgId, { email, firstName: 'Before' });
      const session = server.client();
      assert.equal((await session.login(member.email, member.password)).status, 302);
      const created = await server.client().post('/api/token/', { headers: tokenAuth(member.token), ...NO_BODY });
      assert.equal(created.status, 201, created.text);
      const pat = (created.body as { token: string }).token;
      const refreshed = await server.client().post('/api/token/refresh/', { json: { refresh: pat } });
      assert.equal(refreshed.status, 200, refreshed.text);
      const access = (refreshed.body as { access: string }).access;
      assert.equal((await server.client().get('/api/current-user/whoami', { headers: tokenAuth(member.token) })).status, 200);
      assert.equal((await server.client().get('/api/current-user/whoami', { headers: bearerAuth(access) })).status, 200);
      assert.equal((await session.get('/api/current-user/whoami')).status, 200);
      assert.equal((await session.get('/projects/')).status, 200);
      return { member, session, pat, access };
    };

    before(async () => {
      server = fixture.server;
      owner = await buildOwner(server.ctx);
      orgId = owner.user.active_organization_id ?? 0;
    });

    for (const { role, code, says } of REFUSALS) {
      describe(`a ${role} member`, () => {
        let held: Holdings;
        before(async () => {
          held = await holdEverything(`inactive-${role.toLowerCase()}-${kind}@example.com`);
          await setRole(server.ctx, held.member.user.id, orgId, role);
        });

        test('the legacy token is refused everywhere with the code and a detail that says why; nothing changes', async () => {
          const { member } = held;
          const as = { headers: tokenAuth(member.token) };
          const c = server.client();
          const avatar = new FormData();
          avatar.append('avatar', new Blob([solidPng(8, 8)], { type: 'image/png' }), 'me.png');
          const calls: Array<[string, () => Promise<HttpResponse>]> = [
            ['GET /api/current-user/token', () => c.get('/api/current-user/token', as)],
            ['GET /api/current-user/whoami', () => c.get('/api/current-user/whoami', as)],
            ['PATCH /api/current-user', () => c.patch('/api/current-user', { ...as, json: { first_name: 'Changed' } })],
            ['POST avatar', () => c.post(`/api/users/${member.user.id}/avatar/`, { ...as, multipart: avatar })],
            ['GET /api/organizations/', () => c.get('/api/organizations/', as)],
            ['POST /api/current-user/reset-token/', () => c.post('/api/current-user/reset-token/', { ...as, ...NO_BODY })],
          ];
          for (const [what, call] of calls) assertRefused(await call(), code, says, what);
          const stored = await server.ctx.repos.users.findById(member.user.id);
          assert.equal(stored?.first_name, 'Before');
          assert.equal(stored?.avatar, null);
          // The key was not replaced: it is still the one the member held.
          assert.equal(await server.ctx.services.legacyTokens.userIdForKey(member.token), member.user.id);
        });

        test('a web session from before is refused by the API and gets the "Access suspended" page', async () => {
          const { session } = held;
          assertRefused(await session.get('/api/current-user/whoami'), code, says, 'session whoami');
          assertRefused(await session.patch('/api/current-user', { json: { first_name: 'Changed' } }), code, says, 'session PATCH');
          for (const path of ['/projects/', '/user/account/', '/organization/']) assertSuspendedPage(await session.get(path), says, path);
          assert.equal((await server.ctx.repos.users.findById(held.member.user.id))?.first_name, 'Before');
        });

        test('login through the form is refused with the reason, not "don\'t match"', async () => {
          const c = server.client();
          const res = await c.login(held.member.email, held.member.password);
          assert.notEqual(res.status, 302, 'no way in');
          assert.ok(res.status === 200 || res.status === 403, `the form again, got ${res.status}`);
          assert.match(res.text, says);
          assert.doesNotMatch(res.text, /don(&#39;|&#x27;|')t match/);
          assert.equal(c.cookies.has('sessionid'), false, 'no session');
        });

        test('the personal access token no longer refreshes, and the access token minted before is refused', async () => {
          const refreshed = await server.client().post('/api/token/refresh/', { json: { refresh: held.pat } });
          assertError(refreshed, 401);
          assertRefused(await server.client().get('/api/current-user/whoami', { headers: bearerAuth(held.access) }), code, says, 'Bearer');
        });

        test('back to annotator: the same session, legacy token, PAT and access token work again', async () => {
          const { member, session, pat, access } = held;
          await setRole(server.ctx, member.user.id, orgId, 'AN');
          try {
            assert.equal((await server.client().get('/api/current-user/whoami', { headers: tokenAuth(member.token) })).status, 200);
            assert.equal((await server.client().get('/api/current-user/whoami', { headers: bearerAuth(access) })).status, 200);
            assert.equal((await server.client().post('/api/token/refresh/', { json: { refresh: pat } })).status, 200);
            assert.equal((await session.get('/api/current-user/whoami')).status, 200);
            assert.equal((await session.get('/projects/')).status, 200);
            assert.equal((await server.client().login(member.email, member.password)).status, 302);
          } finally {
            await setRole(server.ctx, member.user.id, orgId, role);
          }
        });
      });
    }

    test('a user removed from every organization is refused with membership.none', async () => {
      const held = await holdEverything(`removed-${kind}@example.com`);
      await removeMember(server.ctx, held.member.user.id, orgId);
      const says = /not a member/i;
      const c = server.client();
      assertRefused(await c.get('/api/current-user/whoami', { headers: tokenAuth(held.member.token) }), 'membership.none', says, 'token whoami');
      assertRefused(await c.get('/api/organizations/', { headers: tokenAuth(held.member.token) }), 'membership.none', says, 'token orgs');
      assertRefused(await c.get('/api/current-user/whoami', { headers: bearerAuth(held.access) }), 'membership.none', says, 'Bearer');
      assertRefused(await held.session.get('/api/current-user/whoami'), 'membership.none', says, 'session');
      assertSuspendedPage(await held.session.get('/projects/'), says, '/projects/');
      assertError(await c.post('/api/token/refresh/', { json: { refresh: held.pat } }), 401);
    });
  });

  describe(`the "Access suspended" page in a browser [${kind}]`, { skip: skipReason(kind) || browserSkipReason(WEB_DIST) }, () => {
    let browser: BrowserSession | undefined;
    // Registered before the server's own hook so the browser is gone first: a socket Chromium keeps open would hold the server's close.
    after(async () => browser?.close());
    const fixture = useTestServer(kind);
    let member: TestUser;
    let orgId: number;

    before(async () => {
      const owner = await buildOwner(fixture.ctx);
      orgId = owner.user.active_organization_id ?? 0;
      member = await buildMember(fixture.ctx, orgId);
      browser = await openBrowser(fixture.server.baseUrl);
    });

    test('a person deactivated while signed in sees why, can log out, and is told why at the next login', async () => {
      assert.ok(browser, 'the browser is open');
      const { page, context } = browser;
      await page.goto('/user/login/');
      await page.getByLabel('Email Address').fill(member.email);
      await page.getByLabel('Password').fill(member.password);
      await page.getByRole('button', { name: /log in/i }).click();
      await page.waitForURL('**/projects/');

      await setRole(fixture.ctx, member.user.id, orgId, 'DI');
      const response = await page.goto('/user/account/');
      assert.equal(response?.status(), 403);
      await page.getByRole('heading', { name: 'Access suspended' }).waitFor();
      assert.match(await page.getByRole('alert').innerText(), /deactivated/i);

      await page.getByRole('link', { name: /log out/i }).click();
      await page.waitForURL('**/user/login/**');
      assert.equal((await context.cookies()).some((c) => c.name === 'sessionid'), false, 'logged out');

      await page.getByLabel('Email Address').fill(member.email);
      await page.getByLabel('Password').fill(member.password);
      await page.getByRole('button', { name: /log in/i }).click();
      await page.getByRole('alert').filter({ hasText: /deactivated/i }).waitFor();
      assert.match(page.url(), /\/user\/login\//);
    });
  });
}
