import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ROOT } from '../../../scripts/web-bundle';

/** Debian's Chromium, whose major (156) matches playwright-core 1.64.1; tests never download one. */
export const CHROMIUM = process.env.WARDEN_CHROMIUM ?? '/usr/bin/chromium';
/** Git-ignored: one screenshot per page the tests visit. */
export const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface TestBrowser {
  browser: Browser;
  /**
   * A new isolated context (its own sessionStorage): one per person. `bypassCSP` lets a
   * test inject axe-core into pages whose policy allows scripts from the origin only.
   */
  context(options?: { bypassCSP?: boolean }): Promise<BrowserContext>;
  close(): Promise<void>;
}

/**
 * One Chromium per test file. Playwright gives every launch a fresh temporary profile
 * (user-data-dir) and deletes it on close; each context is isolated within it.
 */
export async function launchBrowser(): Promise<TestBrowser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  return {
    browser,
    async context(options = {}) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
      // A failing test shows what the page said.
      context.on('weberror', (error) => console.error(`[browser] ${error.error().message}`));
      context.on('console', (message) => {
        if (message.type() === 'error') console.error(`[browser console] ${message.text()}`);
      });
      return context;
    },
    close: () => browser.close(),
  };
}

/** Opens `path` with the token in the fragment, as the identity provider hands it over. */
export async function openWithToken(page: Page, origin: string, path: string, token: string): Promise<void> {
  await page.goto(`${origin}${path}#token=${token}`);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
