/**
 * Two-factor sign-in in headless Chromium, on each database: the owner sets it up on the Account page (codes computed
 * with otplib from the setup key the page shows), logs in through the second page (a wrong code refused, then a right
 * one, then a recovery code once), requires it for the organization; a newcomer is sent to the set-up page before
 * anything else; the owner resets the newcomer's second factor on the People page and finally turns their own off.
 * Each new page is checked with axe and photographed.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { Page } from 'playwright-core';
import { generate } from 'otplib';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';
import { browserSkipReason, openBrowser, type BrowserSession } from '../helpers/browser.js';
import { useTestServer, type TestServer } from '../helpers/test-server.js';
import { assertAccessible, logIn, overflowsHorizontally, screenshotPath, sessionApi, signUp, storySteps, until, WEB_DIST } from './steps.js';

const OWNER = { email: 'ada@example.com', password: 'owner-pass-1' };
const NEWCOMER = { email: 'alan@example.com', password: 'newcomer-pass-1' };

/**
 * An authenticator app that never repeats a code: each call answers the code of a step later than the last one it
 * gave (the server refuses a step already used), within the server's window of one step ahead, waiting for the clock
 * when that window is used up.
 */
function authenticator(secret: string) {
  let last = 0;
  return async (): Promise<string> => {
    for (;;) {
      const current = Math.floor(Date.now() / 30_000);
      const step = Math.max(current, last + 1);
      if (step <= current + 1) {
        last = step;
        return generate({ secret, epoch: step * 30 });
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  };
}

/** Enrols on whatever page shows the set-up (Account page section or the stand-alone page); answers the app and the codes. */
async function enrolOn(page: Page, shot?: string) {
  const key = page.getByLabel("Can't scan it? Enter this setup key in the app");
  const secret = (await until('the setup key', async () => key.inputValue())).replace(/\s/g, '');
  assert.match(secret, /^[A-Z2-7]{32}$/);
  const qr = page.getByRole('img', { name: 'QR code to scan with your authenticator app' });
  assert.match((await qr.getAttribute('src')) ?? '', /^data:image\/svg\+xml;base64,/);
  assert.ok(await qr.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth > 0), 'the QR code image renders');
  const app = authenticator(secret);
  if (shot) {
    // What the app shows now, typed but not sent (sending it would use up the step the test's app answers next).
    await page.getByLabel('Enter the 6-digit code the app shows').fill(await generate({ secret }));
    await page.screenshot({ path: screenshotPath(shot), fullPage: true });
  }
  await page.getByLabel('Enter the 6-digit code the app shows').fill('000000' === (await generate({ secret })) ? '111111' : '000000');
  await page.getByRole('button', { name: 'Turn on' }).click();
  await page.getByText('That code is not right').waitFor();
  await page.getByLabel('Enter the 6-digit code the app shows').fill(await app());
  await page.getByRole('button', { name: 'Turn on' }).click();
  const list = page.getByRole('list', { name: 'Recovery codes' });
  await list.waitFor();
  const codes = (await list.getByRole('listitem').allInnerTexts()).map((text) => text.trim());
  assert.equal(codes.length, 10);
  return { app, codes };
}

/** Logs out once the page is idle: a request still in flight would answer 401 and navigate on its own. */
async function logOut(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.goto('/logout');
  await page.waitForURL((url) => url.pathname === '/user/login/');
}

/** The login form, then the second page with `code`. */
async function logInWithCode(page: Page, email: string, password: string, code: string): Promise<void> {
  await page.goto('/user/login/');
  await page.getByLabel('Email Address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((url) => url.pathname === '/user/login/two-factor/');
  await page.getByLabel('Authentication code').fill(code);
  await page.getByRole('button', { name: 'Verify' }).click();
}

for (const kind of DATABASE_KINDS) {
  describe(`web app: two-factor sign-in [${kind}]`, { skip: skipReason(kind) || browserSkipReason(WEB_DIST) }, () => {
    const step = storySteps();
    const fixture = useTestServer(kind);
    let server: TestServer;
    let owner: BrowserSession;
    let newcomer: BrowserSession;
    let ownerApp: () => Promise<string>;
    let ownerCodes: string[] = [];

    before(async () => {
      server = fixture.server;
      owner = await openBrowser(server.baseUrl);
      newcomer = await openBrowser(server.baseUrl);
    });
    after(async () => {
      await owner?.close();
      await newcomer?.close();
    });

    step('the owner sets it up on the Account page: QR code, setup key, a code, then the recovery codes once', async () => {
      const { page } = owner;
      await signUp(page, OWNER.email, OWNER.password);
      await page.goto('/user/account/two-factor');
      const section = page.locator('#two-factor');
      await section.getByText('Off.').waitFor();
      await section.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
      await assertAccessible(page, 'the set-up on the Account page');
      ({ app: ownerApp, codes: ownerCodes } = await enrolOn(page));
      await page.screenshot({ path: screenshotPath('two-factor-recovery-codes.png') });
      await assertAccessible(page, 'the recovery codes');
      await section.getByRole('button', { name: 'I have saved them' }).click();
      await section.getByText(/^On since/).waitFor();
      assert.match(await section.innerText(), /Recovery codes left\s+10 of 10/);
      await section.scrollIntoViewIfNeeded();
      await page.screenshot({ path: screenshotPath('account-two-factor.png') });
    });

    step('login: the second page asks for a code; a wrong one is refused, a right one leads on', async () => {
      const { page } = owner;
      await logOut(page);
      await page.goto('/user/login/?next=/user/account/');
      await page.getByLabel('Email Address').fill(OWNER.email);
      await page.getByLabel('Password').fill(OWNER.password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL((url) => url.pathname === '/user/login/two-factor/' && url.searchParams.get('next') === '/user/account/');
      await page.getByRole('heading', { name: 'Two-factor sign-in' }).waitFor();
      await assertAccessible(page, 'the login’s second page');
      await page.screenshot({ path: screenshotPath('two-factor-login.png') });
      await page.getByLabel('Authentication code').fill('12345');
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.getByText('That code is not right').waitFor();
      assert.equal(await page.getByLabel('Authentication code').getAttribute('aria-invalid'), 'true');
      await assertAccessible(page, 'the second page with its error');
      await page.getByLabel('Authentication code').fill(await ownerApp());
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.waitForURL('**/user/account/');
      await page.getByRole('heading', { name: 'Account & Settings' }).waitFor();
    });

    step('a recovery code logs in once; the same code again is refused', async () => {
      const { page } = owner;
      const [code, another] = ownerCodes;
      await logOut(page);
      await logInWithCode(page, OWNER.email, OWNER.password, code ?? '');
      await page.waitForURL('**/projects/');
      await logOut(page);
      await logInWithCode(page, OWNER.email, OWNER.password, code ?? '');
      await page.getByText('That code is not right').waitFor();
      await page.getByLabel('Authentication code').fill(another ?? '');
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.waitForURL('**/projects/');
    });

    step('the owner requires two-factor sign-in for the organization', async () => {
      const { page } = owner;
      await page.goto('/organization/settings/');
      const box = page.getByRole('checkbox', { name: 'Require two-factor sign-in for every member' });
      assert.equal(await box.isChecked(), false);
      await box.check();
      const section = page.locator('section', { has: page.getByRole('heading', { name: 'Two-factor sign-in' }) });
      await section.getByRole('button', { name: 'Save' }).click();
      await section.getByText('Saved').waitFor();
      await assertAccessible(page, 'the organization settings');
      await page.screenshot({ path: screenshotPath('organization-two-factor.png') });
    });

    step('a newcomer is sent to set it up before anything else, then goes on where they were going', async () => {
      const { page } = newcomer;
      const invite = (await sessionApi(owner.context).get('/api/invite')).body.invite_url as string;
      await page.goto(`${server.baseUrl}${invite}`);
      await page.getByLabel('Email Address').fill(NEWCOMER.email);
      await page.getByLabel('Password').fill(NEWCOMER.password);
      await page.getByRole('button', { name: 'Create Account' }).click();
      await page.waitForURL((url) => url.pathname === '/user/two-factor/setup/' && url.searchParams.get('next') === '/projects/');
      await page.getByRole('heading', { name: 'Set up two-factor sign-in', level: 1 }).waitFor();
      await page.getByText('Your organization requires two-factor sign-in.').waitFor();
      // Nothing else answers until it is done, whatever the address.
      await page.goto('/organization/');
      await page.waitForURL((url) => url.pathname === '/user/two-factor/setup/' && url.searchParams.get('next') === '/organization/');
      const refused = await page.context().request.get('/api/current-user/whoami');
      assert.equal(refused.status(), 403);
      await assertAccessible(page, 'the stand-alone set-up page');
      assert.equal(await overflowsHorizontally(page), false);
      await enrolOn(page, 'two-factor-setup.png');
      await assertAccessible(page, 'the recovery codes on the set-up page');
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.waitForURL('**/organization/');
      await page.getByRole('heading', { name: 'People', level: 1 }).waitFor();
    });

    step('the owner resets the newcomer’s second factor on the People page; it is in the activity log', async () => {
      const { page } = owner;
      await page.goto('/organization/');
      await page.getByRole('button', { name: NEWCOMER.email }).click();
      const panel = page.locator('#member-panel');
      await panel.getByText(/^On since/).waitFor();
      await panel.getByRole('button', { name: 'Reset two-factor sign-in…' }).click();
      const confirm = page.getByRole('dialog', { name: `Reset two-factor sign-in of ${NEWCOMER.email}?` });
      await assertAccessible(page, 'the reset confirmation');
      await page.screenshot({ path: screenshotPath('two-factor-reset.png') });
      await confirm.getByRole('button', { name: 'Reset' }).click();
      await panel.getByText(`Two-factor sign-in of ${NEWCOMER.email} is reset.`).waitFor();
      await panel.getByText('Off', { exact: true }).waitFor();
      const log = await sessionApi(owner.context).get('/api/activity-logs/?action=user.two_factor_reset');
      const [first] = log.body as unknown as [{ data: Array<{ extra_data: { details: { email: string } } }> }];
      assert.equal(first.data[0]?.extra_data.details.email, NEWCOMER.email);
    });

    step('new recovery codes take the password (the old ones stop working); turning it off takes a code; then the password alone logs in', async () => {
      const { page } = owner;
      await page.goto('/user/account/two-factor');
      const section = page.locator('#two-factor');
      await section.getByRole('button', { name: 'New recovery codes…' }).click();
      const dialog = page.getByRole('dialog', { name: 'New recovery codes' });
      await dialog.getByLabel('Password').fill('not-the-password');
      await dialog.getByRole('button', { name: 'Make new codes' }).click();
      await dialog.getByText('That password is not right.').waitFor();
      await assertAccessible(page, 'the confirmation with the password');
      await dialog.getByLabel('Password').fill(OWNER.password);
      await dialog.getByRole('button', { name: 'Make new codes' }).click();
      const fresh = section.getByRole('list', { name: 'Recovery codes' });
      await fresh.waitFor();
      const [newCode] = (await fresh.getByRole('listitem').allInnerTexts()).map((text) => text.trim());
      assert.ok(newCode && !ownerCodes.includes(newCode));
      await section.getByRole('button', { name: 'I have saved them' }).click();

      // The organization requires it: stop requiring it first, so that turning it off is the end of it.
      await sessionApi(owner.context).patch(`/api/organizations/${(await sessionApi(owner.context).get('/api/current-user/whoami')).body.active_organization as number}/two-factor`, { require_two_factor: false });
      await section.getByRole('button', { name: 'Turn off…' }).click();
      const off = page.getByRole('dialog', { name: 'Turn off two-factor sign-in' });
      await off.getByLabel('Or a code from your app (or a recovery code)').fill(ownerCodes[2] ?? '');
      await off.getByRole('button', { name: 'Turn off' }).click();
      await off.getByText('That code is not right').waitFor();
      await off.getByLabel('Or a code from your app (or a recovery code)').fill(newCode);
      await off.getByRole('button', { name: 'Turn off' }).click();
      await section.getByText('Two-factor sign-in is off.').waitFor();
      await logOut(page);
      await logIn(page, OWNER.email, OWNER.password);
    });
  });
}
