import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';

/** Where the browser tests leave their screenshots (gitignored `artifacts/`). */
export const SCREENSHOT_DIR = fileURLToPath(
  new URL('../../../artifacts/screenshots', import.meta.url),
);

export const DESK_VIEWPORT = { width: 1440, height: 900 } as const;
export const WIDE_VIEWPORT = { width: 1920, height: 1080 } as const;

/** Debian's Chromium, headless, with nothing phoning home. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface Seat {
  context: BrowserContext;
  page: Page;
}

/** A fresh browser profile (its own localStorage) on the console, not yet signed in. */
export async function openSeat(
  browser: Browser,
  baseUrl: string,
  locale: 'zh-CN' | 'en' = 'en',
): Promise<Seat> {
  const context = await browser.newContext({ viewport: DESK_VIEWPORT, locale, baseURL: baseUrl });
  const page = await context.newPage();
  await page.goto('/');
  return { context, page };
}

/** Signs in through the login form and waits until the socket is live. */
export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('button[type="submit"]').click();
  await waitForStatus(page, 'live');
}

/**
 * Chooses the console's language or theme from the user menu (decision 46): opens the menu,
 * picks the option, closes the menu again so the screen is as the user sees it.
 */
export async function chooseInUserMenu(
  page: Page,
  control: 'locale-switch' | 'theme-switch',
  value: string,
): Promise<void> {
  await page.locator('.topbar [data-testid="user-menu"]').click();
  await page.locator(`.user-menu [data-testid="${control}"]`).selectOption(value);
  await page.keyboard.press('Escape');
  await page.locator(`.user-menu [data-testid="${control}"]`).waitFor({ state: 'detached' });
}

/** The value of the user menu's language or theme select (the menu is opened and closed). */
export async function readUserMenu(
  page: Page,
  control: 'locale-switch' | 'theme-switch',
): Promise<string> {
  await page.locator('.topbar [data-testid="user-menu"]').click();
  const value = await page.locator(`.user-menu [data-testid="${control}"]`).inputValue();
  await page.keyboard.press('Escape');
  await page.locator(`.user-menu [data-testid="${control}"]`).waitFor({ state: 'detached' });
  return value;
}

export async function waitForStatus(page: Page, status: string, timeout = 10_000): Promise<void> {
  await page.locator(`.connection[data-status="${status}"]`).waitFor({ timeout });
}

/** Saves a screenshot as `artifacts/screenshots/<name>.png`. */
/** With DUTYDESK_DOC_SCREENSHOTS=1 the shots go to docs/screenshots/ (committed), else artifacts. */
export const DOC_SCREENSHOT_DIR = process.env.DUTYDESK_DOC_SCREENSHOTS
  ? fileURLToPath(new URL('../../../docs/screenshots', import.meta.url))
  : SCREENSHOT_DIR;

/** A screenshot for the docs (DOC_SCREENSHOT_DIR), the window as shown. */
export async function saveDocScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(DOC_SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(DOC_SCREENSHOT_DIR, `${name}.png`), fullPage: false });
}

export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}
