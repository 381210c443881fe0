import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';
import { browserSkipReason, openBrowser, type BrowserSession } from '../helpers/browser.js';
import { useTestServer, type TestServer } from '../helpers/test-server.js';
import { assertAccessible, labelStudioDate, overflowsHorizontally, screenshotPath, sessionApi, signUp, storySteps, until, WEB_DIST } from './steps.js';

const OWNER = { email: 'ada@example.com', password: 'owner-pass-1' };
const MEMBER = { email: 'grace@example.com', password: 'member-pass-1' };
const RESULT = [{ from_name: 'label', to_name: 'text', type: 'choices', value: { choices: ['pos'] } }];

for (const kind of DATABASE_KINDS) {
  describe(`web app: sign-up, invite and the People page [${kind}]`, { skip: skipReason(kind) || browserSkipReason(WEB_DIST) }, () => {
    const step = storySteps();
    const fixture = useTestServer(kind);
    let server: TestServer;
    let owner: BrowserSession;
    let member: BrowserSession;
    let inviteLink = '';
    const projects = { owner: 0, member: 0 };

    before(async () => {
      server = fixture.server;
      owner = await openBrowser(server.baseUrl);
      member = await openBrowser(server.baseUrl);
    });
    after(async () => {
      await owner?.close();
      await member?.close();
    });

    step('pages need a login: anonymous visitors go to the login form and come back', async () => {
      const { page } = owner;
      await page.goto('/organization/?page_size=50');
      assert.equal(new URL(page.url()).pathname, '/user/login/');
      assert.equal(new URL(page.url()).searchParams.get('next'), '/organization/?page_size=50');
      await assertAccessible(page, 'the login page');
      await page.getByRole('link', { name: 'Sign up' }).click();
      await page.getByRole('heading', { name: 'Sign Up' }).waitFor();
      await assertAccessible(page, 'the sign-up page');
    });

    step('the first user signs up through the form and sees the empty projects page', async () => {
      const { page } = owner;
      await signUp(page, OWNER.email, OWNER.password);
      await page.getByText('No projects yet').waitFor();
      await assertAccessible(page, 'the projects page');
    });

    step('Add People shows the invite link without resetting it; Reset Link replaces it; Copy link copies', async () => {
      const { page } = owner;
      await page.getByRole('link', { name: 'Organization' }).click();
      await page.getByRole('heading', { name: 'People', level: 1 }).waitFor();
      await page.getByRole('button', { name: 'Add People' }).click();
      const dialog = page.getByRole('dialog', { name: 'Invite people' });
      const input = dialog.getByLabel('Invite link');
      const linkShown = async () => {
        const value = await input.inputValue();
        return value.includes('token=') ? value : '';
      };
      const first = await until('the invite link', linkShown);
      assert.match(first, new RegExp(`^${server.baseUrl}/user/signup/\\?token=[A-Za-z0-9]+$`));
      await assertAccessible(page, 'the invite dialog');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });

      await page.getByRole('button', { name: 'Add People' }).click();
      // Reopening shows the same link: opening the dialog must not reset it (Label Studio's newer dialog does).
      assert.equal(await until('the invite link again', linkShown), first);

      await dialog.getByRole('button', { name: 'Reset Link' }).click();
      await dialog.getByText('The link was reset.').waitFor();
      inviteLink = await input.inputValue();
      assert.notEqual(inviteLink, first);
      assert.match(inviteLink, /\/user\/signup\/\?token=/);

      await dialog.getByRole('button', { name: 'Copy link' }).click();
      await dialog.getByRole('button', { name: 'Copied!' }).waitFor();
      const clipboard = await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText());
      assert.equal(clipboard, inviteLink);
      await dialog.getByRole('button', { name: 'Close' }).click();
    });

    step('a second person signs up through the invite link in another browser', async () => {
      await signUp(member.page, MEMBER.email, MEMBER.password, inviteLink);
      const me = await sessionApi(member.context).get('/api/current-user/whoami');
      assert.equal(me.body.email, MEMBER.email);
    });

    step('through the API the member creates a project and annotates; the owner creates one too', async () => {
      const memberApi = sessionApi(member.context);
      const ownerApi = sessionApi(owner.context);
      await memberApi.patch(`/api/users/${(await memberApi.get('/api/current-user/whoami')).body.id}/`, {
        first_name: 'Grace',
        last_name: 'Hopper',
        phone: '+1 555 0100',
      });
      await ownerApi.patch(`/api/users/${await userIdOf(owner)}/`, { first_name: 'Ada', last_name: 'Lovelace' });
      // A few more people (made by the owner through the API, never signed in) fill the table as in real use.
      for (const [first, last] of [['Katherine', 'Johnson'], ['Alan', 'Turing'], ['Margaret', 'Hamilton']] as const) {
        const email = `${first.toLowerCase()}@example.com`;
        await ownerApi.post('/api/users/', { email, username: first.toLowerCase(), first_name: first, last_name: last });
      }
      projects.member = (await memberApi.post('/api/projects/', { title: 'Compiler corpus' })).body.id as number;
      projects.owner = (await ownerApi.post('/api/projects/', { title: 'Engine notes' })).body.id as number;
      const mine = await memberApi.post(`/api/projects/${projects.member}/import?return_task_ids=true`, [{ data: { text: 'a' } }]);
      const theirs = await ownerApi.post(`/api/projects/${projects.owner}/import?return_task_ids=true`, [{ data: { text: 'b' } }, { data: { text: 'c' } }]);
      for (const taskId of [(mine.body.task_ids as number[])[0], (theirs.body.task_ids as number[])[0]]) {
        await memberApi.post(`/api/tasks/${taskId}/annotations/`, { result: RESULT });
      }
    });

    step('an annotator sees People without invite controls, and their own role and counts', async () => {
      const { page } = member;
      await page.goto('/organization/');
      await page.locator('tbody tr').nth(4).waitFor();
      assert.equal(await page.getByRole('button', { name: 'Add People' }).count(), 0);
      assert.equal(await page.getByRole('button', { name: 'API Tokens Settings' }).count(), 0);
      await page.goto('/user/account/membership-info');
      const info = page.locator('#membership-info');
      await info.getByText('Annotator').waitFor();
      const text = (await info.innerText()).replace(/\t/g, '\n');
      assert.ok(text.includes('Annotations Submitted\n2') && text.includes('Projects contributed to\n2'), text);
      // The section menu marks the section scrolled to once the scroll settles.
      const navLink = page.getByRole('link', { name: 'Membership Info' });
      await until('the Membership Info link marked current', async () => (await navLink.getAttribute('aria-current')) === 'location');
    });

    step('the owner searches People, opens the member and sees their projects and last activity', async () => {
      const { page } = owner;
      await page.goto('/organization/');
      const rows = page.locator('tbody tr');
      await rows.nth(4).waitFor();
      assert.equal(await rows.count(), 5);
      await page.getByText('1–5 of 5 members').waitFor();

      await page.getByRole('searchbox', { name: 'Search members by name or email' }).fill('hopp');
      await page.waitForURL(/search=hopp/);
      await until('one search result', async () => (await rows.count()) === 1);
      const row = rows.first();
      assert.match(await row.innerText(), /grace@example\.com\s+Grace Hopper\s+(less than a minute|\d+ minutes?) ago/);
      await page.getByRole('searchbox').fill('ALAN');
      await until('a search by first name', async () => (await rows.count()) === 1 && (await row.innerText()).includes('Alan Turing'));
      await page.getByRole('searchbox').fill('nobody-here');
      await page.getByText('No members match “nobody-here”').waitFor();
      await page.getByRole('button', { name: 'Clear search' }).click();
      await until('the search cleared', async () => (await rows.count()) === 5 && !page.url().includes('search='));
      await page.getByRole('searchbox').fill('hopp');
      await until('one search result again', async () => (await rows.count()) === 1);

      await row.click();
      await page.waitForURL(/user=\d+/);
      const panel = page.getByRole('complementary', { name: 'Grace Hopper' });
      await panel.getByRole('heading', { name: 'Grace Hopper' }).waitFor();
      assert.equal(await panel.getByRole('link', { name: '+1 555 0100' }).getAttribute('href'), 'tel:+1 555 0100');
      const created = panel.locator('section', { hasText: 'Created Projects' });
      assert.equal(await created.getByRole('link', { name: 'Compiler corpus' }).getAttribute('href'), `/projects/${projects.member}`);
      const contributed = panel.locator('section', { hasText: 'Contributed to' });
      assert.equal(await contributed.getByRole('link').count(), 2);
      assert.equal(await contributed.getByRole('link', { name: 'Engine notes' }).getAttribute('href'), `/projects/${projects.owner}`);

      const members = await sessionApi(owner.context).get(`/api/organizations/${await orgIdOf(owner)}/memberships?search=grace`);
      const lastActivity = ((members.body.results as { user: { last_activity: string } }[])[0]?.user.last_activity) ?? '';
      assert.ok(lastActivity, 'the member has a last activity');
      await panel.getByText(`Last activity on: ${labelStudioDate(lastActivity)}`).waitFor();

      await assertAccessible(page, 'the People page with the member panel open');
      // The README picture: the whole list, Grace selected.
      await page.getByRole('searchbox').fill('');
      await until('the full list again', async () => (await rows.count()) === 5);
      await panel.getByRole('heading', { name: 'Grace Hopper' }).waitFor();
      await page.getByRole('searchbox').blur();
      await page.mouse.move(640, 760);
      await page.screenshot({ path: screenshotPath('people.png') });
    });

    step('keyboard: Enter opens a member, Escape closes the panel and returns focus to the row', async () => {
      const { page } = owner;
      await page.keyboard.press('Escape');
      await page.waitForURL((url) => !url.searchParams.has('user'));
      const button = page.getByRole('button', { name: 'grace@example.com' });
      assert.equal(await button.evaluate((el) => el === (el.ownerDocument as unknown as { activeElement: unknown }).activeElement), true);
      await page.keyboard.press('Enter');
      await page.getByRole('complementary', { name: 'Grace Hopper' }).waitFor();
      await page.getByRole('button', { name: 'Close member details' }).click();
      await page.getByRole('complementary').waitFor({ state: 'detached' });
    });

    step('sorting, page size and the project link all live in the URL', async () => {
      const { page } = owner;
      await page.goto('/organization/?page_size=50');
      assert.equal(await page.getByLabel('Per page').inputValue(), '50');
      await page.getByRole('button', { name: /^Email/ }).click();
      await page.waitForURL(/ordering=email/);
      await page.getByRole('button', { name: /^Email/ }).click();
      await page.waitForURL(/ordering=-email/);
      const emails = page.locator('tbody .row-btn');
      const expected = ['margaret', 'katherine', 'grace', 'alan', 'ada'].map((name) => `${name}@example.com`).join();
      await until('e-mails in descending order', async () => (await emails.allInnerTexts()).join() === expected);
      assert.match(await page.locator('th[aria-sort="descending"]').innerText(), /email/i);
      await page.getByLabel('Per page').selectOption('100');
      await page.waitForURL(/page_size=100/);

      await page.getByRole('button', { name: 'grace@example.com' }).click();
      await page.locator('#member-panel section', { hasText: 'Created Projects' }).getByRole('link', { name: 'Compiler corpus' }).click();
      await page.waitForURL(`**/projects/${projects.member}`);
      await page.getByRole('heading', { name: 'Compiler corpus', level: 1 }).waitFor();
      await assertAccessible(page, 'the project page');
      await page.getByRole('link', { name: '← All projects' }).click();
      await page.getByRole('link', { name: 'Engine notes' }).waitFor();
      await assertAccessible(page, 'the projects list');
    });

    step('the People page fits a 1024-pixel laptop screen with the panel open', async () => {
      const { page } = owner;
      await page.setViewportSize({ width: 1024, height: 768 });
      try {
        await page.goto('/organization/');
        await page.getByRole('button', { name: 'grace@example.com' }).click();
        await page.getByRole('complementary', { name: 'Grace Hopper' }).getByRole('heading', { name: 'Contributed to' }).waitFor();
        assert.equal(await overflowsHorizontally(page), false);
        await page.screenshot({ path: screenshotPath('people-1024.png') });
      } finally {
        await page.setViewportSize({ width: 1280, height: 800 });
      }
    });
  });
}

async function userIdOf(session: BrowserSession): Promise<number> {
  return (await sessionApi(session.context).get('/api/current-user/whoami')).body.id as number;
}

async function orgIdOf(session: BrowserSession): Promise<number> {
  const me = await sessionApi(session.context).get('/api/current-user/whoami');
  return me.body.active_organization as number;
}
