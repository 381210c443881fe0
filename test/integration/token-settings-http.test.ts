import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { LEGACY_DISABLED_MESSAGE } from '#src/services/auth.service.js';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';
import { buildMember, buildOwner, type TestUser } from '../helpers/factories.js';
import { bearerAuth, tokenAuth, type HttpClient } from '../helpers/http-client.js';
import { useTestServer, type TestServer } from '../helpers/test-server.js';
import { assertError } from '../helpers/envelope.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { NO_BODY } from '../helpers/tokens.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const DEFAULTS = { api_tokens_enabled: true, legacy_api_tokens_enabled: true, api_token_ttl_days: 73000 };

/** A new PAT for the user (blacklisting any live one first) and an access token minted from it. */
async function patAndAccess(c: HttpClient, user: TestUser): Promise<{ pat: string; access: string }> {
  const listed = (await c.get('/api/token/', { headers: tokenAuth(user.token) })).body as { token: string }[];
  for (const { token } of listed) await c.post('/api/token/blacklist/', { json: { refresh: token } });
  const created = await c.post('/api/token/', { headers: tokenAuth(user.token), ...NO_BODY });
  assert.equal(created.status, 201, created.text);
  const pat = (created.body as { token: string }).token;
  const refreshed = await c.post('/api/token/refresh/', { json: { refresh: pat } });
  assert.equal(refreshed.status, 200, refreshed.text);
  return { pat, access: (refreshed.body as { access: string }).access };
}

