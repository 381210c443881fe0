import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { packageRoot } from '#src/http/routes/web-pages.routes.js';
import { csrfTokenOf, seriousA11yViolations } from '../helpers/browser.js';

export const WEB_DIST = join(packageRoot(), 'web', 'dist');

/** Signs up through the real form (optionally from an invite link) and waits for the projects page. */
export async function signUp(page: Page, email: string, password: string, from = '/user/signup/'): Promise<void> {
  await page.goto(from);
  await page.getByLabel('Email Address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create Account' }).click();
  await page.waitForURL('**/projects/');
  await page.getByRole('heading', { name: 'Projects', level: 1 }).waitFor();
}

/** Logs in through the real form and waits for the page it leads to (the projects page by default). */
export async function logIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/user/login/');
  await page.getByLabel('Email Address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL('**/projects/');
}

/** Fails with the list of serious or critical axe-core violations on the page as it is now. */
export async function assertAccessible(page: Page, where: string): Promise<void> {
  const violations = await seriousA11yViolations(page);
  assert.deepEqual(violations, [], `accessibility problems on ${where}:\n${violations.join('\n')}`);
}

/** True when the page scrolls sideways (something does not fit the viewport). */
export async function overflowsHorizontally(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document
      .documentElement;
    return root.scrollWidth > root.clientWidth + 1;
  });
}

type Json = Record<string, unknown>;

/** API calls with a browser's own session cookie and CSRF header, as the web app makes them. */
export function sessionApi(context: BrowserContext) {
  const call = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, data?: unknown, expected?: number) => {
    const headers: Record<string, string> = method === 'GET' ? {} : { 'X-CSRFToken': await csrfTokenOf(context) };
    const response = await context.request.fetch(url, { method, headers, data });
    const text = await response.text();
    if (expected !== undefined) assert.equal(response.status(), expected, `${method} ${url}: ${text}`);
    return { status: response.status(), body: (text ? JSON.parse(text) : undefined) as Json };
  };
  return {
    get: (url: string, expected = 200) => call('GET', url, undefined, expected),
    post: (url: string, data: unknown, expected = 201) => call('POST', url, data, expected),
    patch: (url: string, data: unknown, expected = 200) => call('PATCH', url, data, expected),
    delete: (url: string, expected = 204) => call('DELETE', url, undefined, expected),
  };
}

/**
 * Where screenshots go: docs/screenshots when UPDATE_SCREENSHOTS=1 (to refresh the README's pictures), else the
 * ignored test-results folder, so an ordinary test run leaves the working tree clean.
 */
export function screenshotPath(name: string): string {
  const dir = process.env.UPDATE_SCREENSHOTS === '1' ? join(packageRoot(), 'docs', 'screenshots') : join(packageRoot(), 'test-results');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `dd MMM yyyy, hh:mm a` in UTC (the browsers run with timezoneId UTC): what the panel must show. */
export function labelStudioDate(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  const h = d.getUTCHours() % 12 === 0 ? 12 : d.getUTCHours() % 12;
  return `${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${pad(h)}:${pad(d.getUTCMinutes())} ${d.getUTCHours() < 12 ? 'AM' : 'PM'}`;
}

/** Polls until `check` returns a truthy value (the app updates asynchronously); fails with `what` after 10 s. */
export async function until<T>(what: string, check: () => Promise<T>, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await check();
    if (last) return last as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last value: ${String(last)})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Tests that continue one story in one browser: after a failure the later steps are skipped (naming the step that
 * failed) instead of each waiting out its own timeouts on a page in the wrong state.
 */
export function storySteps(): (name: string, fn: () => Promise<void>) => void {
  let failed: string | undefined;
  return (name, fn) =>
    test(name, async (t) => {
      if (failed) return t.skip(`an earlier step failed: ${failed}`);
      try {
        await fn();
      } catch (error) {
        failed = name;
        throw error;
      }
    });
}
