import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestServer } from '../../apps/server/src/testing/harness';
import type { TestServer } from '../../apps/server/src/testing/harness';
import { en } from '../../apps/desktop/src/renderer/i18n/en';
import { zhCN } from '../../apps/desktop/src/renderer/i18n/zhCN';
import { launchChromium, openSeat, saveScreenshot, signIn, waitForStatus } from './support/browser';
import { findScreenProblems } from './support/screenCheck';

const PASSWORD = 'dutydesk-demo';
const LOCALES = ['en', 'zh-CN'] as const;
type Locale = (typeof LOCALES)[number];
/** Each step's bound: generous for a loaded 2-core machine; the failure names what was awaited. */
const STEP_MS = 20_000;

/**
 * Issue 17, acceptance 4: a caller rings, the agent finds them by phone in the create dialog,
 * creates the ticket for them and pastes a screenshot onto it; a second seat finds the ticket
 * from the search box by a Chinese word of its description and sees the screenshot there.
 * Shot at 1440×900 in both languages and run through the screen check.
 */
describe.each(LOCALES)(
  'a caller found by phone, a pasted screenshot, search in %s',
  (locale: Locale) => {
    const T = locale === 'zh-CN' ? zhCN : en;
    let server: TestServer;
    let browser: Browser;
    const problems: string[] = [];

    async function shoot(page: Page, screen: string): Promise<void> {
      await saveScreenshot(page, `${screen}-${locale}-1440`);
      for (const p of await findScreenProblems(page, locale)) problems.push(`${screen}: ${p}`);
    }

    beforeAll(async () => {
      server = await startTestServer({ driver: 'pglite', env: { DUTYDESK_DEMO: '1' } });
      browser = await launchChromium();
    });

    afterAll(async () => {
      await browser?.close();
      await server?.dispose();
    });

    it('creates the ticket for the caller, attaches the pasted screenshot, and another seat finds it', async () => {
      const zh = locale === 'zh-CN';
      const admin = await server.login('admin', ADMIN_PASSWORD);
      const org = await server.api('POST', '/api/organisations', {
        token: admin,
        body: { name: zh ? '华东精密制造有限公司' : 'Eastern Precision Manufacturing' },
      });
      expect(org.status).toBe(201);
      const orgId = (org.body as { id: string }).id;
      const contactName = zh ? '王建国' : 'Grace Wang';
      const contact = await server.api('POST', '/api/contacts', {
        token: admin,
        body: { name: contactName, organisationId: orgId, phone: '139 1234 5678' },
      });
      expect(contact.status).toBe(201);

      const agent = (await openSeat(browser, server.url, locale)).page;
      const engineer = (await openSeat(browser, server.url, locale)).page;
      await signIn(agent, 'lina', PASSWORD);
      await signIn(engineer, 'liuyang', PASSWORD);

      // The agent takes the call: the caller's number finds the contact and their organisation.
      await agent.keyboard.press('c');
      const dialog = agent.getByRole('dialog', { name: T['create.title'] });
      await dialog.waitFor({ timeout: STEP_MS });
      await dialog.getByRole('combobox', { name: T['caller.label'] }).fill('13912345678');
      await dialog
        .getByRole('option', { name: new RegExp(contactName) })
        .click({ timeout: STEP_MS });
      const picked = dialog.getByTestId('caller-picked');
      await picked.waitFor({ timeout: STEP_MS });
      expect(await picked.textContent()).toContain(
        zh ? '华东精密制造有限公司' : 'Eastern Precision Manufacturing',
      );
      const title = zh ? '财务系统打不开月底报表' : 'Finance reports will not open';
      await dialog.getByLabel(T['create.ticketTitle'], { exact: true }).fill(title);
      await dialog
        .getByLabel(T['create.description'], { exact: true })
        .fill(
          zh ? '月底财务报表导出乱码，客户要求今晚回电' : '月底财务报表导出乱码 since this morning',
        );
      await shoot(agent, 'create-for-caller');
      await dialog.getByRole('button', { name: T['create.submit'] }).click();
      const heading = agent.locator('.workspace__title', { hasText: title });
      await heading.waitFor({ timeout: STEP_MS });
      const number = (await agent.locator('.workspace__number').textContent())?.trim() ?? '';
      expect(number).toMatch(/^INC-/);

      // A screenshot pasted onto the ticket (a PNG drawn in the page, on the clipboard event).
      await agent.getByTestId('attachment-drop').first().waitFor({ timeout: STEP_MS });
      await agent.evaluate(async () => {
        const canvas = document.createElement('canvas');
        canvas.width = 160;
        canvas.height = 90;
        const g = canvas.getContext('2d');
        if (!g) throw new Error('no 2d canvas');
        g.fillStyle = '#1d4ed8';
        g.fillRect(0, 0, 160, 90);
        g.fillStyle = '#ffffff';
        g.fillRect(20, 20, 60, 30);
        const blob = await new Promise<Blob>((resolve, reject) =>
          canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('no PNG'))), 'image/png'),
        );
        const data = new DataTransfer();
        data.items.add(new File([blob], 'image.png', { type: 'image/png' }));
        const target = document.querySelector('[data-testid="attachment-drop"]');
        if (!target) throw new Error('no attachment drop zone');
        target.dispatchEvent(
          new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
        );
      });
      await agent.locator('li.attachment').first().waitFor({ timeout: STEP_MS });
      await waitForStatus(agent, 'live');
      await shoot(agent, 'ticket-for-caller');

      // The second seat finds it from the search box by a Chinese word of the description.
      await engineer.keyboard.press('f');
      const box = engineer.getByRole('combobox', { name: T['search.label'] });
      await expect
        .poll(() => engineer.evaluate(() => document.activeElement?.tagName))
        .toBe('INPUT');
      await box.fill('报表导出');
      const hit = engineer.getByRole('option', { name: new RegExp(number) });
      await hit.waitFor({ timeout: STEP_MS });
      await shoot(engineer, 'search-results');
      await hit.click();
      await engineer.locator('.workspace__title', { hasText: title }).waitFor({ timeout: STEP_MS });
      // The screenshot is on the ticket there too, and the caller's card names the organisation.
      await engineer.locator('li.attachment').first().waitFor({ timeout: STEP_MS });
      expect(await engineer.locator('li.attachment').count()).toBe(1);

      expect(problems).toEqual([]);
    }, 180_000);
  },
);
