import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { looksLikeJwt } from '#src/auth/jwt.js';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';
import { actingAs, buildMember, buildOwner, type TestUser } from '../helpers/factories.js';
import { bearerAuth, tokenAuth } from '../helpers/http-client.js';
import { useTestServer, type TestServer } from '../helpers/test-server.js';
import { assertError } from '../helpers/envelope.js';
import { jwtPayload, NO_BODY, prefixOf } from '../helpers/tokens.js';

const DAY = 24 * 60 * 60;
const ALREADY = 'You already have a valid token. Please revoke it before creating a new one.';
const GONE = 'Token is invalid or already blacklisted.';
/** What the SDK's internal refresh looks like: bare httpx, JSON body, no Authorization. */
const HTTPX = { 'user-agent': 'python-httpx/0.28.1' };

for (const kind of DATABASE_KINDS) {
  describe(`personal access tokens over HTTP [${kind}]`, { skip: skipReason(kind) }, () => {
    const fixture = useTestServer(kind);
    let server: TestServer;
    let owner: TestUser;
    let member: TestUser;
    const asOwner = () => ({ headers: tokenAuth(owner.token) });
    before(async () => {
      server = fixture.server;
      owner = await buildOwner(server.ctx);
      const org = await server.ctx.repos.organizations.findFirst();
      assert.ok(org);
      member = await buildMember(server.ctx, org.id);
    });

    test('the SDK session, calls 19–33, end to end', async () => {
      const c = server.client();
      // 19–20: settings read and written as the SDK does (ttl always sent, and ignored).
      const settings = await c.get('/api/jwt/settings', asOwner());
      assert.equal(settings.status, 200);
      assert.deepEqual(Object.keys(settings.body as object), ['api_tokens_enabled', 'legacy_api_tokens_enabled', 'api_token_ttl_days']);
      assert.deepEqual(settings.body, { api_tokens_enabled: true, legacy_api_tokens_enabled: true, api_token_ttl_days: 73000 });
      const update = { api_token_ttl_days: 73000, api_tokens_enabled: true, legacy_api_tokens_enabled: true };
      const updated = await c.post('/api/jwt/settings', { ...asOwner(), json: update });
      assert.equal(updated.status, 200);
      assert.deepEqual(updated.body, settings.body);

      // 21: a bodiless POST creates the PAT, a refresh-type JWT living 200 years.
      const created = await c.post('/api/token/', { ...asOwner(), ...NO_BODY });
      assert.equal(created.status, 201, created.text);
      const pat1Body = created.body as { token: string; created_at: string; expires_at: string };
      assert.deepEqual(Object.keys(pat1Body), ['token', 'created_at', 'expires_at']);
      assert.match(pat1Body.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      const pat1 = pat1Body.token;
      const claims = jwtPayload(pat1);
      assert.deepEqual(Object.keys(claims).sort(), ['exp', 'iat', 'jti', 'token_type', 'user_id']);
      assert.equal(claims.token_type, 'refresh');
      assert.equal(claims.user_id, owner.user.id);
      assert.equal(typeof claims.exp, 'number');
      const nowS = Date.now() / 1000;
      assert.ok(Math.abs(Number(claims.exp) - nowS - 73000 * DAY) < 60, 'PAT lives 73000 days');
      assert.equal(new Date(pat1Body.expires_at).getTime(), Number(claims.exp) * 1000);

      // 22: one live PAT per user.
      assertError(await c.post('/api/token/', { ...asOwner(), ...NO_BODY }), 409, ALREADY);

      // 23: the list is a bare array showing header.payload only.
      const list = await c.get('/api/token/', asOwner());
      assert.equal(list.status, 200);
      assert.deepEqual(list.body, [{ token: prefixOf(pat1), created_at: pat1Body.created_at, expires_at: pat1Body.expires_at }]);

      // 24: refresh with a (legacy) Authorization header: it is ignored; 200 with a five-minute access JWT.
      const refreshed = await c.post('/api/token/refresh/', { ...asOwner(), json: { refresh: pat1 } });
      assert.equal(refreshed.status, 200, refreshed.text);
      assert.deepEqual(Object.keys(refreshed.body as object), ['access']);
      const access1 = (refreshed.body as { access: string }).access;
      const accessClaims = jwtPayload(access1);
      assert.equal(accessClaims.token_type, 'access');
      assert.equal(accessClaims.user_id, owner.user.id);
      assert.equal(typeof accessClaims.exp, 'number');
      assert.ok(Math.abs(Number(accessClaims.exp) - Date.now() / 1000 - 300) < 60, 'access token lives five minutes');
      assert.notEqual(accessClaims.jti, claims.jti);

      // 25: an access token is not a refresh token.
      assertError(await c.post('/api/token/refresh/', { ...asOwner(), json: { refresh: access1 } }), 401);

      // 26–27: a PAT client: unauthenticated refresh, then Bearer.
      const pc = server.client();
      const viaHttpx = await pc.post('/api/token/refresh/', { headers: HTTPX, json: { refresh: pat1 } });
      assert.equal(viaHttpx.status, 200);
      const access2 = (viaHttpx.body as { access: string }).access;
      const whoami = await pc.get('/api/current-user/whoami', { headers: bearerAuth(access2) });
      assert.equal(whoami.status, 200);
      assert.equal((whoami.body as { email: string }).email, owner.email);
      assert.equal((await pc.get('/api/token/', { headers: bearerAuth(access2) })).status, 200);

      // 29–30: rotation replaces PAT#1 by PAT#2; PAT#1 no longer refreshes.
      const rotated = await c.post('/api/token/rotate/', { ...asOwner(), json: { refresh: pat1 } });
      assert.equal(rotated.status, 200, rotated.text);
      const pat2 = (rotated.body as { refresh: string }).refresh;
      assert.notEqual(pat2, pat1);
      assert.equal(jwtPayload(pat2).token_type, 'refresh');
      assertError(await c.post('/api/token/refresh/', { ...asOwner(), json: { refresh: pat1 } }), 401);
      const afterRotate = (await c.get('/api/token/', asOwner())).body as { token: string }[];
      assert.deepEqual(afterRotate.map((t) => t.token), [prefixOf(pat2)]);

      // 31–33: blacklisting PAT#2; both refresh forms then fail with a JSON 401.
      const revoked = await c.post('/api/token/blacklist/', { ...asOwner(), json: { refresh: pat2 } });
      assert.equal(revoked.status, 204);
      assert.equal(revoked.text, '');
      assertError(await c.post('/api/token/refresh/', { ...asOwner(), json: { refresh: pat2 } }), 401);
      assertError(await pc.post('/api/token/refresh/', { headers: HTTPX, json: { refresh: pat2 } }), 401, 'Token is blacklisted');
      // Blacklisting twice → 404.
      assertError(await c.post('/api/token/blacklist/', { ...asOwner(), json: { refresh: pat2 } }), 404, GONE);
      assert.deepEqual((await c.get('/api/token/', asOwner())).body, []);
    });

    test('blacklist accepts the listed header.payload form, without credentials', async () => {
      const c = server.client();
      const pat = ((await c.post('/api/token/', { ...asOwner(), ...NO_BODY })).body as { token: string }).token;
      const [listed] = (await c.get('/api/token/', asOwner())).body as { token: string }[];
      assert.equal(listed?.token, prefixOf(pat));
      assert.equal(listed?.token.split('.').length, 2);
      // A stale or unknown Authorization header is not even read.
      const res = await c.post('/api/token/blacklist/', { headers: tokenAuth('f'.repeat(40)), json: { refresh: listed?.token } });
      assert.equal(res.status, 204);
      assertError(await c.post('/api/token/refresh/', { json: { refresh: pat } }), 401);
      assertError(await c.post('/api/token/blacklist/', { json: { refresh: listed?.token } }), 404, GONE);
    });

    test('refresh ignores invalid Authorization headers and refuses forged or foreign tokens', async () => {
      const c = server.client();
      const pat = ((await c.post('/api/token/', { ...asOwner(), ...NO_BODY })).body as { token: string }).token;
      for (const authorization of ['Token nope', 'Bearer not.a.jwt', 'Token a b c']) {
        const res = await c.post('/api/token/refresh/', { headers: { authorization }, json: { refresh: pat } });
        assert.equal(res.status, 200, `${authorization}: ${res.text}`);
      }
      const [header, payload] = pat.split('.');
      const forged = `${header}.${payload}.${'A'.repeat(43)}`;
      assertError(await c.post('/api/token/refresh/', { json: { refresh: forged } }), 401, 'Token is invalid or expired');
      assertError(await c.post('/api/token/refresh/', { json: { refresh: prefixOf(pat) } }), 401);
      assertError(await c.post('/api/token/blacklist/', { json: { refresh: forged } }), 404, GONE);
      // A payload edited to another jti does not match the stored prefix.
      const claims = jwtPayload(pat);
      const edited = Buffer.from(JSON.stringify({ ...claims, user_id: member.user.id })).toString('base64url');
      assertError(await c.post('/api/token/blacklist/', { json: { refresh: `${header}.${edited}` } }), 404, GONE);
      assertError(await c.post('/api/token/blacklist/', { json: { refresh: 'garbage' } }), 404, GONE);
      // The owner's PAT cannot be rotated by another user.
      const stolen = await c.post('/api/token/rotate/', { headers: tokenAuth(member.token), json: { refresh: pat } });
      assertError(stolen, 400, GONE);
      assert.equal((await c.post('/api/token/refresh/', { json: { refresh: pat } })).status, 200, 'still valid');
      assert.equal((await c.post('/api/token/blacklist/', { json: { refresh: pat } })).status, 204);
      assertError(await c.post('/api/token/rotate/', { ...asOwner(), json: { refresh: pat } }), 400, GONE);
    });

    test('bad input: 400 with validation errors, unauthenticated: 401', async () => {
      const c = server.client();
      const missing = assertError(await c.post('/api/token/refresh/', { json: {} }), 400, 'Validation error');
      assert.deepEqual(missing.validation_errors, { refresh: ['This field is required.'] });
      const empty = assertError(await c.post('/api/token/refresh/', { json: { refresh: '' } }), 400);
      assert.deepEqual(empty.validation_errors, { refresh: ['This field may not be blank.'] });
      const huge = assertError(await c.post('/api/token/blacklist/', { json: { refresh: 'a'.repeat(5000) } }), 400);
      assert.deepEqual(huge.validation_errors, { refresh: ['Ensure this field has no more than 2048 characters.'] });
      const nulled = assertError(await c.post('/api/token/refresh/', { json: { refresh: null } }), 400);
      assert.deepEqual(nulled.validation_errors, { refresh: ['This field may not be null.'] });
      const typed = assertError(await c.post('/api/token/refresh/', { json: { refresh: { a: 1 } } }), 400);
      assert.deepEqual(typed.validation_errors, { refresh: ['Not a valid string.'] });
      const malformed = await c.post('/api/token/refresh/', { headers: { 'content-type': 'application/json' }, raw: '{"refresh":' });
      assertError(malformed, 400, /^JSON parse error/);
      const noBody = assertError(await c.post('/api/token/refresh/', NO_BODY), 400);
      assert.deepEqual(noBody.validation_errors, { refresh: ['This field is required.'] });

      const notJwt = assertError(await c.post('/api/token/rotate/', { ...asOwner(), json: { refresh: 'not-a-jwt' } }), 400);
      assert.deepEqual(notJwt.validation_errors, { refresh: ['Invalid refresh token'] });
      const memberPat = await server.ctx.services.personalTokens.create(await actingAs(server.ctx, member.user));
      const access = await server.ctx.services.personalTokens.refresh(memberPat.token);
      const wrongType = assertError(await c.post('/api/token/rotate/', { headers: tokenAuth(member.token), json: { refresh: access } }), 400);
      assert.deepEqual(wrongType.validation_errors, { refresh: ['Invalid refresh token'] });

      assertError(await c.post('/api/token/rotate/', { json: { refresh: 'x' } }), 401, 'Authentication credentials were not provided.');
      assertError(await c.get('/api/token/'), 401);
      assertError(await c.post('/api/token/', NO_BODY), 401);
      assertError(await c.get('/api/jwt/settings'), 401);
      assertError(await c.post('/api/jwt/settings', { json: { api_tokens_enabled: false } }), 401);
      assertError(await c.request('PUT', '/api/token/', asOwner()), 405, 'Method "PUT" not allowed.');
      // A PAT is not an access token: Bearer with it authenticates nobody.
      assertError(await c.get('/api/current-user/whoami', { headers: bearerAuth(memberPat.token) }), 401);
    });

    test('each user sees only their own tokens; concurrent creation yields one', async () => {
      const c = server.client();
      const mine = (await c.get('/api/token/', { headers: tokenAuth(member.token) })).body as { token: string }[];
      assert.equal(mine.length, 1);
      const ownerList = (await c.get('/api/token/', asOwner())).body as { token: string }[];
      assert.ok(!ownerList.some((t) => t.token === mine[0]?.token));
      assert.equal(jwtPayload(`${mine[0]?.token ?? ''}.x`).user_id, member.user.id);

      const results = await Promise.all(Array.from({ length: 6 }, () => c.post('/api/token/', { ...asOwner(), ...NO_BODY })));
      assert.deepEqual(results.map((r) => r.status).sort(), [201, 409, 409, 409, 409, 409]);
      assert.equal(((await c.get('/api/token/', asOwner())).body as unknown[]).length, 1);
      // Straight at the service the requests interleave more tightly (this once issued 8 PATs without the row lock).
      const { personalTokens } = server.ctx.services;
      for (let round = 0; round < 3; round += 1) {
        await server.ctx.database.db.updateTable('personal_access_tokens').set({ blacklisted_at: new Date().toISOString() }).execute();
        const acting = await actingAs(server.ctx, owner.user);
        const settled = await Promise.allSettled(Array.from({ length: 8 }, () => personalTokens.create(acting)));
        assert.equal(settled.filter((r) => r.status === 'fulfilled').length, 1, `round ${round}`);
      }
    });

    test('only header.payload is stored; legacy keys are not JWT-shaped', async () => {
      const c = server.client();
      const rows = await server.ctx.database.db.selectFrom('personal_access_tokens').selectAll().execute();
      assert.ok(rows.length > 0);
      for (const row of rows) {
        assert.equal(row.token_prefix.split('.').length, 2);
        assert.equal(jwtPayload(`${row.token_prefix}.x`).jti, row.jti);
      }
      assert.match(owner.token, /^[0-9a-f]{40}$/);
      assert.equal(looksLikeJwt(owner.token), false);
      const legacy = await c.get('/api/current-user/token', asOwner());
      assert.equal(looksLikeJwt((legacy.body as { token: string }).token), false);
      const doc = (await c.get('/api/schema/')).body as { paths: Record<string, unknown> };
      for (const path of ['/api/token/', '/api/token/refresh/', '/api/token/blacklist/', '/api/token/rotate/', '/api/jwt/settings']) {
        assert.ok(doc.paths[path], path);
      }
    });
  });
}
