/**
 * The organization's side of two-factor sign-in, on each database: requiring it (owner and administrators, who use it
 * themselves), an un-enrolled member sent to enrolment before anything else (pages redirect, session API calls
 * refused except enrolment and logout, tokens untouched), and an administrator's reset of a member's second factor
 * within the target rules, in the activity log.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { generate } from 'otplib';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';
import { assertError } from '../helpers/envelope.js';
import { buildMember, buildOwner, type TestUser } from '../helpers/factories.js';
import { tokenAuth, type HttpClient } from '../helpers/http-client.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { useTestServer } from '../helpers/test-server.js';

const codeAt = (secret: string, clock: ManualClock) => generate({ secret, epoch: Math.floor(clock.now().getTime() / 1000) });

for (const kind of DATABASE_KINDS) {
  describe(`two-factor sign-in: the organization's requirement and resets [${kind}]`, { skip: skipReason(kind) }, () => {
    const clock = new ManualClock();
    const fixture = useTestServer(kind, {}, { clock });
    let owner: TestUser;
    let admin: TestUser;
    let manager: TestUser;
    let annotator: TestUser;
    let orgId = 0;
    const secrets = new Map<number, string>();

    /** Logs in through the forms, with a code when the account has two-factor sign-in. */
    const logIn = async (user: TestUser): Promise<HttpClient> => {
      const web = fixture.client();
      const first = await web.login(user.email, user.password);
      assert.equal(first.status, 302, first.text);
      if (first.headers.get('location')?.startsWith('/user/login/two-factor/')) {
        clock.advance(30_000);
        const code = await codeAt(secrets.get(user.user.id) ?? '', clock);
        const second = await web.post('/user/login/two-factor/', { form: { code, csrfmiddlewaretoken: web.cookies.get('csrftoken') ?? '' } });
        assert.equal(second.status, 302, second.text);
      }
      return web;
    };
    /** Enrols through the API with the session, as the web app does. */
    const enrol = async (web: HttpClient, user: TestUser): Promise<void> => {
      const started = await web.post('/api/current-user/two-factor/enrolment', { raw: '' });
      assert.equal(started.status, 201, started.text);
      const { secret } = started.body as { secret: string };
      secrets.set(user.user.id, secret);
      const confirmed = await web.post('/api/current-user/two-factor/enrolment/confirm', { json: { code: await codeAt(secret, clock) } });
      assert.equal(confirmed.status, 201, confirmed.text);
    };
    const org = () => `/api/organizations/${orgId}`;
    const entries = (action: string) =>
      fixture.ctx.database.db.selectFrom('activity_log').selectAll().where('action', '=', action).orderBy('id').execute();

    before(async () => {
      owner = await buildOwner(fixture.ctx);
      orgId = owner.user.active_organization_id ?? 0;
      admin = await buildMember(fixture.ctx, orgId, { role: 'AD', password: 'admin-password-1' });
      manager = await buildMember(fixture.ctx, orgId, { role: 'MA', password: 'manager-password-1' });
      annotator = await buildMember(fixture.ctx, orgId, { role: 'AN', password: 'annotator-password-1' });
    });

    test('every member sees the setting; only the owner and administrators change it, once they use it themselves', async () => {
      const api = fixture.client();
      const seen = await api.get(`${org()}/two-factor`, { headers: tokenAuth(annotator.token) });
      assert.deepEqual(seen.body, { organization: orgId, require_two_factor: false });
      assertError(await api.patch(`${org()}/two-factor`, { headers: tokenAuth(manager.token), json: { require_two_factor: true } }), 403);
      const notYet = await api.patch(`${org()}/two-factor`, { headers: tokenAuth(admin.token), json: { require_two_factor: true } });
      assertError(notYet, 409, /Turn on two-factor sign-in for your own account first/);

      const ownerWeb = await logIn(owner);
      await enrol(ownerWeb, owner);
      const required = await api.patch(`${org()}/two-factor`, { headers: tokenAuth(owner.token), json: { require_two_factor: true } });
      assert.deepEqual(required.body, { organization: orgId, require_two_factor: true });
      const [entry] = await entries('organization.two_factor_requirement_changed');
      assert.deepEqual(JSON.parse(entry?.details ?? '{}'), { require_two_factor: { before: false, after: true } });
      assert.equal(entry?.organization_id, orgId);
      // The owner who uses it is not held up.
      assert.equal((await ownerWeb.get('/api/current-user/whoami')).status, 200);
    });

    test('an un-enrolled member who logs in is sent to enrolment before anything else', async () => {
      const web = await logIn(annotator);
      const page = await web.get('/projects/');
      assert.equal(page.status, 302);
      assert.equal(page.headers.get('location'), '/user/two-factor/setup/?next=%2Fprojects%2F');
      assert.equal((await web.get('/user/account/')).headers.get('location'), '/user/two-factor/setup/?next=%2Fuser%2Faccount%2F');
      const setup = await web.get('/user/two-factor/setup/?next=%2Fprojects%2F');
      assert.equal(setup.status, 200, 'the enrolment page itself is served');

      const whoami = await web.get('/api/current-user/whoami');
      assertError(whoami, 403, 'Your organization requires two-factor sign-in. Set it up to continue.');
      assert.equal((whoami.body as { code: string }).code, 'two_factor.enrolment_required');
      assertError(await web.get(`${org()}/memberships`), 403);
      assertError(await web.patch('/api/current-user', { json: { first_name: 'Sneaky' } }), 403);
      const status = await web.get('/api/current-user/two-factor');
      assert.equal(status.status, 200);
      assert.equal((status.body as { required: boolean }).required, true);
      // API tokens are not sessions: the same member's token works as before.
      assert.equal((await fixture.client().get('/api/current-user/whoami', { headers: tokenAuth(annotator.token) })).status, 200);

      await enrol(web, annotator);
      assert.equal((await web.get('/api/current-user/whoami')).status, 200);
      assert.equal((await web.get('/projects/')).status, 200);
      // From now on a code is asked for at login.
      const again = fixture.client();
      assert.equal((await again.login(annotator.email, annotator.password)).headers.get('location'), '/user/login/two-factor/');
    });

    test('logout stays open to a member held at enrolment', async () => {
      const web = await logIn(manager);
      assert.equal((await web.get('/api/current-user/whoami')).status, 403);
      assert.equal((await web.get('/logout')).status, 302);
      assert.equal(web.cookies.get('sessionid'), undefined);
    });

    test('an administrator resets a member’s second factor: audited; never their own, the owner’s or a higher role’s', async () => {
      const api = fixture.client();
      const as = (user: TestUser) => ({ headers: tokenAuth(user.token) });
      const path = (user: TestUser) => `${org()}/memberships/${user.user.id}/two-factor`;
      const shown = await api.get(path(annotator), as(admin));
      assert.equal((shown.body as { enabled: boolean }).enabled, true);
      assertError(await api.get(path(annotator), as(manager)), 403);
      assertError(await api.delete(path(annotator), as(manager)), 403);
      assertError(await api.delete(path(owner), as(admin)), 403, /Only the owner may change their own two-factor sign-in/);

      // The People page offers the reset where the rules allow it.
      const listed = await api.get(`${org()}/memberships?page_size=-1`, as(admin));
      const actionsOf = (user: TestUser) =>
        (listed.body as { results: Array<{ user: { id: number }; allowed_actions: string[] }> }).results.find((m) => m.user.id === user.user.id)?.allowed_actions ?? [];
      assert.ok(actionsOf(annotator).includes('reset_two_factor'));
      assert.ok(!actionsOf(owner).includes('reset_two_factor'));
      assert.ok(!actionsOf(admin).includes('reset_two_factor'), 'not on oneself');

      const annotatorWeb = await logIn(annotator);
      assert.equal((await api.delete(path(annotator), as(admin))).status, 204);
      const [entry] = await entries('user.two_factor_reset');
      assert.deepEqual([entry?.actor_id, entry?.target_id, entry?.organization_id, entry?.auth_method], [admin.user.id, annotator.user.id, orgId, 'legacy-token']);
      assert.deepEqual(JSON.parse(entry?.details ?? '{}'), { email: annotator.email });
      assertError(await api.delete(path(annotator), as(admin)), 409, 'This member does not use two-factor sign-in.');
      // Their session is held at enrolment again, as the organization requires it; the password alone logs in.
      assertError(await annotatorWeb.get('/api/current-user/whoami'), 403);
      const relogin = fixture.client();
      assert.equal((await relogin.login(annotator.email, annotator.password)).headers.get('location'), '/projects/');

      // Not someone of another organization: 404 for a stranger.
      assertError(await api.delete(`${org()}/memberships/999999/two-factor`, as(admin)), 404);
    });

    test('stopping the requirement frees un-enrolled members at once', async () => {
      const web = await logIn(manager);
      assert.equal((await web.get('/api/current-user/whoami')).status, 403);
      const api = fixture.client();
      const off = await api.patch(`${org()}/two-factor`, { headers: tokenAuth(admin.token), json: { require_two_factor: false } });
      assert.equal(off.status, 200, off.text);
      assert.equal((await web.get('/api/current-user/whoami')).status, 200);
    });
  });
}
