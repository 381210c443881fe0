import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';
import { buildMember, buildOwner, type TestUser } from '../helpers/factories.js';
import { tokenAuth } from '../helpers/http-client.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { useTestServer, type TestServer } from '../helpers/test-server.js';

const MINUTE = 60_000;
const lastActivityWrites = (queries: string[]) =>
  queries.filter((q) => /^update "users" set "last_activity"/i.test(q.replace(/\s+/g, ' '))).length;

for (const kind of DATABASE_KINDS) {
  describe(`last_activity and session limits [${kind}]`, { skip: skipReason(kind) }, () => {
    const clock = new ManualClock();
    const fixture = useTestServer(kind, { sessions: { maxAgeSeconds: 3600, inactivitySeconds: 600 } }, { clock });
    let server: TestServer;
    let owner: TestUser;
    before(async () => {
      server = fixture.server;
      owner = await buildOwner(server.ctx);
    });

    const lastActivity = async (id: number) => (await server.ctx.repos.users.findById(id))?.last_activity ?? null;

    test('null until the first login; reads never bump it; token-authenticated writes do, once a minute at most', async () => {
      const org = await server.ctx.repos.organizations.findFirst();
      assert.ok(org);
      const member = await buildMember(server.ctx, org.id);
      assert.equal(await lastActivity(member.user.id), null);
      await server.client().get('/api/current-user/whoami', { headers: tokenAuth(member.token) });
      assert.equal(await lastActivity(member.user.id), null, 'a GET does not count as activity');

      server.ctx.queries.length = 0;
      for (let i = 0; i < 5; i += 1) {
        const res = await server.client().post('/api/current-user/reset-token/', { headers: tokenAuth(member.token), raw: '' });
        assert.equal(res.status, 201);
        member.token = (res.body as { token: string }).token;
      }
      const first = await lastActivity(member.user.id);
      assert.equal(first, clock.now().toISOString());
      assert.equal(lastActivityWrites(server.ctx.queries), 1, 'five writes within a minute stamp last_activity once');

      clock.advance(2 * MINUTE);
      await server.client().post('/api/current-user/reset-token/', { headers: tokenAuth(member.token), raw: '' });
      assert.equal(await lastActivity(member.user.id), clock.now().toISOString());
      assert.equal(lastActivityWrites(server.ctx.queries), 2);
    });

    test('twenty concurrent requests of one user, each holding a stale row, stamp last_activity once', async () => {
      const org = await server.ctx.repos.organizations.findFirst();
      assert.ok(org);
      const member = await buildMember(server.ctx, org.id);
      clock.advance(5 * MINUTE);
      // Each request loaded the user before any of them wrote: only the conditional update can keep it to one write.
      const stale = await server.ctx.repos.users.findById(member.user.id);
      assert.ok(stale);
      const wrote = await Promise.all(Array.from({ length: 20 }, () => server.ctx.services.activity.touch({ ...stale })));
      assert.equal(wrote.filter(Boolean).length, 1, `writes: ${wrote.filter(Boolean).length}`);
      assert.equal(await lastActivity(member.user.id), clock.now().toISOString());
    });

    test('a token-authenticated GET sets no cookie; a signed-in browser gets its csrftoken once and keeps it', async () => {
      const byToken = await server.client().get('/api/current-user/whoami', { headers: tokenAuth(owner.token) });
      assert.equal(byToken.status, 200);
      assert.equal(byToken.headers.get('set-cookie'), null);
      const browser = server.client();
      assert.equal((await browser.login(owner.email, owner.password)).status, 302);
      const csrf = browser.cookies.get('csrftoken');
      assert.ok(csrf);
      const again = await browser.get('/api/current-user/whoami');
      assert.equal(again.status, 200);
      assert.doesNotMatch(again.headers.get('set-cookie') ?? '', /csrftoken=/, 'the browser already has one');
      assert.equal(browser.cookies.get('csrftoken'), csrf);
    });

    test('a session ends after the inactivity limit, and after the maximum age even when active', async () => {
      const client = server.client();
      assert.equal((await client.login(owner.email, owner.password)).status, 302);
      clock.advance(11 * MINUTE);
      assert.equal((await client.get('/api/current-user/whoami')).status, 401, 'idle past 10 minutes');

      assert.equal((await client.login(owner.email, owner.password)).status, 302);
      for (let i = 0; i < 6; i += 1) {
        clock.advance(9 * MINUTE);
        assert.equal((await client.get('/api/current-user/whoami')).status, 200, `active at ${(i + 1) * 9} minutes`);
      }
      clock.advance(9 * MINUTE);
      assert.equal((await client.get('/api/current-user/whoami')).status, 401, 'past the one-hour maximum age');
    });

    test('a deactivated user is refused at once: session, legacy token', async () => {
      const org = await server.ctx.repos.organizations.findFirst();
      assert.ok(org);
      const member = await buildMember(server.ctx, org.id, { role: 'AN' });
      const browser = server.client();
      await browser.login(member.email, member.password);
      assert.equal((await browser.get('/api/current-user/whoami')).status, 200);
      await server.ctx.repos.users.update(member.user.id, { is_active: false });
      assert.equal((await browser.get('/api/current-user/whoami')).status, 401);
      const byToken = await server.client().get('/api/current-user/whoami', { headers: tokenAuth(member.token) });
      assert.equal(byToken.status, 401);
      assert.equal((byToken.body as { detail: string }).detail, 'User inactive or deleted.');
    });
  });
}
