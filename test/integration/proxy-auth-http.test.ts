import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';
import { assertError } from '../helpers/envelope.js';
import { buildMember, buildOwner, type TestUser } from '../helpers/factories.js';
import { tokenAuth } from '../helpers/http-client.js';
import { useTestServer } from '../helpers/test-server.js';

const HEADER = 'x-forwarded-email';
const as = (email: string, extra: Record<string, string> = {}) => ({ headers: { [HEADER]: email, ...extra } });

for (const kind of DATABASE_KINDS) {
  describe(`trusted proxy sign-in, the proxy at 127.0.0.1 [${kind}]`, { skip: skipReason(kind) }, () => {
    const fixture = useTestServer(kind, { proxyAuth: { header: HEADER, addresses: ['127.0.0.1'] } });
    let owner: TestUser;
    let member: TestUser;
    before(async () => {
      owner = await buildOwner(fixture.ctx);
      member = await buildMember(fixture.ctx, owner.user.active_organization_id ?? 0, { firstName: 'Proxied' });
    });

    test('the header names the user on every request from the proxy: API, pages, no password, no session', async () => {
      const c = fixture.client();
      const me = await c.get('/api/current-user/whoami', as(`  ${member.email.toUpperCase()} `));
      assert.equal(me.status, 200, me.text);
      assert.equal((me.body as { email: string }).email, member.email);
      const page = await c.get('/projects/', as(member.email));
      assert.equal(page.status, 200, 'the app opens without a login');
      assert.match(page.text, /<div id="root">/);
      const login = await c.get('/user/login/?next=/people/', as(member.email));
      assert.equal(login.status, 302);
      assert.equal(login.headers.get('location'), '/people/');
      assert.equal(c.cookies.get('sessionid'), undefined, 'no session is made: the proxy is asked every time');
      // A token the request carries comes first (a script through the proxy keeps its own identity).
      const scripted = await c.get('/api/current-user/whoami', as(member.email, tokenAuth(owner.token)));
      assert.equal((scripted.body as { email: string }).email, owner.email);
    });

    test('unsafe requests need the CSRF token like a session (the proxy signs the browser in, another site could use it)', async () => {
      const c = fixture.client();
      await c.get('/api/current-user/whoami', as(member.email));
      const csrf = c.cookies.get('csrftoken');
      assert.ok(csrf, 'a GET hands the browser its CSRF cookie');
      const forged = await c.patch('/api/current-user', { headers: { [HEADER]: member.email, 'x-csrftoken': '' }, json: { first_name: 'Forged' } });
      assert.equal(assertError(forged, 403).code, 'auth.csrf_failed');
      const mine = await c.patch('/api/current-user', { ...as(member.email), json: { last_name: 'Through-the-proxy' } });
      assert.equal(mine.status, 200, mine.text);
      const entry = await fixture.ctx.database.db
        .selectFrom('activity_log')
        .select(['auth_method', 'actor_id'])
        .where('action', '=', 'user.profile_changed')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      assert.deepEqual(entry, { auth_method: 'proxy', actor_id: member.user.id });
      // The password is not the proxy user's way in, and a proxy request is no web session: refused.
      const password = await c.post('/api/current-user/password/', { ...as(member.email), json: { current_password: member.password, new_password: 'another-pass-42' } });
      assert.equal(assertError(password, 403).code, 'permission.denied');
    });

    test("where the organization requires two-factor sign-in, the proxy's sign-in is not sent to set one up; a password session is", async () => {
      const orgId = owner.user.active_organization_id ?? 0;
      await fixture.ctx.repos.organizations.update(orgId, { require_two_factor: true });
      try {
        const proxied = fixture.client();
        assert.equal((await proxied.get('/api/users/', as(member.email))).status, 200, 'the proxy signed them in, with its own factors');
        const web = fixture.client();
        assert.equal((await web.login(member.email, member.password)).status, 302);
        assert.equal(assertError(await web.get('/api/users/'), 403).code, 'two_factor.enrolment_required');
      } finally {
        await fixture.ctx.repos.organizations.update(orgId, { require_two_factor: false });
      }
    });

    test('an e-mail with no account stays anonymous (no account is made); a deactivated member is told so', async () => {
      const c = fixture.client();
      assertError(await c.get('/api/current-user/whoami', as('stranger@example.com')), 401);
      assert.equal((await c.get('/projects/', as('stranger@example.com'))).status, 302);
      assert.equal(await fixture.ctx.services.accounts.findByEmail('stranger@example.com'), undefined);
      assertError(await c.get('/api/current-user/whoami', as('not an e-mail')), 401);
      const off = await buildMember(fixture.ctx, owner.user.active_organization_id ?? 0, { role: 'DI' });
      assert.equal(assertError(await c.get('/api/current-user/whoami', as(off.email)), 403).code, 'membership.deactivated');
      const page = await c.get('/projects/', as(off.email));
      assert.equal(page.status, 403);
      assert.match(page.text, /Access suspended/);
    });
  });

  describe(`trusted proxy sign-in from anyone else: the header is ignored [${kind}]`, { skip: skipReason(kind) }, () => {
    // The proxy is elsewhere; loopback is a trusted proxy for X-Forwarded-For, which must still not make it the auth proxy.
    const fixture = useTestServer(kind, { proxyAuth: { header: HEADER, addresses: ['192.0.2.1'] }, server: { trustedProxies: ['127.0.0.1'] } });
    let owner: TestUser;
    before(async () => {
      owner = await buildOwner(fixture.ctx);
    });

    test('not from the proxy: no sign-in, even claiming its address in X-Forwarded-For; a session goes on as its own user', async () => {
      const c = fixture.client();
      const claims: Array<Record<string, string>> = [{}, { 'x-forwarded-for': '192.0.2.1' }, { 'x-forwarded-for': '192.0.2.1, 127.0.0.1' }];
      for (const extra of claims) {
        assertError(await c.get('/api/current-user/whoami', as(owner.email, extra)), 401);
        assert.equal((await c.get('/projects/', as(owner.email, extra))).status, 302);
      }
      const member = await buildMember(fixture.ctx, owner.user.active_organization_id ?? 0);
      assert.equal((await c.login(member.email, member.password)).status, 302);
      const me = await c.get('/api/current-user/whoami', as(owner.email, { 'x-forwarded-for': '192.0.2.1' }));
      assert.equal((me.body as { email: string }).email, member.email, 'the header does not override the session');
    });
  });
}
