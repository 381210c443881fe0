import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';
import { assertEnvelope } from '../helpers/envelope.js';
import { removeMember, inviteTokenOf, buildMember, buildOwner, type TestUser } from '../helpers/factories.js';
import { tokenAuth } from '../helpers/http-client.js';
import { useTestServer, type TestServer } from '../helpers/test-server.js';


for (const kind of DATABASE_KINDS) {
  describe(`authentication over HTTP [${kind}]`, { skip: skipReason(kind) }, () => {
    const fixture = useTestServer(kind);
    let server: TestServer;
    let owner: TestUser;
    before(async () => {
      server = fixture.server;
      owner = await buildOwner(server.ctx);
    });

    test('no credentials: 401 envelope with WWW-Authenticate', async () => {
      const res = await server.client().get('/api/current-user/whoami');
      assert.equal(res.status, 401);
      assert.equal(res.headers.get('www-authenticate'), 'Token');
      assertEnvelope(res.body, 401, 'Authentication credentials were not provided.');
    });

    test('legacy Token and X-Api-Key authenticate; unknown keys get "Invalid token."', async () => {
      const client = server.client();
      const me = await client.get('/api/current-user/whoami', { headers: tokenAuth(owner.token) });
      assert.equal(me.status, 200);
      const body = me.body as { email: string; permissions: string[]; active_organization_meta: { title: string } };
      assert.equal(body.email, owner.email);
      assert.ok(body.permissions.includes('organizations.invite'));
      assert.equal(body.active_organization_meta.title, 'Label Studio');
      assert.equal((await client.get('/api/current-user/whoami', { headers: { 'x-api-key': owner.token } })).status, 200);
      const bad = await client.get('/api/current-user/whoami', { headers: tokenAuth('0'.repeat(40)) });
      assertEnvelope(bad.body, 401, 'Invalid token.');
    });

    test('legacy tokens are refused when the organization disabled them', async () => {
      const org = await server.ctx.repos.organizations.findFirst();
      assert.ok(org);
      await server.ctx.repos.organizations.update(org.id, { legacy_api_tokens_enabled: false });
      try {
        const res = await server.client().get('/api/current-user/whoami', { headers: tokenAuth(owner.token) });
        assertEnvelope(res.body, 401, /legacy token authentication has been disabled/);
      } finally {
        await server.ctx.repos.organizations.update(org.id, { legacy_api_tokens_enabled: true });
      }
    });

    test('login form: CSRF required, generic error, safe redirect, then the session works', async () => {
      const client = server.client();
      const noCsrf = await client.post('/user/login/', { form: { email: owner.email, password: owner.password } });
      assert.equal(noCsrf.status, 403);

      const wrong = await client.login(owner.email, 'not-the-password');
      assert.equal(wrong.status, 200);
      assert.match(wrong.text, /The email and password you entered don(&#39;|')t match\./);

      const evil = await client.login(owner.email.toUpperCase(), owner.password, 'http://malicious.com');
      assert.equal(evil.status, 302);
      assert.equal(evil.headers.get('location'), '/projects/');
      assert.ok(client.cookies.get('sessionid'));
      const me = await client.get('/api/current-user/whoami');
      assert.equal(me.status, 200);
      const stamped = (me.body as { last_activity: string | null }).last_activity;
      assert.ok(stamped, 'login stamps last_activity');
    });

    test('each login gets a new session id; logout ends it', async () => {
      const client = server.client();
      await client.login(owner.email, owner.password);
      const first = client.cookies.get('sessionid');
      await client.login(owner.email, owner.password);
      assert.notEqual(client.cookies.get('sessionid'), first);
      const stale = server.client();
      stale.cookies.set('sessionid', first ?? '');
      // A fresh login does not end the earlier session; logout does.
      const out = await client.get('/logout');
      assert.equal(out.status, 302);
      assert.equal((await client.get('/api/current-user/whoami')).status, 401);
    });

    test('cookie-authenticated unsafe API calls need the CSRF header; token calls do not', async () => {
      const client = server.client();
      await client.login(owner.email, owner.password);
      const without = await client.post('/api/current-user/reset-token/', { headers: { 'x-csrftoken': 'nope' }, raw: '' });
      assertEnvelope(without.body, 403, /CSRF/);
      const withHeader = await client.post('/api/current-user/reset-token/', { raw: '' });
      assert.equal(withHeader.status, 201);
      owner.token = (withHeader.body as { token: string }).token;
      const byToken = await server.client().post('/api/current-user/reset-token/', { headers: tokenAuth(owner.token), raw: '' });
      assert.equal(byToken.status, 201);
      const oldKey = owner.token;
      owner.token = (byToken.body as { token: string }).token;
      assert.equal((await server.client().get('/api/current-user/whoami', { headers: tokenAuth(oldKey) })).status, 401);
    });

    test('sign-up joins the organization with an invite link; a wrong token is refused', async () => {
      const org = await server.ctx.repos.organizations.findFirst();
      assert.ok(org);
      const client = server.client();
      const refused = await client.signup('invitee@example.com', 'invitee-pass-1', 'wrong-token');
      assert.equal(refused.status, 403);
      const weak = await client.signup('invitee@example.com', 'short');
      assert.equal(weak.status, 200);
      assert.match(weak.text, /Please enter a password 8–128 characters in length\./);
      const ok = await client.signup('Invitee@Example.com', 'invitee-pass-1', await inviteTokenOf(server.ctx, org.id));
      assert.equal(ok.status, 302);
      const me = (await client.get('/api/current-user/whoami')).body as { email: string; username: string; active_organization: number };
      assert.equal(me.email, 'invitee@example.com');
      assert.equal(me.username, 'invitee');
      assert.equal(me.active_organization, org.id);
      const dup = await server.client().signup('INVITEE@example.com', 'invitee-pass-1');
      assert.match(dup.text, /User with this email already exists/);
    });

    test('a removed member cannot log in again', async () => {
      const org = await server.ctx.repos.organizations.findFirst();
      assert.ok(org);
      const member = await buildMember(server.ctx, org.id);
      await removeMember(server.ctx, member.user.id, org.id);
      const res = await server.client().login(member.email, member.password);
      assert.equal(res.status, 200);
      assert.match(res.text, /don(&#39;|')t match/);
    });

    test('conventions: 405 envelope, malformed JSON 400, unknown path 404, X-Robots-Tag, no redirects on slashes', async () => {
      const client = server.client();
      const put = await client.request('PUT', '/api/current-user/whoami', { headers: tokenAuth(owner.token), json: {} });
      assertEnvelope(put.body, 405, 'Method "PUT" not allowed.');
      const bad = await client.post('/api/current-user/reset-token/', { headers: { ...tokenAuth(owner.token), 'content-type': 'application/json' }, raw: '{nope' });
      assertEnvelope(bad.body, 400, /^JSON parse error/);
      const missing = await client.get('/api/nothing-here/', { headers: tokenAuth(owner.token) });
      assertEnvelope(missing.body, 404, 'Not found.');
      assert.equal((await client.get('/user/login')).headers.get('x-robots-tag'), 'noindex, nofollow');
      assert.equal((await client.get('/api/current-user/whoami', { headers: tokenAuth(owner.token) })).headers.get('x-robots-tag'), null);
      assert.equal((await client.get('/api/current-user/whoami/', { headers: tokenAuth(owner.token) })).status, 200);
    });

    test('the OpenAPI document is served', async () => {
      const res = await server.client().get('/api/schema/');
      assert.equal(res.status, 200);
      const doc = res.body as { openapi: string; paths: Record<string, unknown> };
      assert.match(doc.openapi, /^3\./);
      assert.ok(doc.paths['/api/current-user/whoami']);
      assert.ok(!Object.keys(doc.paths).some((p) => p.startsWith('/user/')));
      assert.equal((await server.client().get('/docs/api/')).status, 200);
    });
  });
}
