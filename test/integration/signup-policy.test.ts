import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { systemContext } from '#src/policies/action-context.js';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';
import { buildOwner, inviteTokenOf } from '../helpers/factories.js';
import { useTestServer, type TestServer } from '../helpers/test-server.js';

for (const kind of DATABASE_KINDS) {
  describe(`LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK [${kind}]`, { skip: skipReason(kind) }, () => {
    const fixture = useTestServer(kind, { security: { disableSignupWithoutLink: true } });
    let server: TestServer;
    before(async () => {
      server = fixture.server;
    });

    test('no organization yet: sign-up is closed, the first user comes from the CLI', async () => {
      const page = await server.client().get('/user/signup/');
      assert.match(page.text, /Sign-up is by invitation only/);
      const res = await server.client().signup('first@example.com', 'first-pass-1');
      assert.equal(res.status, 403);
      assert.equal(await server.ctx.repos.users.findByEmail('first@example.com'), undefined);
    });

    test('with an organization: only its invite link opens sign-up', async () => {
      await buildOwner(server.ctx, { email: 'boss@example.com', password: 'boss-pass-1' });
      const org = await server.ctx.repos.organizations.findFirst();
      assert.ok(org);
      assert.equal((await server.client().signup('nolink@example.com', 'nolink-pass-1')).status, 403);
      assert.equal((await server.client().signup('wrong@example.com', 'wrong-pass-1', 'x'.repeat(40))).status, 403);
      const ok = await server.client().signup('invited@example.com', 'invited-pass-1', await inviteTokenOf(server.ctx, org.id));
      assert.equal(ok.status, 302);
      assert.equal(ok.headers.get('location'), '/projects/');
      const member = await server.ctx.repos.users.findByEmail('invited@example.com');
      assert.equal(member?.active_organization_id, org.id);
    });
  });
}

for (const kind of DATABASE_KINDS) {
  describe(`LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN for every new organization [${kind}]`, { skip: skipReason(kind) }, () => {
    const enabled = useTestServer(kind, { security: { enableLegacyApiToken: true } });
    const disabled = useTestServer(kind, { security: { enableLegacyApiToken: false } });

    test('the organization the first web sign-up creates follows the setting, as the start-up user’s does', async () => {
      for (const [fixture, expected] of [[enabled, true], [disabled, false]] as const) {
        const client = fixture.client();
        assert.equal((await client.signup('first@example.com', 'a-first-password')).status, 302);
        const me = (await client.get('/api/current-user/whoami')).body as { id: number; active_organization: number };
        const org = await fixture.ctx.repos.organizations.findById(me.active_organization);
        assert.equal(org?.legacy_api_tokens_enabled, expected);
        const key = await fixture.ctx.services.legacyTokens.reveal(systemContext('test'), me.id);
        const status = (await fixture.client().get('/api/current-user/whoami', { headers: { authorization: `Token ${key}` } })).status;
        assert.equal(status, expected ? 200 : 401);
      }
    });
  });
}

for (const kind of DATABASE_KINDS) {
  describe(`LABEL_STUDIO_ALLOW_ORGANIZATION_CREATION=false [${kind}]`, { skip: skipReason(kind) }, () => {
    const fixture = useTestServer(kind, { security: { allowOrganizationCreation: false } });

    test('nobody creates organizations, and whoami does not offer it', async () => {
      const owner = await buildOwner(fixture.ctx);
      const headers = { authorization: `Token ${owner.token}` };
      const me = (await fixture.client().get('/api/current-user/whoami', { headers })).body as { permissions: string[] };
      assert.ok(!me.permissions.includes('organizations.create'));
      assert.ok(me.permissions.includes('organizations.transfer'), 'the rest of the owner’s permissions stay');
      const refused = await fixture.client().post('/api/organizations/', { headers, json: { title: 'Mine' } });
      assert.equal(refused.status, 403);
      assert.equal((refused.body as { code: string }).code, 'organization.creation_closed');
    });
  });
}
