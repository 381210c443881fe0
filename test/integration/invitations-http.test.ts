import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MAX_INVITATION_SENDS } from '#src/services/invitation.service.js';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';
import { buildMember, buildOrganization, buildOwner, buildUser, removeMember, type TestUser } from '../helpers/factories.js';
import { HttpClient, tokenAuth } from '../helpers/http-client.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { linkIn, startSmtpTestServer, type ReceivedMail, type SmtpTestServer } from '../helpers/smtp-test-server.js';
import { useTestServer } from '../helpers/test-server.js';

const PUBLIC_URL = 'https://labels.example.com';
const ACCEPT = `${PUBLIC_URL}/user/invite/accept/?token=`;
type Json = Record<string, unknown>;

/** Headers the official SDK sends on every generated call (sdk-requests.md §1). */
const sdk = (key: string) => ({
  headers: { ...tokenAuth(key), accept: '*/*', 'user-agent': 'label_studio_sdk/2.1.3', 'x-fern-language': 'Python', 'x-fern-sdk-name': 'label-studio-sdk', 'x-fern-sdk-version': '2.1.3' },
});

const local = (link: string): string => link.slice(PUBLIC_URL.length);

/** One relay for the file. */
const smtp: SmtpTestServer = await startSmtpTestServer({});
after(() => smtp.close());

