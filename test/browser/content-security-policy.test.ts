import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { browserSkipReason, openBrowser, type BrowserSession } from '../helpers/browser.js';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';
import { buildMember, buildProject, setRole } from '../helpers/factories.js';
import { useObservedServer } from '../helpers/observed-server.js';
import { logIn, signUp, WEB_DIST } from './steps.js';

const OWNER = { email: 'csp-owner@example.com', password: 'csp-owner-pass-1' };

/** A page made to break the policy: inline script, an inline handler and inline style (the test's control). */
const HOSTILE_PAGE = `<!doctype html><html><head><title>untouched</title><style>body{background:red}</style></head>
<body><script>document.title = 'inline script ran'</script><img src="x:" onerror="document.title = 'handler ran'"><p style="color:red">x</p></body></html>`;

interface Violation {
  directive: string;
  blocked: string;
  page: string;
}

/**
 * Records every Content-Security-Policy violation the browser reports, from the page's first script on (an init
 * script runs before any of the page's own), and console errors that mention the policy.
 */
async function watchViolations(context: BrowserContext, page: Page): Promise<Violation[]> {
  const seen: Violation[] = [];
  await context.exposeBinding('reportCspViolation', (_source, violation: Violation) => void seen.push(violation));
  await context.addInitScript(() => {
    const g = globalThis as unknown as {
      document: { addEventListener(type: string, listener: (event: { effectiveDirective: string; blockedURI: string }) => void): void };
      location: { pathname: string };
      reportCspViolation(v: Violation): void;
    };
    g.document.addEventListener('securitypolicyviolation', (event) =>
      g.reportCspViolation({ directive: event.effectiveDirective, blocked: event.blockedURI, page: g.location.pathname }),
    );
  });
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) seen.push({ directive: 'console', blocked: message.text(), page: page.url() });
  });
  return seen;
}

for (const kind of DATABASE_KINDS) {
  describe(`Content-Security-Policy in Chromium: every page works with no violation [${kind}]`, { skip: skipReason(kind) || browserSkipReason(WEB_DIST) }, () => {
    let browser: BrowserSession | undefined;
    let violations: Violation[] = [];
    after(async () => browser?.close());
    const fixture = useObservedServer(kind, {}, (app) => {
      app.get('/test/hostile-page/', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) => reply.type('text/html; charset=utf-8').send(HOSTILE_PAGE));
    });
    before(async () => {
      browser = await openBrowser(fixture.server.baseUrl);
      violations = await watchViolations(browser.context, browser.page);
    });

    const visit = async (path: string, heading: string | RegExp): Promise<void> => {
      assert.ok(browser);
      const response = await browser.page.goto(path);
      assert.match(response?.headers()['content-security-policy'] ?? '', /script-src 'self'/, `${path} carries the policy`);
      assert.equal(response?.headers()['referrer-policy'], 'same-origin');
      await browser.page.getByRole('heading', { name: heading, level: 1 }).first().waitFor();
      // Let late work (data fetched after the first paint, lazy styles) happen before looking.
      await browser.page.waitForLoadState('networkidle');
    };

    test('the control: an inline script, an inline handler and inline style are blocked and reported', async () => {
      assert.ok(browser);
      await browser.page.goto('/test/hostile-page/');
      await browser.page.waitForLoadState('networkidle');
      assert.equal(await browser.page.title(), 'untouched', 'no inline script ran');
      const directives = new Set(violations.map((v) => v.directive));
      for (const directive of ['script-src-elem', 'script-src-attr', 'style-src-elem', 'style-src-attr']) assert.ok(directives.has(directive), `${directive} reported: ${JSON.stringify(violations)}`);
      violations.length = 0;
    });

    test('sign-in pages (login, login with an error, sign-up, sign-up closed) and the API docs', async () => {
      assert.ok(browser);
      const { page } = browser;
      await visit('/user/login/', 'Log in');
      const radius = await page.locator('main').evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { borderRadius: string } }).getComputedStyle(el).borderRadius);
      assert.equal(radius, '12px', 'the stylesheet applies');
      await page.getByLabel('Email Address').fill('nobody@example.com');
      await page.getByLabel('Password').fill('wrong-password-1');
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByText("The email and password you entered don't match.").waitFor();
      await visit('/user/signup/', 'Sign Up');
      await page.getByLabel('Email Address').fill('not-an-email');
      await page.getByRole('button', { name: 'Create Account' }).click();
      await page.getByText('Enter a valid email address.').waitFor();
      await page.goto('/docs/api/');
      await page.getByRole('heading', { name: /Label Studio/ }).first().waitFor();
      await page.waitForLoadState('networkidle');
      assert.deepEqual(violations, []);
    });

    test('every page of the web app, signed in, and the page a deactivated member gets', async () => {
      assert.ok(browser);
      const { page } = browser;
      await signUp(page, OWNER.email, OWNER.password);
      const owner = await fixture.ctx.services.accounts.findByEmail(OWNER.email);
      const orgId = owner?.active_organization_id ?? 0;
      const projectId = await buildProject(fixture.ctx, orgId, owner?.id ?? null, 'Policy project');
      for (const [path, heading] of [
        ['/projects/', 'Projects'],
        [`/projects/${projectId}`, 'Policy project'],
        ['/organization/', 'People'],
        ['/people/', 'People'],
        ['/organization/permissions/', 'Permissions'],
        ['/organization/activity/', 'Activity Log'],
        ['/organization/settings/', 'Organization settings'],
        ['/user/account/', 'Account & Settings'],
      ] as const) {
        await visit(path, heading);
      }
      // The People page's member panel and a dialog: styles set by scripts are not inline markup.
      await page.goto('/organization/');
      await page.getByRole('button', { name: 'Add People' }).click();
      await page.getByRole('dialog').waitFor();
      await page.keyboard.press('Escape');
      assert.deepEqual(violations, []);

      const member = await buildMember(fixture.ctx, orgId);
      const other = await openBrowser(fixture.server.baseUrl);
      try {
        const seen = await watchViolations(other.context, other.page);
        await logIn(other.page, member.email, member.password);
        await setRole(fixture.ctx, member.user.id, orgId, 'DI');
        await other.page.goto('/projects/');
        await other.page.getByRole('heading', { name: 'Access suspended', level: 1 }).waitFor();
        await other.page.getByRole('link', { name: 'Log out' }).click();
        await other.page.getByRole('heading', { name: 'Log in', level: 1 }).waitFor();
        assert.deepEqual(seen, []);
      } finally {
        await other.close();
      }
    });
  });
}
