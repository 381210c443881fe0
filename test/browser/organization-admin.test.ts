import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe } from 'node:test';
import type { Page } from 'playwright-core';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';
import { browserSkipReason, openBrowser, type BrowserSession } from '../helpers/browser.js';
import { useTestServer, type TestServer } from '../helpers/test-server.js';
import { assertAccessible, overflowsHorizontally, screenshotPath, sessionApi, signUp, storySteps, until, WEB_DIST } from './steps.js';

const PASSWORD = 'org-admin-pass-1';
const OWNER = 'ada@example.com';
const MANAGER = 'grace@example.com';

type Entry = { id: number; user_id: number | null; email: string; extra_data: { action: string } };

/** The file a click on an export link downloads, as text. */
async function download(page: Page, linkName: string): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: linkName }).click()]);
  const path = await file.path();
  return { name: file.suggestedFilename(), text: await readFile(path, 'utf8') };
}

const today = () => new Date().toISOString().slice(0, 10);
const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

for (const kind of DATABASE_KINDS) {
  describe(`web app: permissions, the activity log and organizations [${kind}]`, { skip: skipReason(kind) || browserSkipReason(WEB_DIST) }, () => {
    const step = storySteps();
    const fixture = useTestServer(kind);
    let server: TestServer;
    let owner: BrowserSession;
    let manager: BrowserSession;
    let orgId = 0;
    let managerId = 0;

    before(async () => {
      server = fixture.server;
      owner = await openBrowser(server.baseUrl);
      manager = await openBrowser(server.baseUrl);
    });
    after(async () => {
      await owner?.close();
      await manager?.close();
    });

    /** The entries the API lists for these filters (the page's own query), ids newest first. */
    const logged = async (query: string): Promise<{ ids: number[]; filtered: number }> => {
      const answer = await sessionApi(owner.context).get(`/api/activity-logs/?page_size=100&${query}`);
      const [page] = answer.body as unknown as [{ data: Entry[]; recordsFiltered: number }];
      return { ids: page.data.map((entry) => entry.id), filtered: page.recordsFiltered };
    };

    step('set-up: the owner signs up; a manager joins by the invite link and works a little', async () => {
      await signUp(owner.page, OWNER, PASSWORD);
      const ownerApi = sessionApi(owner.context);
      orgId = (await ownerApi.get('/api/current-user/whoami')).body.active_organization as number;
      await signUp(manager.page, MANAGER, PASSWORD, `${server.baseUrl}${(await ownerApi.get('/api/invite')).body.invite_url as string}`);
      const managerApi = sessionApi(manager.context);
      managerId = (await managerApi.get('/api/current-user/whoami')).body.id as number;
      await ownerApi.patch(`/api/organizations/${orgId}/memberships`, { user_id: managerId, role: 'MA' });
      await managerApi.patch(`/api/users/${managerId}/`, { first_name: 'Grace', last_name: 'Hopper' });
      await managerApi.post('/api/projects/', { title: 'Compiler corpus' });
      await ownerApi.patch(`/api/users/${(await ownerApi.get('/api/current-user/whoami')).body.id as number}/`, { first_name: 'Ada' });
      await ownerApi.post('/api/projects/', { title: 'Engine notes' });
      // Enough entries for a second page of the log.
      for (let n = 1; n <= 30; n += 1) await ownerApi.post('/api/users/', { email: `member${n}@example.com`, username: `member${n}` });
    });

    step('the owner takes "Invite members" away from managers on the Permissions page: Add People goes at once', async () => {
      await manager.page.goto('/organization/');
      await manager.page.getByRole('button', { name: 'Add People' }).waitFor();

      const { page } = owner;
      await page.goto('/organization/');
      await page.getByRole('navigation', { name: 'Organization' }).getByRole('link', { name: 'Permissions' }).click();
      await page.getByRole('heading', { name: 'Permissions', level: 1 }).waitFor();
      const box = page.getByRole('checkbox', { name: 'Manager: Invite members to organization' });
      assert.equal(await box.isChecked(), true);
      assert.equal(await page.getByRole('checkbox', { name: 'Owner: Invite members to organization' }).isDisabled(), true);
      await assertAccessible(page, 'the Permissions page');
      await box.uncheck();
      await page.getByText('Saved “Invite members to organization”.').waitFor();
      await page.locator('tr', { hasText: 'Invite members to organization' }).getByText('Customized').waitFor();
      assert.equal(await box.isChecked(), false);

      await manager.page.reload();
      await manager.page.locator('tbody tr').nth(1).waitFor();
      assert.equal(await manager.page.getByRole('button', { name: 'Add People' }).count(), 0);
      assert.equal((await sessionApi(manager.context).get('/api/invite', 403)).status, 403);
    });

    step('"Reset to defaults" asks first, then gives managers their permission back', async () => {
      const { page } = owner;
      await page.getByRole('button', { name: 'Reset to defaults' }).click();
      const dialog = page.getByRole('dialog', { name: 'Reset every permission?' });
      await dialog.getByText('The customized permission goes back to the defaults').waitFor();
      await dialog.getByRole('button', { name: 'Reset to defaults' }).click();
      await page.getByText('Every permission is back to its default.').waitFor();
      const box = page.getByRole('checkbox', { name: 'Manager: Invite members to organization' });
      await until('the default restored on the page', () => box.isChecked());
      assert.equal(await page.getByText('Customized').count(), 0);
      await manager.page.reload();
      await manager.page.getByRole('button', { name: 'Add People' }).waitFor();
    });

    step('the Activity Log lists entries newest first and filters by user and by action', async () => {
      const { page } = owner;
      await page.getByRole('navigation', { name: 'Organization' }).getByRole('link', { name: 'Activity Log' }).click();
      await page.getByRole('heading', { name: 'Activity Log', level: 1 }).waitFor();
      const rows = page.locator('tbody tr[data-entry-id]');
      await rows.first().waitFor();
      const shownIds = async () => (await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-entry-id')))));
      const all = await logged('');
      assert.ok(all.filtered > 30, `more than a page of entries (${all.filtered})`);
      assert.deepEqual(await shownIds(), all.ids.slice(0, 30), 'newest first, one page of 30');
      await page.getByText(`1–30 of ${all.filtered} entries`).waitFor();
      await page.getByRole('button', { name: 'Next' }).click();
      await page.waitForURL(/page=2/);
      await until('the second page', async () => JSON.stringify(await shownIds()) === JSON.stringify(all.ids.slice(30, 60)));
      await page.getByRole('button', { name: 'Previous' }).click();
      await until('the first page again', async () => (await shownIds())[0] === all.ids[0]);

      const picker = page.getByRole('combobox', { name: 'User' });
      await picker.fill('hopper');
      await page.getByRole('option', { name: new RegExp(MANAGER) }).click();
      await page.waitForURL(new RegExp(`user=${managerId}`));
      const mine = await logged(`user=${managerId}`);
      assert.ok(mine.filtered >= 3, `the manager has entries of their own (${mine.filtered})`);
      await until('only the manager’s entries', async () => JSON.stringify(await shownIds()) === JSON.stringify(mine.ids));
      for (const email of await page.locator('tbody td.col-user').allInnerTexts()) assert.equal(email, MANAGER);

      await page.getByLabel('Action').selectOption('project.created');
      await page.waitForURL(/action=project\.created/);
      await until('only the manager’s project', async () => (await rows.count()) === 1);
      assert.equal(await rows.first().locator('td').nth(2).innerText(), 'Project: created');
      await assertAccessible(page, 'the Activity Log page, filtered');
      await page.getByLabel('Action').selectOption('');
      await until('the manager’s entries again', async () => (await rows.count()) === mine.ids.length);

      await page.getByRole('combobox', { name: 'User' }).blur();
      await page.screenshot({ path: screenshotPath('activity-log.png') });
      const details = rows.first().getByRole('button', { name: /Details/ });
      await details.click();
      assert.equal(await details.getAttribute('aria-expanded'), 'true');
      const opened = page.locator(`#${await details.getAttribute('aria-controls')}`);
      await opened.getByText('project.created').or(opened.getByText('Request ID')).first().waitFor();
      await details.click();
      await opened.waitFor({ state: 'detached' });
    });

    step('the exports download exactly the filtered entries, as CSV and as JSON Lines', async () => {
      const { page } = owner;
      const mine = await logged(`user=${managerId}`);

      const csv = await download(page, 'Export CSV');
      assert.equal(csv.name, 'activity-log.csv');
      const [header, ...lines] = csv.text.trim().split('\r\n');
      assert.match(header ?? '', /^id,datetime,user_id,email,action,/);
      assert.deepEqual(lines.map((line) => Number(line.split(',')[0])), mine.ids);
      for (const line of lines) assert.ok(line.includes(`,${managerId},${MANAGER},`), line);

      const jsonl = await download(page, 'Export JSON Lines');
      assert.equal(jsonl.name, 'activity-log.jsonl');
      const entries = jsonl.text.trim().split('\n').map((line) => JSON.parse(line) as Entry);
      assert.deepEqual(entries.map((entry) => entry.id), mine.ids);
      assert.ok(entries.every((entry) => entry.user_id === managerId && entry.email === MANAGER));
    });

    step('the date range narrows the log to days of the browser’s calendar; Clear filters shows everything', async () => {
      const { page } = owner;
      const rows = page.locator('tbody tr[data-entry-id]');
      const mine = await logged(`user=${managerId}`);
      await page.getByLabel('From', { exact: true }).fill(today());
      await page.getByLabel('To', { exact: true }).fill(today());
      await page.waitForURL(/to=/);
      await until('today’s entries: all of them', async () => (await rows.count()) === mine.ids.length);
      await page.getByLabel('From', { exact: true }).fill(tomorrow());
      await page.getByLabel('To', { exact: true }).fill(tomorrow());
      await page.getByText('No entries match these filters').waitFor();
      await page.getByRole('button', { name: 'Clear filters' }).click();
      await until('the filters gone from the URL', async () => new URL(page.url()).search === '');
      assert.equal(await page.getByRole('combobox', { name: 'User' }).inputValue(), '');
      await until('every entry again', async () => (await rows.count()) === Math.min(30, (await logged('')).filtered));
    });

    step('the Permissions and Activity Log pages fit a 1024-pixel screen', async () => {
      const { page } = owner;
      await page.setViewportSize({ width: 1024, height: 768 });
      try {
        for (const [path, ready] of [['/organization/permissions/', 'Invite members to organization'], ['/organization/activity/', 'Clear filters']] as const) {
          await page.goto(`${path}${path.includes('activity') ? `?user=${managerId}` : ''}`);
          await page.getByText(ready).first().waitFor();
          assert.equal(await overflowsHorizontally(page), false, path);
        }
      } finally {
        await page.setViewportSize({ width: 1280, height: 800 });
      }
    });

    step('the organization switcher: a manager creates an organization and switches back, by mouse and keyboard', async () => {
      const { page } = manager;
      await page.goto('/projects/');
      const switcher = page.getByRole('button', { name: /Switch organization/ });
      await switcher.focus();
      await page.keyboard.press('ArrowDown');
      const current = page.getByRole('menuitemradio', { name: /Label Studio/ });
      await until('the current organization focused', () => current.evaluate((el) => el === el.ownerDocument.activeElement));
      assert.equal(await current.getAttribute('aria-checked'), 'true');
      assert.match(await current.innerText(), /Manager/);
      await assertAccessible(page, 'the organization menu');
      await page.keyboard.press('Escape');
      await until('focus back on the switcher', () => switcher.evaluate((el) => el === el.ownerDocument.activeElement));

      await switcher.click();
      await page.getByRole('menuitem', { name: 'Create organization…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Create organization' });
      await dialog.getByLabel('Organization name').fill('Hopper Lab');
      await assertAccessible(page, 'the create-organization dialog');
      await dialog.getByRole('button', { name: 'Create' }).click();
      await page.waitForURL('**/organization/');
      await page.getByRole('heading', { name: 'People', level: 1 }).waitFor();
      await until('the new organization active', async () => (await switcher.innerText()).includes('Hopper Lab'));
      // Its owner: the Permissions page is theirs.
      await page.getByRole('navigation', { name: 'Organization' }).getByRole('link', { name: 'Permissions' }).waitFor();

      await switcher.click();
      const items = page.getByRole('menuitemradio');
      await items.nth(1).waitFor();
      assert.deepEqual((await items.allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim()).sort(), ['Hopper Lab Owner', 'Label Studio Manager']);
      await page.getByRole('menuitemradio', { name: /Label Studio/ }).click();
      await until('back in Label Studio', async () => (await switcher.innerText()).includes('Label Studio'));
      await page.getByRole('button', { name: 'Add People' }).waitFor();
      assert.equal(await page.getByRole('navigation', { name: 'Organization' }).count(), 0, 'a manager has only the People page here');
    });

    step('leaving an organization asks first, then moves to the next one; the owner cannot leave', async () => {
      const { page } = manager;
      const switcher = page.getByRole('button', { name: /Switch organization/ });
      await switcher.click();
      await page.getByRole('menuitem', { name: 'Leave organization…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Leave Label Studio?' });
      await dialog.getByText('You lose access to its projects and people at once').waitFor();
      await dialog.getByRole('button', { name: 'Leave organization' }).click();
      await page.waitForURL('**/projects/');
      await until('moved to the other organization', async () => (await switcher.innerText()).includes('Hopper Lab'));
      const members = await sessionApi(owner.context).get(`/api/organizations/${orgId}/memberships?is_deleted=false`);
      assert.equal((members.body.results as { user: { email: string } }[]).some((m) => m.user.email === MANAGER), false);

      const ownerPage = owner.page;
      await ownerPage.getByRole('button', { name: /Switch organization/ }).click();
      await ownerPage.getByRole('menuitem', { name: 'Create organization…' }).waitFor();
      assert.equal(await ownerPage.getByRole('menuitem', { name: 'Leave organization…' }).count(), 0);
      await ownerPage.keyboard.press('Escape');
    });
  });
}
