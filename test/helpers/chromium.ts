// Debian's Chromium driven by playwright-core (which downloads no browser of its own). Browser tests
// must not vanish silently: without Chromium they fail with the fix in the message, unless
// SKIP_BROWSER_TESTS=1 says on purpose that this machine runs none (they are then reported pending).
// Every request of the page is held to loopback: anything else is aborted and recorded.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { REPO } from './node-red-process';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const SCREENSHOTS = join(REPO, 'test-output', 'browser');

/** Why the browser tests do not run here, or null when they do (throws when they must but cannot). */
export function browserSkipReason(): string | null {
  if (process.env.SKIP_BROWSER_TESTS === '1') return 'SKIP_BROWSER_TESTS=1';
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}, so the editor tests cannot run. Install it ` +
        '(`apt-get install -y chromium`, as .ci/run does), point CHROMIUM_PATH at another Chromium, ' +
        'or set SKIP_BROWSER_TESTS=1 to skip the browser tests on purpose.',
    );
  }
  return null;
}

export interface EditorBrowser {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** URLs the page tried to reach beyond loopback (aborted). */
  blocked: string[];
  /** Uncaught errors and console errors of the page. */
  pageErrors: string[];
  /** Saves test-output/browser/<name>.png and returns its path. */
  screenshot(name: string, target?: Page | ReturnType<Page['locator']>): Promise<string>;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export async function openBrowser(): Promise<EditorBrowser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-US' });
  const blocked: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'data:' || url.protocol === 'blob:' || LOOPBACK.has(url.hostname)) return route.continue();
    blocked.push(url.href);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    browser,
    context,
    page,
    blocked,
    pageErrors,
    async screenshot(name, target = page) {
      const path = join(SCREENSHOTS, `${name}.png`);
      await target.screenshot({ path });
      return path;
    },
    async close() {
      await context.close();
      await browser.close();
    },
  };
}
