import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

for (const kind of DATABASE_KINDS) {
  describe(`LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK [${kind}]`, { skip: skipReason(kind) }, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(kind, { disableSignupWithoutLink: true });
    });
    after(async () => server?.close());

    test('no organization yet: sign-up is closed, the first user comes from the CLI', async () => {
      const page = await server.client().get('/user/signup/');
      assert.match(page.text, /Sign-up is by invitation only/);
      const res = await server.client().signup('first@example.com', 'first-pass-1');
      assert.equal(res.status, 403);
      assert.equal(await server.ctx.repos.users.findByEmail('first@example.com'), undefined);
    });

    test('with an organization: only its invite link opens sign-up', async () => {
      await server.ctx.services.bootstrap.ensureUser({ username: 'boss@example.com', password: 'boss-pass-1', userToken: '', enableLegacyApiToken: false });
      const org = await server.ctx.repos.organizations.findFirst();
      assert.ok(org);
      assert.equal((await server.client().signup('nolink@example.com', 'nolink-pass-1')).status, 403);
      assert.equal((await server.client().signup('wrong@example.com', 'wrong-pass-1', 'x'.repeat(40))).status, 403);
      const ok = await server.client().signup('invited@example.com', 'invited-pass-1', org.token);
      assert.equal(ok.status, 302);
      assert.equal(ok.headers.get('location'), '/projects/');
      const member = await server.ctx.repos.users.findByEmail('invited@example.com');
      assert.equal(member?.active_organization_id, org.id);
    });
  });
}