for (const kind of DATABASE_KINDS) {
  describe(`token settings and token lifetimes over HTTP [${kind}]`, { skip: skipReason(kind) }, () => {
    const clock = new ManualClock();
    const fixture = useTestServer(kind, {}, { clock });
    let server: TestServer;
    let owner: TestUser;
    let admin: TestUser;
    let member: TestUser;
    const asOwner = () => ({ headers: tokenAuth(owner.token) });
    before(async () => {
      server = fixture.server;
      owner = await buildOwner(server.ctx);
      const org = await server.ctx.repos.organizations.findFirst();
      assert.ok(org);
      admin = await buildMember(server.ctx, org.id, { role: 'AD' });
      member = await buildMember(server.ctx, org.id);
    });

    test('settings: every member reads them; only owners and administrators change them', async () => {
      const c = server.client();
      const read = await c.get('/api/jwt/settings', { headers: tokenAuth(member.token) });
      assert.equal(read.status, 200);
      assert.deepEqual(read.body, DEFAULTS);
      const refused = await c.post('/api/jwt/settings', { headers: tokenAuth(member.token), json: { api_tokens_enabled: false } });
      assertError(refused, 403, 'You do not have permission to perform this action.');
      assert.deepEqual((await c.get('/api/jwt/settings', asOwner())).body, DEFAULTS);

      // An administrator may; omitted settings keep their values; the ttl is accepted and ignored whatever it is.
      const byAdmin = await c.post('/api/jwt/settings', { headers: tokenAuth(admin.token), json: { api_token_ttl_days: 1, api_tokens_enabled: false } });
      assert.equal(byAdmin.status, 200, byAdmin.text);
      assert.deepEqual(byAdmin.body, { ...DEFAULTS, api_tokens_enabled: false });
      const back = await c.post('/api/jwt/settings', { ...asOwner(), json: { api_token_ttl_days: 'forever', api_tokens_enabled: true } });
      assert.deepEqual(back.body, DEFAULTS);
      const bodiless = await c.post('/api/jwt/settings', { ...asOwner(), ...NO_BODY });
      assert.equal(bodiless.status, 200);
      assert.deepEqual(bodiless.body, DEFAULTS);
    });

    test('settings: wrong types and malformed JSON are 400 and change nothing', async () => {
      const c = server.client();
      const wrong = assertError(await c.post('/api/jwt/settings', { ...asOwner(), json: { api_tokens_enabled: 'maybe' } }), 400);
      assert.deepEqual(wrong.validation_errors, { api_tokens_enabled: ['Must be a valid boolean.'] });
      const list = assertError(await c.post('/api/jwt/settings', { ...asOwner(), json: { legacy_api_tokens_enabled: { on: true } } }), 400);
      assert.deepEqual(list.validation_errors, { legacy_api_tokens_enabled: ['Must be a valid boolean.'] });
      // Schema coercion would read null as false and silently turn legacy keys off.
      const nulled = assertError(await c.post('/api/jwt/settings', { ...asOwner(), json: { legacy_api_tokens_enabled: null, api_token_ttl_days: null } }), 400);
      assert.deepEqual(nulled.validation_errors, { legacy_api_tokens_enabled: ['This field may not be null.'] });
      const notObject = assertError(await c.post('/api/jwt/settings', { ...asOwner(), json: [true] }), 400);
      assert.ok(notObject.validation_errors);
      const malformed = await c.post('/api/jwt/settings', { ...asOwner(), headers: { ...tokenAuth(owner.token), 'content-type': 'application/json' }, raw: '{' });
      assertError(malformed, 400, /^JSON parse error/);
      assert.deepEqual((await c.get('/api/jwt/settings', asOwner())).body, DEFAULTS);
    });

    test('PATs disabled: Bearer refused, refresh 401, create and rotate 403; revoking still works', async () => {
      const c = server.client();
      const { pat, access } = await patAndAccess(c, owner);
      assert.equal((await c.get('/api/current-user/whoami', { headers: bearerAuth(access) })).status, 200);
      const off = await c.post('/api/jwt/settings', { ...asOwner(), json: { api_tokens_enabled: false } });
      assert.equal(off.status, 200);
      try {
        assertError(await c.get('/api/current-user/whoami', { headers: bearerAuth(access) }), 401);
        assertError(await c.post('/api/token/refresh/', { json: { refresh: pat } }), 401);
        assertError(await c.post('/api/token/', { ...asOwner(), ...NO_BODY }), 403, /disabled/);
        assertError(await c.post('/api/token/rotate/', { ...asOwner(), json: { refresh: pat } }), 403, /disabled/);
        const listed = (await c.get('/api/token/', asOwner())).body as unknown[];
        assert.equal(listed.length, 1);
      } finally {
        await c.post('/api/jwt/settings', { ...asOwner(), json: { api_tokens_enabled: true } });
      }
      assert.equal((await c.get('/api/current-user/whoami', { headers: bearerAuth(access) })).status, 200);
      assert.equal((await c.post('/api/token/blacklist/', { json: { refresh: pat } })).status, 204);
    });

    test('legacy keys turned off fail at once; Bearer still works and can turn them back on', async () => {
      const c = server.client();
      const { pat, access } = await patAndAccess(c, owner);
      const off = await c.post('/api/jwt/settings', { ...asOwner(), json: { legacy_api_tokens_enabled: false } });
      assert.deepEqual(off.body, { ...DEFAULTS, legacy_api_tokens_enabled: false });
      assertError(await c.get('/api/current-user/whoami', asOwner()), 401, LEGACY_DISABLED_MESSAGE);
      // The SDK's generated refresh still carries the now-refused key: it must be ignored.
      assert.equal((await c.post('/api/token/refresh/', { ...asOwner(), json: { refresh: pat } })).status, 200);
      const on = await c.post('/api/jwt/settings', { headers: bearerAuth(access), json: { legacy_api_tokens_enabled: true } });
      assert.equal(on.status, 200, on.text);
      assert.equal((await c.get('/api/current-user/whoami', asOwner())).status, 200);
    });

    test('a deactivated user: access tokens stop working and PATs stop refreshing', async () => {
      const c = server.client();
      const { pat, access } = await patAndAccess(c, member);
      await server.ctx.repos.users.update(member.user.id, { is_active: false });
      try {
        assertError(await c.get('/api/current-user/whoami', { headers: bearerAuth(access) }), 401);
        assertError(await c.post('/api/token/refresh/', { json: { refresh: pat } }), 401, 'No active account found for the given token.');
      } finally {
        await server.ctx.repos.users.update(member.user.id, { is_active: true });
      }
      assert.equal((await c.get('/api/current-user/whoami', { headers: bearerAuth(access) })).status, 200);
    });

    test('access tokens expire after five minutes; PATs after 200 years', async () => {
      const c = server.client();
      const { pat, access } = await patAndAccess(c, owner);
      try {
        clock.setOffset(299_000);
        assert.equal((await c.get('/api/current-user/whoami', { headers: bearerAuth(access) })).status, 200);
        clock.setOffset(301_000);
        assertError(await c.get('/api/current-user/whoami', { headers: bearerAuth(access) }), 401);
        const again = await c.post('/api/token/refresh/', { json: { refresh: pat } });
        assert.equal(again.status, 200);
        const fresh = (again.body as { access: string }).access;
        assert.equal((await c.get('/api/current-user/whoami', { headers: bearerAuth(fresh) })).status, 200);

        clock.setOffset(73_001 * DAY_MS);
        assertError(await c.post('/api/token/refresh/', { json: { refresh: pat } }), 401, 'Token is invalid or expired');
        assert.deepEqual((await c.get('/api/token/', asOwner())).body, []);
        // An expired PAT is not "live": a new one may be created.
        assert.equal((await c.post('/api/token/', { ...asOwner(), ...NO_BODY })).status, 201);
      } finally {
        clock.setOffset(0);
      }
    });
  });
}