for (const kind of DATABASE_KINDS) {
  describe(`e-mail invitations [${kind}]`, { skip: skipReason(kind) }, () => {
    const clock = new ManualClock();
    const fixture = useTestServer(kind, { server: { host: PUBLIC_URL }, mail: { smtp: smtp.config() } }, { clock });
    let owner: TestUser;
    let manager: TestUser;
    let annotator: TestUser;
    let orgId: number;
    const mailTo = async (email: string): Promise<ReceivedMail> => {
      await fixture.ctx.mailer.flush();
      const mail = smtp.received.filter((m) => m.to.includes(email)).at(-1);
      if (!mail) throw new Error(`no mail to ${email}`);
      return mail;
    };
    const sendEmail = (key: string, body: Json) => fixture.client().post('/api/invite/send-email', { ...sdk(key), json: body });

    before(async () => {
      owner = await buildOwner(fixture.ctx);
      orgId = owner.user.active_organization_id ?? 0;
      manager = await buildMember(fixture.ctx, orgId, { role: 'MA', email: `manager-${kind}@example.com` });
      annotator = await buildMember(fixture.ctx, orgId, { role: 'AN', email: `annotator-${kind}@example.com` });
    });

    test("the SDK's invites.send_email and revoke_invite, exactly as it sends them", async () => {
      // invites.send_email(emails=[…], role="AN", projects=[1], workspaces=[2], user_type="standard")
      const sent = await sendEmail(owner.token, { emails: [`a-${kind}@example.com`, `d-${kind}@example.com`], projects: [1], role: 'AN', user_type: 'standard', workspaces: [2] });
      assert.equal(sent.status, 200, sent.text);
      assert.equal((sent.body as Json).detail, 'Invite sent');
      const mail = await mailTo(`a-${kind}@example.com`);
      assert.equal(mail.subject, 'Join Label Studio on Label Studio');
      assert.match(mail.text, /as Annotator/);
      assert.ok(linkIn(mail, ACCEPT));
      // invites.revoke_invite(email="a@b.c")
      const revoked = await fixture.client().post('/api/invite/revoke', { ...sdk(owner.token), json: { email: `a-${kind}@example.com` } });
      assert.equal(revoked.status, 200, revoked.text);
      assert.equal((revoked.body as Json).detail, 'Invite revoked');
      const refused = await fixture.client().get(local(linkIn(mail, ACCEPT)));
      assert.equal(refused.status, 403);
      assert.match(refused.text, /This invitation was withdrawn/);
      // Revoking again: nothing pending for that address is a 400 naming the field, with the envelope.
      const again = await fixture.client().post('/api/invite/revoke', { ...sdk(owner.token), json: { email: `a-${kind}@example.com` } });
      assert.equal(again.status, 400);
      assert.deepEqual((again.body as Json).validation_errors, { email: ['No pending invitation for this e-mail address.'] });
    });

    test('who may invite, and as what: never above their own role; never an annotator (by default); never a member again', async () => {
      const asAnnotator = await sendEmail(annotator.token, { emails: [`x-${kind}@example.com`], role: 'AN' });
      assert.equal(asAnnotator.status, 403);
      assert.equal((asAnnotator.body as Json).code, 'permission.denied');
      const higher = await sendEmail(manager.token, { emails: [`x-${kind}@example.com`], role: 'AD' });
      assert.equal(higher.status, 403);
      assert.equal((higher.body as Json).detail, 'You cannot give a role higher than your own.');
      assert.equal((await sendEmail(manager.token, { emails: [`m-${kind}@example.com`], role: 'MA' })).status, 200);
      const owners = await sendEmail(owner.token, { emails: [`x-${kind}@example.com`], role: 'OW' });
      assert.equal(owners.status, 400);
      const member = await sendEmail(owner.token, { emails: [annotator.email, `fine-${kind}@example.com`], role: 'RE' });
      assert.equal(member.status, 400);
      assert.equal((member.body as Json).code, 'invite.already_member');
      assert.deepEqual((member.body as Json).validation_errors, { emails: [`${annotator.email} is already a member of this organization.`] });
      const bad = await sendEmail(owner.token, { emails: ['not-an-address'], role: 'AN' });
      assert.equal(bad.status, 400);
      const seats = await sendEmail(owner.token, { emails: [`v-${kind}@example.com`], user_type: 'viewonly' });
      assert.equal(seats.status, 400);
      assert.ok(Object.keys((seats.body as Json).validation_errors as Json).includes('user_type'));
      const roleless = await sendEmail(owner.token, { emails: [`v-${kind}@example.com`] });
      assert.deepEqual((roleless.body as Json).validation_errors, { role: ['This field is required.'] });
    });

    test('a new address accepts in the browser-facing page: the account is created in the role and logged in; the link works once', async () => {
      const email = `newcomer-${kind}@example.com`;
      assert.equal((await sendEmail(owner.token, { emails: [email], role: 'RE' })).status, 200);
      const link = local(linkIn(await mailTo(email), ACCEPT));
      const client = fixture.client();
      const page = await client.get(link);
      assert.equal(page.status, 200);
      assert.match(page.text, /You are invited to join <strong>Label Studio<\/strong> as <strong>Reviewer<\/strong>/);
      assert.equal(page.headers.get('cache-control'), 'no-store');
      // The link's secret is in the URL: no Referer carries it away, and search engines keep it out.
      assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
      assert.equal(page.headers.get('x-robots-tag'), 'noindex, nofollow');
      const weak = await client.post(link, { form: { password: 'password', csrfmiddlewaretoken: client.cookies.get('csrftoken') ?? '' } });
      assert.equal(weak.status, 400);
      const accepted = await client.post(link, { form: { password: 'newcomer-pass-8', csrfmiddlewaretoken: client.cookies.get('csrftoken') ?? '' } });
      assert.equal(accepted.status, 303);
      assert.equal(accepted.headers.get('location'), '/projects/');
      const me = (await client.get('/api/current-user/whoami')).body as Json;
      assert.equal(me.email, email);
      assert.equal((me.organization_membership as Json).role, 'RE');
      assert.equal(me.active_organization, orgId);
      const reused = await fixture.client().get(link);
      assert.equal(reused.status, 403);
      assert.match(reused.text, /already accepted/);
    });

    test('an existing account joins in the role, then logs in (also one outside every organization, and a removed member)', async () => {
      const outsider = await buildUser(fixture.ctx, { email: `outsider-${kind}@example.com`, password: 'outsider-pass-2' });
      const returning = await buildMember(fixture.ctx, orgId, { email: `returning-${kind}@example.com`, password: 'returning-pass-2' });
      await removeMember(fixture.ctx, returning.user.id, orgId);
      assert.equal((await fixture.client().login(outsider.email, outsider.password)).status, 200, 'no organization: login refuses');
      assert.equal((await sendEmail(owner.token, { emails: [outsider.email, returning.email], role: 'MA' })).status, 200);
      for (const person of [outsider, returning]) {
        const link = local(linkIn(await mailTo(person.email), ACCEPT));
        const wrong = fixture.client();
        await wrong.login(annotator.email, annotator.password);
        assert.match((await wrong.get(link)).text, /This invitation is for/);
        const client = fixture.client();
        const page = await client.get(link);
        assert.match(page.text, /An account exists for/);
        const joined = await client.post(link, { form: { csrfmiddlewaretoken: client.cookies.get('csrftoken') ?? '' } });
        assert.equal(joined.status, 303);
        assert.equal(joined.headers.get('location'), '/user/login/');
        assert.equal((await client.get('/api/current-user/whoami')).status, 401, 'the link joins; it does not sign in');
        assert.equal((await client.login(person.email, person.password)).status, 302);
        const me = (await client.get('/api/current-user/whoami')).body as Json;
        assert.deepEqual([me.active_organization, (me.organization_membership as Json).role], [orgId, 'MA']);
      }
    });

    test('signed in as the invited account, one click joins', async () => {
      const { organizationId: otherOrg, owner: otherOwner } = await buildOrganization(fixture.ctx, { email: `other-owner-${kind}@example.com` });
      assert.ok(otherOrg !== orgId);
      const client = fixture.client();
      assert.equal((await client.login(otherOwner.email, otherOwner.password)).status, 302);
      assert.equal((await sendEmail(owner.token, { emails: [otherOwner.email], role: 'AN' })).status, 200);
      const link = local(linkIn(await mailTo(otherOwner.email), ACCEPT));
      assert.match((await client.get(link)).text, /You are logged in as/);
      assert.equal((await client.post(link, { form: { csrfmiddlewaretoken: client.cookies.get('csrftoken') ?? '' } })).headers.get('location'), '/projects/');
      const me = (await client.get('/api/current-user/whoami')).body as Json;
      assert.deepEqual([me.active_organization, (me.organization_membership as Json).role], [orgId, 'AN']);
    });

    test('expiry, resend with a limit, and the list the People page reads', async () => {
      const email = `later-${kind}@example.com`;
      assert.equal((await sendEmail(owner.token, { emails: [email], role: 'AN' })).status, 200);
      const first = local(linkIn(await mailTo(email), ACCEPT));
      clock.advance(fixture.ctx.config.mail.inviteExpiryDays * 86_400_000 + 1000);
      const expired = await fixture.client().get(first);
      assert.equal(expired.status, 403);
      assert.match(expired.text, /This invitation has expired/);

      const list = async (status?: string) =>
        (await fixture.client().get(`/api/invite/invitations${status ? `?status=${status}` : ''}`, { headers: tokenAuth(owner.token) })).body as Json & { results: Json[] };
      const listed = (await list('expired')).results.find((row) => row.email === email);
      assert.deepEqual(listed?.allowed_actions, ['resend', 'revoke']);
      assert.equal(listed?.status, 'expired');

      const resend = () => fixture.client().post('/api/invite/resend', { headers: tokenAuth(owner.token), json: { email } });
      assert.equal((await resend()).status, 200);
      const second = local(linkIn(await mailTo(email), ACCEPT));
      assert.notEqual(second, first);
      assert.equal((await fixture.client().get(first)).status, 403, 'a resend replaces the link');
      assert.equal((await fixture.client().get(second)).status, 200);
      for (let sends = 2; sends < MAX_INVITATION_SENDS; sends += 1) assert.equal((await resend()).status, 200);
      const limited = await resend();
      assert.equal(limited.status, 429);
      assert.equal((limited.body as Json).code, 'invite.send_limit');
      const page = await list('pending');
      assert.equal(page.email_enabled, true);
      assert.deepEqual(page.invitable_roles, ['AD', 'MA', 'RE', 'AN']);
      const row = page.results.find((r) => r.email === email);
      assert.deepEqual([row?.send_count, row?.sends_left, row?.allowed_actions], [MAX_INVITATION_SENDS, 0, ['revoke']]);
      assert.deepEqual(((await list('accepted')).results.map((r) => r.status)), (await list('accepted')).results.map(() => 'accepted'));
      const bad = await fixture.client().get('/api/invite/invitations?status=lost', { headers: tokenAuth(owner.token) });
      assert.equal(bad.status, 400);
      // A manager sees the list, with no action on an administrator's invitation.
      assert.equal((await sendEmail(owner.token, { emails: [`admin-${kind}@example.com`], role: 'AD' })).status, 200);
      const managerView = (await fixture.client().get('/api/invite/invitations?status=pending', { headers: tokenAuth(manager.token) })).body as { results: Json[]; invitable_roles: string[] };
      assert.deepEqual(managerView.results.find((r) => r.email === `admin-${kind}@example.com`)?.allowed_actions, []);
      assert.deepEqual(managerView.invitable_roles, ['MA', 'RE', 'AN']);
      const revokeAdmin = await fixture.client().post('/api/invite/revoke', { headers: tokenAuth(manager.token), json: { email: `admin-${kind}@example.com` } });
      assert.equal(revokeAdmin.status, 403);
    });

    test('every step is in the activity log', async () => {
      const rows = await fixture.ctx.database.db.selectFrom('activity_log').select(['action', 'organization_id', 'details']).where('action', 'like', 'invite.%').execute();
      const actions = new Set(rows.map((row) => row.action));
      for (const action of ['invite.sent', 'invite.resent', 'invite.revoked', 'invite.accepted']) assert.ok(actions.has(action), action);
      assert.ok(rows.every((row) => row.organization_id === orgId));
      assert.ok(rows.every((row) => !row.details.includes('token')));
    });
  });

  describe(`e-mail invitations without SMTP [${kind}]`, { skip: skipReason(kind) }, () => {
    const fixture = useTestServer(kind);
    test('send-email answers 400 mail.not_configured with a clear detail; the invite link keeps working', async () => {
      const owner = await buildOwner(fixture.ctx);
      const refused = await fixture.client().post('/api/invite/send-email', { ...sdk(owner.token), json: { emails: ['a@example.com'], role: 'AN' } });
      assert.equal(refused.status, 400);
      assert.equal((refused.body as Json).code, 'mail.not_configured');
      assert.match((refused.body as Json).detail as string, /cannot send e-mail.*Share the invite link/);
      const list = (await fixture.client().get('/api/invite/invitations', { headers: tokenAuth(owner.token) })).body as Json;
      assert.equal(list.email_enabled, false);
      const invite = (await fixture.client().get('/api/invite', { headers: tokenAuth(owner.token) })).body as Json;
      const joined = await new HttpClient(fixture.server.baseUrl).signup('linked@example.com', 'linked-pass-31', invite.token as string);
      assert.equal(joined.status, 302);
    });
  });
}
