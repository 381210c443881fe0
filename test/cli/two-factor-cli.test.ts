/**
 * `label-studio users reset-2fa <email>`, the built CLI as a subprocess on each database: the way back in for an
 * owner who lost their authenticator and recovery codes (no administrator may reset the owner), in the activity log.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { generate } from 'otplib';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';
import { buildOwner, type TestUser } from '../helpers/factories.js';
import { jsonOf, operatorCli } from '../helpers/operator-cli.js';
import { useTestServer } from '../helpers/test-server.js';

for (const kind of DATABASE_KINDS) {
  describe(`label-studio users reset-2fa [${kind}]`, { skip: skipReason(kind) }, () => {
    const fixture = useTestServer(kind);
    const cli = operatorCli(fixture);
    let owner: TestUser;

    before(async () => {
      owner = await buildOwner(fixture.ctx, { email: 'locked-out-owner@example.com' });
      const web = fixture.client();
      assert.equal((await web.login(owner.email, owner.password)).status, 302);
      const { secret } = (await web.post('/api/current-user/two-factor/enrolment', { raw: '' })).body as { secret: string };
      const code = await generate({ secret, epoch: Math.floor(Date.now() / 1000) });
      assert.equal((await web.post('/api/current-user/two-factor/enrolment/confirm', { json: { code } })).status, 201);
      const org = owner.user.active_organization_id ?? 0;
      assert.equal((await web.patch(`/api/organizations/${org}/two-factor`, { json: { require_two_factor: true } })).status, 200);
    });

    test('a locked-out owner: the operator resets their second factor; they log in with the password and enrol again', async () => {
      assert.equal((await fixture.client().login(owner.email, owner.password)).headers.get('location'), '/user/login/two-factor/');

      const reset = cli.run(['users', 'reset-2fa', 'Locked-Out-Owner@example.com']);
      assert.equal(reset.status, 0, reset.stderr);
      assert.match(reset.stdout, /^Two-factor sign-in is off for locked-out-owner@example\.com/);

      const web = fixture.client();
      const login = await web.login(owner.email, owner.password);
      assert.equal(login.headers.get('location'), '/projects/', 'the password alone logs in');
      // The organization still requires it: enrolment comes first.
      assert.equal((await web.get('/projects/')).headers.get('location'), '/user/two-factor/setup/?next=%2Fprojects%2F');

      const entry = await fixture.ctx.database.db.selectFrom('activity_log').selectAll().where('action', '=', 'user.two_factor_reset').executeTakeFirstOrThrow();
      assert.deepEqual(
        [entry.auth_method, entry.request_method, entry.request_url, entry.actor_id, entry.target_id, entry.organization_id],
        ['cli', 'CLI', 'label-studio users reset-2fa', null, owner.user.id, owner.user.active_organization_id],
      );
    });

    test('nothing to reset, an unknown e-mail or none at all: exit 1 with the reason', () => {
      const again = cli.run(['users', 'reset-2fa', owner.email, '--json']);
      assert.equal(again.status, 1);
      assert.match(again.stderr, /locked-out-owner@example\.com does not use two-factor sign-in/);
      const unknown = cli.run(['users', 'reset-2fa', 'nobody@example.com']);
      assert.equal(unknown.status, 1);
      assert.match(unknown.stderr, /No user with the e-mail nobody@example\.com/);
      const none = cli.run(['users', 'reset-2fa']);
      assert.equal(none.status, 1);
      assert.match(none.stderr, /Give the e-mail: label-studio users reset-2fa <email>/);
    });

    test('--json says what was done', async () => {
      const web = fixture.client();
      await web.login(owner.email, owner.password);
      const { secret } = (await web.post('/api/current-user/two-factor/enrolment', { raw: '' })).body as { secret: string };
      const code = await generate({ secret, epoch: Math.floor(Date.now() / 1000) });
      assert.equal((await web.post('/api/current-user/two-factor/enrolment/confirm', { json: { code } })).status, 201);
      const reset = cli.run(['users', 'reset-2fa', '--json', owner.email]);
      assert.equal(reset.status, 0, reset.stderr);
      assert.deepEqual(jsonOf(reset), { id: owner.user.id, email: owner.email, two_factor: false });
    });
  });
}
