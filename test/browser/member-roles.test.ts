import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { Page } from 'playwright-core';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';
import { browserSkipReason, openBrowser, type BrowserSession } from '../helpers/browser.js';
import { useTestServer, type TestServer } from '../helpers/test-server.js';
import { assertAccessible, logIn, overflowsHorizontally, screenshotPath, sessionApi, signUp, storySteps, until, WEB_DIST } from './steps.js';

const PASSWORD = 'roles-pass-1';
const OWNER = 'ada@example.com';
const ADMIN = 'grace@example.com';
const ANNOTATOR = 'alan@example.com';
const NEWCOMER = 'linus@example.com';
/** Members the owner creates through the API: they never sign in, the administrator acts on them. */
const OTHERS = ['katherine', 'margaret', 'barbara'] as const;

type Member = { role: string; user: { id: number; email: string } };

for (const kind of DATABASE_KINDS) {
  describe(`web app: roles and the member lifecycle on the People page [${kind}]`, { skip: skipReason(kind) || browserSkipReason(WEB_DIST) }, () => {
    const step = storySteps();
    const fixture = useTestServer(kind);
    let server: TestServer;
    let owner: BrowserSession;
    let admin: BrowserSession;
    let annotator: BrowserSession;
    let newcomer: BrowserSession;
    let orgId = 0;
    let inviteLink = '';

    /** Every live member by e-mail, as the owner's API sees them now. */
    const members = async (): Promise<Map<string, Member>> => {
      const page = await sessionApi(owner.context).get(`/api/organizations/${orgId}/memberships?page_size=100&is_deleted=false`);
      return new Map((page.body.results as Member[]).map((m) => [m.user.email, m]));
    };
    const roleOf = async (email: string) => (await members()).get(email)?.role;
    const userId = async (email: string) => {
      const member = (await members()).get(email);
      assert.ok(member, `${email} is a member`);
      return member.user.id;
    };
    const statusLine = (page: Page) => page.locator('.people__status');

    before(async () => {
      server = fixture.server;
      owner = await openBrowser(server.baseUrl);
      admin = await openBrowser(server.baseUrl);
      annotator = await openBrowser(server.baseUrl);
      newcomer = await openBrowser(server.baseUrl);
    });
    after(async () => {
      await Promise.all([owner, admin, annotator, newcomer].map((session) => session?.close()));
    });

    step('set-up: the owner signs up, an administrator and an annotator join by the invite link', async () => {
      await signUp(owner.page, OWNER, PASSWORD);
      const ownerApi = sessionApi(owner.context);
      orgId = (await ownerApi.get('/api/current-user/whoami')).body.active_organization as number;
      inviteLink = `${server.baseUrl}${(await ownerApi.get('/api/invite')).body.invite_url as string}`;
      await signUp(admin.page, ADMIN, PASSWORD, inviteLink);
      await signUp(annotator.page, ANNOTATOR, PASSWORD, inviteLink);
      await ownerApi.patch(`/api/organizations/${orgId}/memberships`, { user_id: await userId(ADMIN), role: 'AD' });
      for (const name of OTHERS) await ownerApi.post('/api/users/', { email: `${name}@example.com`, username: name });
      assert.equal(await roleOf(ADMIN), 'AD');
      assert.equal(await roleOf(ANNOTATOR), 'AN');
    });

    step('the owner makes invite-link sign-ups wait for approval on the Settings page', async () => {
      const { page } = owner;
      await page.goto('/organization/');
      await page.getByRole('navigation', { name: 'Organization' }).getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('heading', { name: 'Organization settings', level: 1 }).waitFor();
      const select = page.getByLabel('Role for new sign-ups');
      assert.equal(await select.inputValue(), 'AN');
      await select.selectOption('NO');
      // The invite-link section's own Save (the page has others, such as the two-factor requirement's).
      const signups = page.getByRole('region', { name: 'Sign-ups through the invite link' });
      await signups.getByRole('button', { name: 'Save', exact: true }).click();
      await signups.getByText('Saved', { exact: true }).waitFor();
      await assertAccessible(page, 'the organization settings page');
      assert.equal((await sessionApi(owner.context).get(`/api/organizations/${orgId}`)).body.default_role, 'NO');
    });

    step('a newcomer signs up through the invite link and is told to wait', async () => {
      const { page } = newcomer;
      await page.goto(inviteLink);
      await page.getByLabel('Email Address').fill(NEWCOMER);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Create Account' }).click();
      await page.getByText('must approve it').waitFor();
      assert.equal(await roleOf(NEWCOMER), 'NO');
    });

    step('the administrator approves the pending sign-up from the People page', async () => {
      const { page } = admin;
      await page.goto('/organization/');
      const notice = page.getByText('1 sign-up waits for approval.');
      await notice.waitFor();
      await page.getByRole('button', { name: 'Review pending sign-ups' }).click();
      await page.waitForURL(/role=NO/);
      const rows = page.locator('tbody tr');
      await until('only the pending sign-up listed', async () => (await rows.count()) === 1 && (await rows.first().innerText()).includes(NEWCOMER));
      assert.equal(await page.getByLabel(`Role of ${NEWCOMER}`).inputValue(), 'NO');
      await assertAccessible(page, 'the People page filtered to pending sign-ups');
      await page.getByRole('button', { name: `Approve ${NEWCOMER}` }).click();
      await statusLine(page).getByText(`${NEWCOMER} is approved as Annotator.`).waitFor();
      // The list follows its filter: nobody waits any more, and the empty state explains the roles.
      await page.getByText('No sign-ups wait for approval').waitFor();
      await page.getByText('Signed up through the invite link and waits for approval').waitFor();
      await page.getByText(/As an Administrator, you can .*change roles, approve sign-ups and deactivate members/).waitFor();
      assert.equal(await notice.count(), 0);
      assert.equal(await roleOf(NEWCOMER), 'AN');
      await logIn(newcomer.page, NEWCOMER, PASSWORD);
    });

    step('the administrator changes a role with the role picker and filters by role', async () => {
      const { page } = admin;
      await page.getByRole('button', { name: 'Show all roles' }).click();
      await page.waitForURL((url) => !url.searchParams.has('role'));
      const katherine = 'katherine@example.com';
      await page.getByLabel(`Role of ${katherine}`).selectOption('MA');
      await statusLine(page).getByText(`${katherine} is now Manager.`).waitFor();
      assert.equal(await roleOf(katherine), 'MA');
      // No picker where the server refuses the change: the owner's role and one's own.
      assert.equal(await page.getByLabel(`Role of ${OWNER}`).count(), 0);
      assert.equal(await page.getByLabel(`Role of ${ADMIN}`).count(), 0);
      assert.equal(await page.locator('tr', { hasText: OWNER }).locator('.badge').innerText(), 'Owner');

      await page.getByLabel('Role', { exact: true }).selectOption('MA');
      await page.waitForURL(/role=MA/);
      const rows = page.locator('tbody tr');
      await until('only the manager listed', async () => (await rows.count()) === 1 && (await rows.first().innerText()).includes(katherine));
      await page.getByLabel('Role', { exact: true }).selectOption('');
      await until('every member listed again', async () => (await rows.count()) === 7);
    });

    step('the administrator deactivates a member from their panel: their session is refused at once', async () => {
      const { page } = admin;
      assert.equal((await sessionApi(newcomer.context).get('/api/current-user/whoami')).status, 200);
      await page.getByRole('button', { name: NEWCOMER }).click();
      const panel = page.locator('#member-panel');
      await panel.getByRole('button', { name: 'Deactivate…' }).click();
      const dialog = page.getByRole('dialog', { name: `Deactivate ${NEWCOMER}?` });
      await dialog.getByText('their sessions, API tokens and personal access tokens are refused from their next request').waitFor();
      await assertAccessible(page, 'the deactivation dialog');
      await dialog.getByRole('button', { name: 'Deactivate' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await statusLine(page).getByText(`${NEWCOMER} is deactivated.`).waitFor();
      await until('the row shows the deactivated role', async () => (await page.getByLabel(`Role of ${NEWCOMER}`).inputValue()) === 'DI');
      await panel.getByRole('button', { name: 'Reactivate as Annotator' }).waitFor();
      assert.equal(await roleOf(NEWCOMER), 'DI');

      const refused = await sessionApi(newcomer.context).get('/api/current-user/whoami', 403);
      assert.equal(refused.body.code, 'membership.deactivated');
      await newcomer.page.reload();
      await newcomer.page.getByRole('heading', { name: 'Access suspended' }).waitFor();
      await page.getByRole('button', { name: 'Close member details' }).click();
    });

    step('a deactivated member is reactivated as what they were, in one step (another role stays a choice in the table)', async () => {
      const { page } = admin;
      const katherine = 'katherine@example.com';
      await page.getByRole('button', { name: katherine }).click();
      const panel = page.locator('#member-panel');
      await panel.getByRole('button', { name: 'Deactivate…' }).click();
      const dialog = page.getByRole('dialog', { name: `Deactivate ${katherine}?` });
      await dialog.getByText('reactivating them gives their role back').waitFor();
      await dialog.getByRole('button', { name: 'Deactivate' }).click();
      await statusLine(page).getByText(`${katherine} is deactivated.`).waitFor();
      const reactivate = panel.getByRole('button', { name: 'Reactivate as Manager' });
      await reactivate.waitFor();
      const picker = page.getByLabel(`Role of ${katherine}`);
      await until('the row shows the deactivated role', async () => (await picker.inputValue()) === 'DI');
      assert.equal(await picker.isEnabled(), true, 'any other role can still be picked in the table');
      assert.equal(await panel.getByRole('button', { name: /^Reactivate as / }).count(), 1);
      const listed = (await members()).get(katherine) as Member & { role_before_deactivation: string | null };
      assert.deepEqual([listed.role, listed.role_before_deactivation], ['DI', 'MA']);
      // The list reloads after the change (dimmed meanwhile): check and picture it once it has.
      const table = page.locator('.people__list .table-wrap');
      await until('the list is shown in full again', async () => (await table.evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { opacity: string } }).getComputedStyle(el).opacity)) === '1');
      await assertAccessible(page, 'the panel of a deactivated member');
      await page.screenshot({ path: screenshotPath('people-reactivate.png') });

      await reactivate.click();
      await statusLine(page).getByText(`${katherine} is reactivated as Manager.`).waitFor();
      await until('the row shows the role given back', async () => (await picker.inputValue()) === 'MA');
      await panel.getByRole('button', { name: 'Deactivate…' }).waitFor();
      assert.equal(await roleOf(katherine), 'MA');
      await page.getByRole('button', { name: 'Close member details' }).click();
    });

    step('bulk: the administrator changes several roles at once; a failure is reported for its member', async () => {
      const { page } = admin;
      const [margaret, barbara] = ['margaret@example.com', 'barbara@example.com'];
      await page.getByLabel(`Select ${margaret}`).check();
      await page.getByLabel(`Select ${barbara}`).check();
      const bar = page.getByRole('region', { name: 'Change the role of the selected members' });
      await bar.getByText('2 members selected').waitFor();
      // The owner's own checkbox is there but cannot be ticked: the server refuses changing the owner's role.
      assert.equal(await page.getByLabel(`Select ${OWNER}`).isDisabled(), true);
      await assertAccessible(page, 'the People page with the bulk bar');
      // Meanwhile the owner removes one of them: that change must fail, and say so next to their e-mail.
      await sessionApi(owner.context).delete(`/api/organizations/${orgId}/memberships/${await userId(barbara)}/`);
      await bar.getByLabel('Change role to').selectOption('RE');
      await bar.getByRole('button', { name: 'Apply' }).click();
      const report = page.getByRole('alert').filter({ hasText: 'Changed 1 member to Reviewer.' });
      await report.getByText(`${barbara}: Member not found`).waitFor();
      assert.equal(await roleOf(margaret), 'RE');
      await until('the list shows the new role', async () => (await page.getByLabel(`Role of ${margaret}`).inputValue()) === 'RE');
      // The removed member left the list, and with it the selection: nothing is left to apply.
      await page.getByRole('button', { name: barbara }).waitFor({ state: 'detached' });
      await bar.waitFor({ state: 'detached' });
      await report.getByRole('button', { name: 'Dismiss' }).click();
      await report.waitFor({ state: 'detached' });
    });

    step('an annotator sees no administration: no role picker, no selection, no delete, no activity log', async () => {
      const { page } = annotator;
      await page.goto('/organization/');
      const rows = page.locator('tbody tr');
      await rows.nth(5).waitFor();
      assert.equal(await page.getByRole('combobox', { name: /^Role of / }).count(), 0);
      assert.equal(await page.getByRole('checkbox').count(), 0);
      assert.equal(await page.getByRole('button', { name: 'Add People' }).count(), 0);
      assert.equal(await page.getByRole('navigation', { name: 'Organization' }).count(), 0);
      assert.equal(await page.getByRole('link', { name: 'Activity Log' }).count(), 0);
      assert.equal(await page.locator('tr', { hasText: 'katherine@example.com' }).locator('.badge').innerText(), 'Manager');
      await page.getByRole('button', { name: 'katherine@example.com' }).click();
      const panel = page.locator('#member-panel');
      await panel.getByRole('heading', { name: 'katherine@example.com' }).waitFor();
      assert.equal(await panel.getByRole('button', { name: /Deactivate|Remove|Delete|Approve/ }).count(), 0);
      await assertAccessible(page, "the annotator's People page");
      await page.goto('/organization/activity/');
      await page.getByText('You cannot see the activity log').waitFor();
      await page.goto('/organization/permissions/');
      await page.getByText("You cannot see the organization's permissions").waitFor();
    });

    step('the owner deletes an account: the confirmation says their work stays as "Deleted User"', async () => {
      const { page } = owner;
      const margaret = 'margaret@example.com';
      const id = await userId(margaret);
      await page.goto('/organization/');
      await page.getByRole('button', { name: margaret }).click();
      await page.locator('#member-panel').getByRole('button', { name: 'Delete account…' }).click();
      const dialog = page.getByRole('dialog', { name: `Delete the account of ${margaret}?` });
      await dialog.getByText('Everything they made stays, shown as by “Deleted User”').waitFor();
      await dialog.getByRole('button', { name: 'Delete account' }).click();
      await statusLine(page).getByText(`The account of ${margaret} is deleted.`).waitFor();
      await page.getByRole('button', { name: margaret }).waitFor({ state: 'detached' });
      assert.equal(new URL(page.url()).searchParams.has('user'), false, 'the panel of the deleted member closes');
      // The account is gone, its work is not: the user record stays as "Deleted User".
      const deleted = (await sessionApi(owner.context).get(`/api/users/${id}/`)).body;
      assert.equal(`${deleted.first_name as string} ${deleted.last_name as string}`, 'Deleted User');
    });

    step('the People page with roles and a selection fits a 1024-pixel screen with the panel open', async () => {
      const { page } = admin;
      await page.setViewportSize({ width: 1024, height: 768 });
      try {
        await page.goto('/organization/');
        await page.getByLabel('Select katherine@example.com').check();
        await page.getByRole('button', { name: 'katherine@example.com' }).click();
        await page.locator('#member-panel').getByRole('button', { name: 'Deactivate…' }).waitFor();
        assert.equal(await overflowsHorizontally(page), false);
        // Nothing of the table is cut off: it fits its card without scrolling sideways.
        const table = page.locator('.people__list .table-wrap');
        assert.equal(await table.evaluate((el) => el.scrollWidth <= el.clientWidth + 1), true);
      } finally {
        await page.setViewportSize({ width: 1280, height: 800 });
      }
    });

    step('the owner transfers ownership to the administrator and becomes an administrator', async () => {
      const { page } = owner;
      await page.goto('/organization/settings/');
      const picker = page.getByRole('combobox', { name: 'New owner' });
      await picker.fill('grac');
      await page.getByRole('option', { name: new RegExp(ADMIN) }).click();
      assert.equal(await picker.inputValue(), ADMIN);
      await page.getByRole('button', { name: 'Transfer ownership…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Transfer ownership?' });
      await dialog.getByText('You become an administrator at once').waitFor();
      await dialog.getByRole('button', { name: 'Transfer ownership' }).click();
      await page.getByText(`${ADMIN} is now the owner of the organization.`).waitFor();
      await page.getByRole('heading', { name: 'Transfer ownership' }).waitFor({ state: 'detached' });
      const me = (await sessionApi(owner.context).get('/api/current-user/whoami')).body;
      assert.equal((me.organization_membership as { role: string }).role, 'AD');
      assert.equal(await roleOf(ADMIN), 'OW');
      // No longer the owner: leaving is possible now.
      await page.getByRole('button', { name: /Switch organization/ }).click();
      await page.getByRole('menuitem', { name: 'Leave organization…' }).waitFor();
      await page.keyboard.press('Escape');
    });
  });
}
