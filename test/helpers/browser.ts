import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags for a quiet, sandbox-free headless run: no network calls of Chromium's own, no first-run UI. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

const inCi = /^(1|true|yes)$/i.test(process.env.CI ?? '');

/** Why the browser tests cannot run here, or false when they can. In CI a missing browser or build is an error. */
export function browserSkipReason(webDist: string): string | false {
  const problem = !existsSync(CHROMIUM_PATH)
    ? `Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium)`
    : !existsSync(join(webDist, 'index.html'))
      ? `the web app is not built (${webDist}): run npm run build`
      : undefined;
  if (!problem) return false;
  if (inCi) throw new Error(`Browser tests cannot be skipped in CI: ${problem}`);
  return problem;
}

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** A fresh Chromium with its own temporary profile: one per simulated person, so cookies never mix. */
export async function openBrowser(baseURL: string, viewport = { width: 1280, height: 800 }): Promise<BrowserSession> {
  const profile = mkdtempSync(join(tmpdir(), 'lsa-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    headless: true,
    baseURL,
    viewport,
    locale: 'en-US',
    timezoneId: 'UTC',
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  context.setDefaultTimeout(10_000);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/** axe-core's browser build, as the package exports it for injection. */
const axeSource = (): string => (createRequire(import.meta.url)('axe-core') as { source: string }).source;

/** Runs axe-core in the page; returns the serious and critical violations as readable lines. */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  // The root tsconfig has no DOM types: the in-page code reaches the browser globals through globalThis.
  type AxeGlobal = { axe?: { run: (context: unknown, options: object) => Promise<{ violations: AxeViolation[] }> }; document: unknown };
  // Axe reads colours as they are painted: a table dimmed while its next page loads (`.is-stale`), or still fading
  // back, is not what the reader settles on, and its contrast would fail at random. Wait for the page to come to rest.
  // A function, not a string: the pages' Content-Security-Policy forbids evaluating text as script.
  type Painted = { document: { querySelector(selector: string): unknown; getAnimations(): Array<{ playState: string }> }; CSSTransition: abstract new () => unknown };
  await page.waitForFunction(
    () => {
      const g = globalThis as unknown as Painted;
      return g.document.querySelector('.is-stale') === null && g.document.getAnimations().every((a) => !(a instanceof g.CSSTransition) || a.playState !== 'running');
    },
    undefined,
    { timeout: 5_000 },
  );
  const loaded = await page.evaluate(() => 'axe' in globalThis);
  // Evaluated over the DevTools protocol: the pages' Content-Security-Policy forbids an inline script tag.
  if (!loaded) await page.evaluate(axeSource());
  const violations = await page.evaluate(async () => {
    const g = globalThis as unknown as AxeGlobal;
    if (!g.axe) throw new Error('axe-core did not load');
    const result = await g.axe.run(g.document, { resultTypes: ['violations'] });
    return result.violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
}

/** The CSRF cookie the server set for this browser, for API calls made with its session. */
export async function csrfTokenOf(context: BrowserContext): Promise<string> {
  const cookie = (await context.cookies()).find((c) => c.name === 'csrftoken');
  if (!cookie) throw new Error('no csrftoken cookie in this browser');
  return cookie.value;
}
