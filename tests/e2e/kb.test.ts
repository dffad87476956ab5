import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestServer } from '../../apps/server/src/testing/harness';
import type { TestServer } from '../../apps/server/src/testing/harness';
import {
  chooseInUserMenu,
  launchChromium,
  openSeat,
  saveDocScreenshot,
  signIn,
  type Seat,
} from './support/browser';

const WAIT = 20_000;

const shoot = saveDocScreenshot;

/**
 * Issue 21, acceptance 4 (the knowledge part): an agent typing a ticket's description in the
 * create dialog sees knowledge suggestions (Chinese and English), the matched words marked; the
 * knowledge screen reached from the palette shows the article rendered from Markdown.
 * Screenshots in en and zh-CN.
 */
describe('knowledge suggestions in the create dialog, in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let seat: Seat;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    server = await startTestServer({ driver: 'pglite' });
    browser = await launchChromium();
    const admin = await server.login('admin', ADMIN_PASSWORD);
    const publish = async (key: string, fields: Record<string, unknown>): Promise<void> => {
      const res = await server.api('POST', '/api/kb/articles', { token: admin, body: fields });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const id = (res.body as { id: string }).id;
      for (const step of ['review', 'publish']) {
        const r = await server.api('POST', `/api/kb/articles/${id}/${step}`, {
          token: admin,
          body: {},
        });
        expect(r.status, JSON.stringify(r.body)).toBe(200);
      }
      ids[key] = id;
    };
    await publish('zh', {
      title: 'VPN 无法连接：证书过期',
      body: '## 症状\n\n客户端提示**证书已过期**，无法建立隧道。\n\n## 解决方法\n\n1. 在自助门户重新下载证书\n2. 导入后重新连接',
      language: 'zh-CN',
      visibility: 'public',
      category: '网络',
      module: 'VPN',
      subFunction: '证书',
      tags: ['vpn', '证书'],
    });
    await publish('en', {
      title: 'Printer paper jam on floor 3',
      body: '## Symptom\n\nThe printer reports a **paper jam**.\n\n## Fix\n\n1. Open tray 2\n2. Remove the jammed sheet',
      language: 'en',
      visibility: 'internal',
      category: 'Hardware',
      module: 'Printer',
      tags: ['printer'],
    });
    seat = await openSeat(browser, server.url, 'en');
    await signIn(seat.page, 'admin', ADMIN_PASSWORD);
  }, 120_000);

  afterAll(async () => {
    await seat?.context.close();
    await browser?.close();
    await server?.dispose();
  });

  async function typeInCreateDialog(page: Page, title: string, description: string) {
    await page.locator('body').press('c');
    const dialog = page.locator('form[aria-labelledby="create-title"], .dialog:has(#create-title)');
    await page.locator('#create-title').waitFor({ timeout: WAIT });
    await page.getByRole('textbox').first().fill(title);
    const textarea = page.locator('textarea').first();
    // The dialog keeps a draft between openings: start from an empty description.
    await textarea.fill('');
    await textarea.pressSequentially(description, { delay: 15 });
    return dialog;
  }

  it('shows English suggestions while the description is typed (en)', async () => {
    const { page } = seat;
    await typeInCreateDialog(page, 'Printer', 'the printer on floor 3 says paper jam');
    const panel = page.locator('[data-testid="kb-suggestions"]');
    await panel.waitFor({ timeout: WAIT });
    await expect
      .poll(() => panel.locator('.kb-suggest__open').first().textContent(), { timeout: WAIT })
      .toBe('Printer paper jam on floor 3');
    expect(await panel.locator('mark').count()).toBeGreaterThan(0);
    await panel.locator('.kb-suggest__open').first().click();
    await panel.locator('.kb-suggest__snippet').first().waitFor({ timeout: WAIT });
    await shoot(page, 'kb-suggestions-en');
    await page.keyboard.press('Escape');
    await page.locator('#create-title').waitFor({ state: 'detached', timeout: WAIT });
  });

  it('shows Chinese suggestions while the description is typed (zh-CN)', async () => {
    const { page } = seat;
    await chooseInUserMenu(page, 'locale-switch', 'zh-CN');
    await typeInCreateDialog(page, 'VPN 连不上', '用户反馈 VPN 连接时提示证书已过期');
    const panel = page.locator('[data-testid="kb-suggestions"]');
    await panel.waitFor({ timeout: WAIT });
    await expect
      .poll(() => panel.locator('.kb-suggest__open').first().textContent(), { timeout: WAIT })
      .toBe('VPN 无法连接：证书过期');
    expect(await panel.getByText('知识推荐').count()).toBe(1);
    await panel.locator('.kb-suggest__open').first().click();
    await panel.locator('.kb-suggest__snippet').first().waitFor({ timeout: WAIT });
    await shoot(page, 'kb-suggestions-zh-CN');
    await page.keyboard.press('Escape');
    await page.locator('#create-title').waitFor({ state: 'detached', timeout: WAIT });
  });

  it('opens the knowledge screen from the palette and reads the article (zh-CN, en, dark)', async () => {
    const { page } = seat;
    await page.keyboard.press('Control+k');
    const input = page.locator('.palette__input');
    await input.waitFor({ timeout: WAIT });
    await input.fill('知识库');
    await page.locator('#palette-kb').waitFor({ timeout: WAIT });
    await input.press('Enter');
    await page.locator('#kb-title').waitFor({ timeout: WAIT });
    await page.locator('.kb__item', { hasText: 'VPN 无法连接：证书过期' }).click();
    await page.locator('.kb-reader__body h2').first().waitFor({ timeout: WAIT });
    expect(await page.locator('.kb-reader__body strong').first().textContent()).toBe('证书已过期');
    await shoot(page, 'kb-zh-CN');
    await chooseInUserMenu(page, 'locale-switch', 'en');
    await page.locator('#kb-title', { hasText: 'Knowledge base' }).waitFor({ timeout: WAIT });
    await shoot(page, 'kb-en');
    await chooseInUserMenu(page, 'theme-switch', 'dark');
    await shoot(page, 'kb-en-dark');
  });
});
