import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';
import { browserSkipReason, openBrowser, type BrowserSession } from '../helpers/browser.js';
import { useTestServer, type TestServer } from '../helpers/test-server.js';
import { gradientPng } from '../helpers/png.js';
import { assertAccessible, overflowsHorizontally, screenshotPath, sessionApi, signUp, storySteps, until, WEB_DIST } from './steps.js';

const OWNER = { email: 'ada@example.com', password: 'owner-pass-1' };

for (const kind of DATABASE_KINDS) {
  describe(`web app: Account & Settings [${kind}]`, { skip: skipReason(kind) || browserSkipReason(WEB_DIST) }, () => {
    const step = storySteps();
    // A fresh install: legacy tokens off, as in organizations Label Studio creates.
    const fixture = useTestServer(kind, { security: { enableLegacyApiToken: false } });
    let server: TestServer;
    let owner: BrowserSession;
    /** The personal access token created on the page, revoked a step later. */
    let token = '';

    before(async () => {
      server = fixture.server;
      owner = await openBrowser(server.baseUrl);
      await signUp(owner.page, OWNER.email, OWNER.password);
    });
    after(async () => {
      await owner?.close();
    });

    const tokenStatus = async (header: string) =>
      (await owner.context.request.get('/api/current-user/whoami', { headers: { Authorization: header } })).status();

    step('the owner turns legacy tokens on in API Tokens Settings', async () => {
      const { page } = owner;
      await page.goto('/organization/');
      await page.getByRole('button', { name: 'API Tokens Settings' }).click();
      const dialog = page.getByRole('dialog', { name: 'API Tokens Settings' });
      const legacy = dialog.getByRole('checkbox', { name: /Legacy Tokens/ });
      assert.equal(await legacy.isChecked(), false, 'new organizations start with legacy tokens off');
      await legacy.check();
      await dialog.getByRole('button', { name: 'Save Changes' }).click();
      await dialog.getByText('Settings saved').waitFor();
      await assertAccessible(page, 'the token settings dialog');
      await dialog.getByRole('button', { name: 'Close', exact: true }).click();
      const settings = await sessionApi(owner.context).get('/api/jwt/settings');
      assert.equal(settings.body.legacy_api_tokens_enabled, true);
      assert.equal(settings.body.api_tokens_enabled, true);
    });

    step('the account menu leads to Account & Settings, with the membership and the real role', async () => {
      const { page } = owner;
      await page.getByRole('button', { name: /Account menu/ }).click();
      await page.getByRole('menuitem', { name: 'Account & Settings' }).click();
      await page.waitForURL('**/user/account/');
      const info = page.locator('#membership-info');
      await info.getByText('My role').waitFor();
      const me = (await sessionApi(owner.context).get('/api/current-user/whoami')).body;
      const text = await info.innerText();
      for (const line of [`User ID\n${me.id}`, 'Annotations Submitted\n0', 'Projects contributed to\n0', 'Organization\nLabel Studio', 'My role\nOwner', `Organization ID\n${me.active_organization}`, `Owner\n${OWNER.email}`]) {
        assert.ok(text.replace(/\t/g, '\n').includes(line), `membership info shows "${line}":\n${text}`);
      }
      await assertAccessible(page, 'the account page');
    });

    step('Personal Info: name and phone are saved; an oversized value is refused at its field', async () => {
      const { page } = owner;
      await page.getByLabel('First Name').fill('Ada');
      await page.getByLabel('Last Name').fill('Lovelace');
      await page.getByLabel('Phone').fill('x'.repeat(300));
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Please correct the fields above.').waitFor();
      assert.equal(await page.getByLabel('Phone').getAttribute('aria-invalid'), 'true');
      await page.getByLabel('Phone').fill('+44 20 7946 0000');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.locator('#personal-info').getByText('Saved').waitFor();
      await page.getByRole('button', { name: /Ada Lovelace/ }).waitFor();
      assert.equal(await page.getByLabel('E-mail').getAttribute('readonly'), '');
      await page.reload();
      assert.equal(await page.getByLabel('First Name').inputValue(), 'Ada');
      assert.equal(await page.getByLabel('Phone').inputValue(), '+44 20 7946 0000');
    });

    step('Email Preferences: the newsletter choice is saved at once', async () => {
      const { page } = owner;
      await page.getByRole('checkbox', { name: 'Subscribe to Label Studio news and tips' }).check();
      await page.getByText('Subscribed').waitFor();
      assert.equal((await sessionApi(owner.context).get('/api/current-user/whoami')).body.allow_newsletters, true);
    });

    step('avatar: the server refuses a too-large picture with its message, accepts a real PNG', async () => {
      const { page } = owner;
      await page.locator('#avatar-file').setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: gradientPng(1300, 1300) });
      await page.getByText('Please use an image that is 1200 x 1200 pixels or smaller.').waitFor();
      await page.locator('#avatar-file').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: gradientPng(96, 96) });
      await page.getByText('Picture updated').waitFor();
      const src = await page.locator('#personal-info img.avatar').getAttribute('src');
      assert.match(src ?? '', /\/data\/avatars\//);
      const image = await owner.context.request.get(src ?? '');
      assert.equal(image.status(), 200);
      assert.equal(image.headers()['content-type'], 'image/png');
      await page.locator('.topbar img.avatar').waitFor();
    });

    step('Access Token: copy, example curl, reset after confirmation; the old token stops working', async () => {
      const { page } = owner;
      const section = page.locator('#legacy-token');
      const field = section.getByLabel('Access Token');
      const old = await until('the legacy token', async () => field.inputValue());
      assert.equal(await tokenStatus(`Token ${old}`), 200);
      assert.equal(await section.getByLabel('Example CURL Request').inputValue(), `curl -X GET ${server.baseUrl}/api/projects/ -H 'Authorization: Token ${old}'`);
      await section.getByRole('button', { name: 'Copy' }).first().click();
      await section.getByRole('button', { name: 'Copied!' }).waitFor();

      await section.getByRole('button', { name: 'Reset' }).click();
      const confirm = page.getByRole('dialog', { name: 'Reset Access Token' });
      await confirm.getByRole('button', { name: 'Reset' }).click();
      await section.getByText('Token reset.').waitFor();
      const fresh = await field.inputValue();
      assert.notEqual(fresh, old);
      assert.ok((await section.getByLabel('Example CURL Request').inputValue()).includes(fresh));
      assert.equal(await tokenStatus(`Token ${old}`), 401);
      assert.equal(await tokenStatus(`Token ${fresh}`), 200);
    });

    step('Personal Access Token: created and shown once, one at a time', async () => {
      const { page } = owner;
      const section = page.locator('#personal-access-token');
      await section.getByText('No personal access token').waitFor();
      await section.getByRole('button', { name: 'Create New Token' }).click();
      const dialog = page.getByRole('dialog', { name: 'New Auth Token' });
      token = await dialog.getByLabel('Personal access token').inputValue();
      assert.equal(token.split('.').length, 3, 'the full JWT is shown');
      await dialog.getByRole('button', { name: 'Copy' }).click();
      await dialog.getByRole('button', { name: 'Copied!' }).waitFor();
      await dialog.getByRole('button', { name: 'Done' }).click();

      const listed = section.getByRole('list', { name: 'Your tokens' }).getByRole('listitem');
      await listed.first().waitFor();
      assert.equal(await listed.count(), 1);
      assert.ok(token.startsWith(await listed.locator('code').innerText()), 'the list shows the token without its signature');
      assert.equal(await section.getByRole('button', { name: 'Create New Token' }).isDisabled(), true);
      await section.getByText('You can only have one active token').waitFor();
    });

    step('the whole page, for the README', async () => {
      const { page } = owner;
      await page.getByRole('heading', { name: 'Access Token', exact: true }).waitFor();
      // "Copied!" lasts 1.5 s: let the buttons settle before the picture.
      await page.getByRole('button', { name: 'Copied!' }).waitFor({ state: 'detached' });
      await page.evaluate('window.scrollTo(0, 0)');
      await page.screenshot({ path: screenshotPath('account.png'), fullPage: true });
      await assertAccessible(page, 'the account page with every section');
    });

    step('Personal Access Token: revoked after confirmation, then refused', async () => {
      const { page } = owner;
      const section = page.locator('#personal-access-token');
      const listed = section.getByRole('list', { name: 'Your tokens' }).getByRole('listitem');
      const refresh = () => owner.context.request.post('/api/token/refresh/', { data: { refresh: token } });
      assert.equal((await refresh()).status(), 200);
      await listed.getByRole('button', { name: 'Revoke' }).click();
      const confirm = page.getByRole('dialog', { name: 'Revoke Token' });
      await confirm.getByText('Are you sure you want to delete this access token?').waitFor();
      await confirm.getByRole('button', { name: 'Revoke' }).click();
      await section.getByText('No personal access token').waitFor();
      assert.equal((await refresh()).status(), 401);
    });

    step('avatar delete brings the initials back', async () => {
      const { page } = owner;
      await page.getByRole('button', { name: 'Delete' }).click();
      await page.getByText('Picture removed').waitFor();
      await page.locator('#personal-info img.avatar').waitFor({ state: 'detached' });
      assert.equal((await sessionApi(owner.context).get('/api/current-user/whoami')).body.avatar, null);
    });

    step('the account page fits 1024 pixels', async () => {
      const { page } = owner;
      await page.setViewportSize({ width: 1024, height: 768 });
      try {
        assert.equal(await overflowsHorizontally(page), false);
      } finally {
        await page.setViewportSize({ width: 1280, height: 800 });
      }
    });

    step('Log out from the account menu ends the session', async () => {
      const { page } = owner;
      await page.getByRole('button', { name: /Account menu/ }).click();
      await page.getByRole('menuitem', { name: 'Log out' }).click();
      await page.waitForURL('**/user/login/');
      await page.goto('/user/account/');
      assert.equal(new URL(page.url()).pathname, '/user/login/');
      assert.equal((await owner.context.request.get('/api/current-user/whoami')).status(), 401);
    });
  });
}
