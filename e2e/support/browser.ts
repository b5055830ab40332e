import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { repoRoot } from '@store/db';

/** Debian's Chromium (`apt-get install -y chromium`; .ci/run installs it when missing). */
export const CHROMIUM_PATH = '/usr/bin/chromium';
/** ../shared/VERSIONS.md: no background traffic, no component updates, no sync — loopback only. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Written on every run (gitignored), to look at when a test fails. */
export const SCREENSHOT_DIR = join(repoRoot, 'test-results', 'screenshots');
const DOCS_SCREENSHOT_DIR = join(repoRoot, 'docs', 'screenshots');

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`${CHROMIUM_PATH} is missing: apt-get install -y chromium`);
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface GuardedPage {
  page: Page;
  /** Every request the page tried that was not to loopback (each was aborted). */
  offLoopback: string[];
  /** Uncaught page errors (a broken page fails its test with these). */
  pageErrors: string[];
}

/**
 * A page whose every request goes through a guard: loopback (and data:/blob:) passes, anything
 * else is aborted and recorded, so a test can assert the app needs no network beyond this machine.
 */
export async function newGuardedPage(browser: Browser): Promise<GuardedPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const offLoopback: string[] = [];
  const pageErrors: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'data:' || url.protocol === 'blob:' || LOOPBACK_HOSTS.has(url.hostname) || url.hostname === '::1') return route.continue();
    offLoopback.push(url.href);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return { page, offLoopback, pageErrors };
}

/** `docsName`: this one is also shown in the README (docs/screenshots/<docsName>.png, refreshed with UPDATE_DOCS_SCREENSHOTS=1). */
export async function screenshot(page: Page, name: string, options: { docsName?: string } = {}): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
  if (options.docsName && process.env.UPDATE_DOCS_SCREENSHOTS === '1') {
    mkdirSync(DOCS_SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(DOCS_SCREENSHOT_DIR, `${options.docsName}.png`) });
  }
}
