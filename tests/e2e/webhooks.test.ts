import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../apps/desktop/src/renderer/i18n/en';
import type { MessageKey } from '../../apps/desktop/src/renderer/i18n/en';
import { zhCN } from '../../apps/desktop/src/renderer/i18n/zhCN';
import { ADMIN_PASSWORD, startTestServer } from '../../apps/server/src/testing/harness';
import type { TestServer } from '../../apps/server/src/testing/harness';
import { WebhookReceiver } from '../../apps/server/src/testing/webhookReceiver';
import { launchChromium, openSeat, saveScreenshot, signIn } from './support/browser';
import { findScreenProblems } from './support/screenCheck';

const LOCALES = ['en', 'zh-CN'] as const;
type Locale = (typeof LOCALES)[number];
const CATALOGUES: Record<Locale, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };

/**
 * The admin's Webhooks section in Chromium, in each language: subscribe a receiver on
 * loopback (allowed by DUTYDESK_WEBHOOK_ALLOW_HOSTS), the secret shown once, a ticket's events
 * arriving signed, the delivery log showing them. Shot at 1440×900
 * (`admin-webhooks-<locale>-1440.png`), checked as shown and by axe.
 */
describe.each(LOCALES)('webhooks in the admin area in %s', (locale: Locale) => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let receiver: WebhookReceiver;
  const problems: string[] = [];
  const violations: string[] = [];
  const text = (key: MessageKey, params: Record<string, string | number> = {}): string =>
    CATALOGUES[locale][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
      name in params ? String(params[name]) : whole,
    );

  async function shoot(screen: string): Promise<void> {
    await saveScreenshot(page, `admin-${screen}-${locale}-1440`);
    // The admin area itself must not scroll sideways, nor the page.
    const adminWide = await page
      .locator('.admin')
      .evaluate((el) => el.scrollWidth > el.clientWidth + 1);
    if (adminWide) problems.push(`${screen}: the admin area scrolls sideways`);
    for (const p of await findScreenProblems(page, locale)) problems.push(`${screen}: ${p}`);
    const result = await new AxeBuilder({ page }).include('.admin').analyze();
    for (const v of result.violations)
      if (v.impact === 'serious' || v.impact === 'critical')
        violations.push(
          `${screen}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
        );
  }

  beforeAll(async () => {
    server = await startTestServer({
      driver: 'pglite',
      env: { DUTYDESK_WEBHOOK_ALLOW_HOSTS: '127.0.0.1' },
    });
    receiver = await WebhookReceiver.start();
    browser = await launchChromium();
    page = (await openSeat(browser, server.url, locale)).page;
    page.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
    await receiver?.close();
  });

  it('subscribes a receiver, shows the secret once, and logs the signed deliveries', async () => {
    await page.locator('input[name="username"]').waitFor();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.getByRole('button', { name: text('app.admin'), exact: true }).click();
    await page.getByRole('link', { name: text('admin.nav.webhooks'), exact: true }).click();
    await page.getByRole('heading', { name: text('admin.webhooks.title'), exact: true }).waitFor();
    await page.getByText(text('admin.webhooks.none')).waitFor();

    const url = page.getByLabel(text('admin.webhooks.url'));
    await url.fill('http://10.0.0.1/hook');
    await url.press('Enter');
    await page.locator('.admin-field-error').first().waitFor();
    expect(await page.locator('.admin-field-error').first().textContent()).toContain(
      'not a public address',
    );

    await url.fill(receiver.url);
    await page.getByLabel(text('admin.webhooks.events')).fill('ticket.created');
    await page.getByRole('button', { name: text('admin.webhooks.create'), exact: true }).click();
    const dialog = page.getByRole('dialog', { name: text('admin.webhooks.secretTitle') });
    const secret = await dialog.getByLabel(text('admin.webhooks.secret')).inputValue();
    expect(secret).toMatch(/^whsec_/);
    await shoot('webhooks-secret');
    await dialog.getByRole('button', { name: text('admin.devices.done') }).click();
    await page.getByRole('row', { name: new RegExp(receiver.port.toString()) }).waitFor();

    const token = await server.login('admin', ADMIN_PASSWORD);
    const created = await server.api('POST', '/api/commands', {
      token,
      body: {
        commandId: crypto.randomUUID(),
        type: 'ticket.create',
        title: locale === 'en' ? 'Printer jammed' : '打印机卡纸',
        description: 'x',
        channel: 'hotline',
        priority: 'P3',
      },
    });
    expect(created.status).toBe(200);
    await receiver.waitFor(() => receiver.delivered.length >= 1, 'a delivery of ticket.created');
    const payload = WebhookReceiver.verify(secret, receiver.delivered[0]!) as { type: string };
    expect(payload.type).toBe('ticket.created');
    // The stream saves its delivery log after the answer: let it end (and save) first.
    await server.webhooks.tick();

    await page
      .getByRole('button', { name: text('admin.webhooks.logOf', { url: receiver.url }) })
      .click();
    const log = page.getByRole('dialog', {
      name: text('admin.webhooks.logTitle', { url: receiver.url }),
    });
    await log.getByText(`${text('admin.webhooks.outcome.delivered')} (200)`).waitFor();
    await shoot('webhooks-log');
    await page.keyboard.press('Escape');
    await shoot('webhooks');
    expect(problems).toEqual([]);
    expect(violations).toEqual([]);
  });
});
