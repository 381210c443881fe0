import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';
import { browserSkipReason, openBrowser, type BrowserSession } from '../helpers/browser.js';
import { buildOwner, type TestUser } from '../helpers/factories.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { linkIn } from '../helpers/smtp-test-server.js';
import { useMailingServer } from './mail-steps.js';
import { assertAccessible, logIn, screenshotPath, storySteps, WEB_DIST } from './steps.js';

const NEW_PASSWORD = 'fresh-start-pass-7';

for (const kind of DATABASE_KINDS) {
  describe(`web pages: forgotten password, from the e-mail to a login [${kind}]`, { skip: skipReason(kind) || browserSkipReason(WEB_DIST) }, () => {
    const step = storySteps();
    const clock = new ManualClock();
    const server = useMailingServer(kind, { clock });
    let browser: BrowserSession;
    let owner: TestUser;
    let link = '';

    before(async () => {
      browser = await openBrowser(server().baseUrl);
      owner = await buildOwner(server().ctx, { email: `ada-${kind}@example.com`, password: 'first-owner-pass-1' });
    });
    after(async () => browser?.close());

    const requestLink = async (email: string) => {
      const { page } = browser;
      await page.goto('/user/login/');
      await page.getByRole('link', { name: 'Forgot password?' }).click();
      await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
      await page.getByLabel('Email Address').fill(email);
      await page.getByRole('button', { name: 'Send reset link' }).click();
      await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
      return page.locator('main').innerText();
    };

    step('the login page leads to the request page; the request is answered and the message arrives', async () => {
      const { page } = browser;
      await page.goto('/user/password-reset/');
      await assertAccessible(page, 'the password reset request page');
      await page.screenshot({ path: screenshotPath('password-reset-request.png') });
      const answer = await requestLink(owner.email);
      await assertAccessible(page, 'the check-your-inbox page');
      const [mail] = await server().smtp.waitFor(1);
      assert.deepEqual(mail?.to, [owner.email]);
      link = linkIn(mail!, `${server().baseUrl}/user/password-reset/confirm/?token=`);
      assert.ok(mail?.html.includes(link));
      assert.match(answer, /If an account exists for that e-mail address/);
    });

    step('an unknown address gets the same answer and no message', async () => {
      const answerKnown = await requestLink(owner.email);
      const answerUnknown = await requestLink(`nobody-${kind}@example.com`);
      assert.equal(answerUnknown, answerKnown);
      await server().ctx.mailer.flush();
      assert.deepEqual(server().smtp.received.map((m) => m.to[0]), [owner.email, owner.email]);
    });

    step('the link opens the set-new-password page; a weak password is refused with the rule; a good one is set', async () => {
      const { page } = browser;
      await page.goto(link);
      await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
      await page.getByText(owner.email).waitFor();
      await assertAccessible(page, 'the set-new-password page');
      await page.screenshot({ path: screenshotPath('password-reset-confirm.png') });
      await page.getByLabel('New password', { exact: true }).fill('password');
      await page.getByLabel('Confirm new password').fill('password');
      await page.getByRole('button', { name: 'Set new password' }).click();
      await page.getByRole('alert').filter({ hasText: /common/ }).waitFor();
      await assertAccessible(page, 'the set-new-password page with an error');
      await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
      await page.getByLabel('Confirm new password').fill(NEW_PASSWORD);
      await page.getByRole('button', { name: 'Set new password' }).click();
      await page.getByRole('heading', { name: 'Password changed' }).waitFor();
      await assertAccessible(page, 'the password-changed page');
    });

    step('the new password logs in; the old one does not', async () => {
      const { page } = browser;
      await page.getByRole('link', { name: 'Log in' }).click();
      await page.getByLabel('Email Address').fill(owner.email);
      await page.getByLabel('Password').fill(owner.password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByText("The email and password you entered don't match.").waitFor();
      await logIn(page, owner.email, NEW_PASSWORD);
      await page.getByRole('heading', { name: 'Projects', level: 1 }).waitFor();
    });

    step('the link fails a second time, and a fresh link fails after it expires', async () => {
      const { page } = browser;
      await page.goto(link);
      await page.getByRole('heading', { name: 'Link not valid' }).waitFor();
      await assertAccessible(page, 'the invalid link page');
      await page.screenshot({ path: screenshotPath('password-reset-invalid.png') });
      await browser.context.clearCookies();
      await requestLink(owner.email);
      const mails = await server().smtp.waitFor(3);
      const fresh = linkIn(mails[2]!, `${server().baseUrl}/user/password-reset/confirm/?token=`);
      clock.advance(server().ctx.config.mail.passwordResetSeconds * 1000 + 1000);
      await page.goto(fresh);
      await page.getByRole('heading', { name: 'Link not valid' }).waitFor();
    });
  });

  describe(`web pages: forgotten password without e-mail [${kind}]`, { skip: skipReason(kind) || browserSkipReason(WEB_DIST) }, () => {
    const server = useMailingServer(kind, {}, {}, false);
    let browser: BrowserSession;
    before(async () => {
      browser = await openBrowser(server().baseUrl);
    });
    after(async () => browser?.close());

    test('the request page says to ask an administrator', async () => {
      const { page } = browser;
      await page.goto('/user/login/');
      await page.getByRole('link', { name: 'Forgot password?' }).click();
      await page.getByText('Ask an administrator to set a new password for you (label-studio reset_password).').waitFor();
      assert.equal(await page.getByRole('button', { name: 'Send reset link' }).count(), 0);
      await assertAccessible(page, 'the password reset page without mail');
    });
  });
}
