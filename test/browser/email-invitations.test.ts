import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';
import { browserSkipReason, openBrowser, type BrowserSession } from '../helpers/browser.js';
import { buildOwner, buildUser, type TestUser } from '../helpers/factories.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { linkIn, type ReceivedMail } from '../helpers/smtp-test-server.js';
import { useMailingServer } from './mail-steps.js';
import { assertAccessible, logIn, screenshotPath, sessionApi, storySteps, until, WEB_DIST } from './steps.js';

for (const kind of DATABASE_KINDS) {
  describe(`web app: e-mail invitations, sent from People and accepted in the browser [${kind}]`, { skip: skipReason(kind) || browserSkipReason(WEB_DIST) }, () => {
    const step = storySteps();
    const clock = new ManualClock();
    const server = useMailingServer(kind, { clock });
    let owner: TestUser;
    let existing: TestUser;
    let admin: BrowserSession;
    let invitee: BrowserSession;
    const [joining, withdrawn, late] = [`katherine-${kind}@example.com`, `alan-${kind}@example.com`, `margaret-${kind}@example.com`];
    const acceptPrefix = () => `${server().baseUrl}/user/invite/accept/?token=`;
    /** The latest message to an address, once the outbox has sent what is committed. */
    const mailTo = async (email: string): Promise<ReceivedMail> => {
      await server().ctx.mailer.flush();
      const mail = server().smtp.received.filter((m) => m.to.includes(email)).at(-1);
      if (!mail) throw new Error(`no mail to ${email}`);
      return mail;
    };

    before(async () => {
      owner = await buildOwner(server().ctx, { email: `ada-${kind}@example.com`, password: 'owner-pass-for-invites' });
      existing = await buildUser(server().ctx, { email: `grace-${kind}@example.com`, password: 'grace-has-an-account' });
      admin = await openBrowser(server().baseUrl);
      invitee = await openBrowser(server().baseUrl);
    });
    after(async () => {
      await admin?.close();
      await invitee?.close();
    });

    step('Add People sends invitations by e-mail in the chosen role', async () => {
      const { page } = admin;
      await logIn(page, owner.email, owner.password);
      await page.goto('/organization/');
      await page.getByRole('button', { name: 'Add People' }).click();
      const dialog = page.getByRole('dialog', { name: 'Invite people' });
      await dialog.getByLabel('E-mail addresses').fill(`${joining}, ${withdrawn}\n${existing.email}`);
      await dialog.getByLabel('Role').selectOption({ label: 'Reviewer' });
      await dialog.getByRole('button', { name: 'Send invitations' }).click();
      await dialog.getByText('Invitation sent to 3 addresses.').waitFor();
      await assertAccessible(page, 'the invite dialog after sending');
      await page.screenshot({ path: screenshotPath('invite-by-email.png') });
      const mail = await mailTo(joining);
      assert.equal(mail.subject, 'Join Label Studio on Label Studio');
      assert.match(mail.text, /invited you to join the organization Label Studio on Label Studio as Reviewer/);
      await dialog.getByRole('button', { name: 'Close' }).click();
    });

    step('People lists the open invitations; one is resent, one revoked after a confirmation', async () => {
      const { page } = admin;
      const section = page.getByRole('region', { name: 'Invitations' });
      await section.getByText(joining).waitFor();
      assert.equal(await section.locator('tbody tr').count(), 3);
      const firstLink = linkIn(await mailTo(joining), acceptPrefix());
      await section.getByRole('button', { name: `Resend the invitation of ${joining}` }).click();
      await section.getByText(`Invitation sent again to ${joining}. The earlier link no longer works.`).waitFor();
      const secondLink = linkIn(await mailTo(joining), acceptPrefix());
      assert.notEqual(secondLink, firstLink);
      await section.getByRole('button', { name: `Revoke the invitation of ${withdrawn}` }).click();
      const confirm = page.getByRole('dialog', { name: `Revoke the invitation of ${withdrawn}?` });
      await assertAccessible(page, 'the revoke confirmation');
      await confirm.getByRole('button', { name: 'Revoke invitation' }).click();
      await section.getByText(`The invitation of ${withdrawn} was revoked.`).waitFor();
      await until('the revoked invitation gone from the list', async () => (await section.locator('tbody tr').count()) === 2);
      await section.locator(`tr[data-email="${joining}"]`).getByText('2 times').waitFor();
      await assertAccessible(page, 'the People page with invitations');
      await section.scrollIntoViewIfNeeded();
      await page.screenshot({ path: screenshotPath('people-invitations.png'), fullPage: true });
    });

    step('the invitee follows the link, chooses a password and lands in the organization as Reviewer', async () => {
      const { page, context } = invitee;
      await page.goto(linkIn(await mailTo(joining), acceptPrefix()));
      await page.getByRole('heading', { name: 'Join Label Studio' }).waitFor();
      await page.getByText('as Reviewer').waitFor();
      assert.equal(await page.getByLabel('Email Address').inputValue(), joining);
      await assertAccessible(page, 'the invitation page');
      await page.screenshot({ path: screenshotPath('invitation-accept.png') });
      await page.getByLabel('Password').fill('katherine-joins-now');
      await page.getByRole('button', { name: 'Create Account and Join' }).click();
      await page.waitForURL('**/projects/');
      const me = (await sessionApi(context).get('/api/current-user/whoami')).body;
      assert.equal(me.email, joining);
      assert.equal((me.organization_membership as Record<string, unknown>).role, 'RE');
    });

    step('the used, the replaced and the revoked links are refused', async () => {
      const { page, context } = invitee;
      // Leave the app first: its requests still under way would answer 401 and navigate to the login page mid-goto.
      await page.goto('about:blank');
      await context.clearCookies();
      await page.goto(linkIn(await mailTo(joining), acceptPrefix()));
      await page.getByText('This invitation was already accepted.').waitFor();
      await page.goto(linkIn(await mailTo(withdrawn), acceptPrefix()));
      await page.getByRole('heading', { name: 'Invitation not valid' }).waitFor();
      await page.getByText('This invitation was withdrawn.').waitFor();
      await assertAccessible(page, 'the invalid invitation page');
      await page.screenshot({ path: screenshotPath('invitation-invalid.png') });
    });

    step('an expired link is refused', async () => {
      const api = sessionApi(admin.context);
      await api.post('/api/invite/send-email', { emails: [late], role: 'AN' }, 200);
      const link = linkIn(await mailTo(late), acceptPrefix());
      clock.advance(server().ctx.config.mail.inviteExpiryDays * 86_400_000 + 60_000);
      await invitee.page.goto(link);
      await invitee.page.getByText('This invitation has expired.').waitFor();
    });

    step('an existing account accepts, then logs in, and is in the organization in the role', async () => {
      const { page, context } = invitee;
      await context.clearCookies();
      // Renewed by the admin after the clock moved (a week: their session ended meanwhile): a fresh link and expiry.
      await logIn(admin.page, owner.email, owner.password);
      await sessionApi(admin.context).post('/api/invite/resend', { email: existing.email }, 200);
      await page.goto(linkIn(await mailTo(existing.email), acceptPrefix()));
      await page.getByText(`An account exists for ${existing.email}.`).waitFor();
      await assertAccessible(page, 'the invitation page for an existing account');
      await page.getByRole('button', { name: 'Accept and log in' }).click();
      await page.waitForURL('**/user/login/');
      await logIn(page, existing.email, existing.password);
      const me = (await sessionApi(context).get('/api/current-user/whoami')).body;
      assert.deepEqual([me.active_organization, (me.organization_membership as Record<string, unknown>).role], [owner.user.active_organization_id, 'RE']);
    });
  });
}
