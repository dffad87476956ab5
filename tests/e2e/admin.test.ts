import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../apps/desktop/src/renderer/i18n/en';
import type { MessageKey } from '../../apps/desktop/src/renderer/i18n/en';
import { zhCN } from '../../apps/desktop/src/renderer/i18n/zhCN';
import { ADMIN_PASSWORD, startTestServer } from '../../apps/server/src/testing/harness';
import type { TestServer } from '../../apps/server/src/testing/harness';
import { launchChromium, openSeat, saveScreenshot, signIn, waitForStatus } from './support/browser';
import { findScreenProblems } from './support/screenCheck';

const LOCALES = ['en', 'zh-CN'] as const;
type Locale = (typeof LOCALES)[number];
const CATALOGUES: Record<Locale, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };
const NEW_PASSWORD = 'zhao-first-pass-7';

/** `YYYYMMDD` of a `YYYY-MM-DD` day, and of the day after it. */
function icsDays(day: string): [string, string] {
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return [day.replaceAll('-', ''), next.replaceAll('-', '')];
}

/**
 * A company's own .ics: today (desk time) off for a company day, which moves open tickets on
 * office-hours calendars, and 7 October 2026 (a National Day holiday in the shipped calendar)
 * worked instead.
 */
function companyIcs(today: string): string {
  const event = (uid: string, day: string, summary: string): string[] => {
    const [start, end] = icsDays(day);
    return [
      'BEGIN:VEVENT',
      `UID:${uid}@dutydesk.test`,
      'DTSTAMP:20260101T000000Z',
      `DTSTART;VALUE=DATE:${start}`,
      `DTEND;VALUE=DATE:${end}`,
      `SUMMARY:${summary}`,
      'END:VEVENT',
    ];
  };
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Dutydesk e2e//EN',
    ...event('company-day', today, '公司活动日'),
    ...event('national-day-swap', '2026-10-07', '上班(补国庆节假期)'),
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

/**
 * The admin area in Chromium, as the admin, in each language: a user created, one of their
 * sessions revoked, an SLA policy changed after its preview with the re-plan followed to the
 * end, and China's 2026 holidays imported from an .ics after the preview of the days it
 * changes. Each screen is shot at 1440×900 (`admin-<screen>-<locale>-1440.png`), checked as
 * shown (support/screenCheck.ts) and by axe (no serious or critical violation).
 */
describe.each(LOCALES)('the admin area in %s', (locale: Locale) => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const violations: string[] = [];
  const text = (key: MessageKey, params: Record<string, string | number> = {}): string =>
    CATALOGUES[locale][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
      name in params ? String(params[name]) : whole,
    );
  /** A catalogue entry as a pattern: its placeholders match anything. */
  const pattern = (key: MessageKey): RegExp =>
    new RegExp(
      CATALOGUES[locale][key]
        .split(/\{\w+\}/)
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.+'),
    );

  async function shoot(screen: string): Promise<void> {
    await saveScreenshot(page, `admin-${screen}-${locale}-1440`);
    for (const p of await findScreenProblems(page, locale)) problems.push(`${screen}: ${p}`);
    const result = await new AxeBuilder({ page }).include('.admin').analyze();
    for (const v of result.violations) {
      if (v.impact === 'serious' || v.impact === 'critical') {
        violations.push(
          `${screen}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
        );
      }
    }
  }

  beforeAll(async () => {
    server = await startTestServer({ driver: 'pglite', env: { DUTYDESK_DEMO: '1' } });
    browser = await launchChromium();
    page = (await openSeat(browser, server.url, locale)).page;
    page.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('creates a user and revokes one of their sessions', async () => {
    await page.locator('input[name="username"]').waitFor();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.getByRole('button', { name: text('app.admin'), exact: true }).click();
    await page.getByRole('heading', { name: text('admin.users.title'), exact: true }).waitFor();
    await page.getByRole('row', { name: /sunli/ }).waitFor();
    await shoot('users');

    await page.getByRole('button', { name: text('admin.users.create') }).click();
    const dialog = page.getByRole('dialog', { name: text('admin.users.createTitle') });
    await dialog.waitFor();
    // The keyboard alone: the first field has the focus, Tab moves on, Enter submits.
    await page.keyboard.type('zhao.min');
    await page.keyboard.press('Tab');
    await page.keyboard.type(locale === 'zh-CN' ? '赵敏' : 'Zhao Min');
    await page.keyboard.press('Tab');
    await page.keyboard.type('short');
    await dialog.getByRole('checkbox', { name: text('admin.role.agent'), exact: true }).uncheck();
    await dialog.getByRole('checkbox', { name: text('admin.role.engineer'), exact: true }).check();
    await dialog.getByLabel(text('admin.users.initialPassword'), { exact: true }).press('Enter');
    // The server refuses the password; its words stand under the field.
    const password = dialog.getByLabel(text('admin.users.initialPassword'), { exact: true });
    await expect.poll(() => password.getAttribute('aria-invalid')).toBe('true');
    await dialog.locator('.admin-field-error').first().waitFor();
    await shoot('user-refused');
    await password.fill(NEW_PASSWORD);
    await password.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    const row = page.getByRole('row', { name: /zhao\.min/ });
    await row.waitFor();
    expect(await row.textContent()).toContain(text('admin.role.engineer'));

    // Zhao signs in twice elsewhere; the admin revokes the first of those sessions.
    const first = await server.login('zhao.min', NEW_PASSWORD);
    const second = await server.login('zhao.min', NEW_PASSWORD);
    const name = locale === 'zh-CN' ? '赵敏' : 'Zhao Min';
    await page.getByRole('button', { name: text('admin.users.sessionsOf', { name }) }).click();
    const sessions = page.getByRole('dialog', { name: text('admin.sessions.title', { name }) });
    const revokes = sessions.getByRole('button', { name: pattern('admin.sessions.revokeOne') });
    await expect.poll(() => revokes.count()).toBe(2);
    await shoot('sessions');
    // Newest first: the last row is the first sign-in.
    await revokes.last().click();
    await sessions.getByText(text('admin.sessions.revoked')).waitFor();
    await expect.poll(() => revokes.count()).toBe(1);
    expect((await server.api('GET', '/api/auth/me', { token: first })).status).toBe(401);
    expect((await server.api('GET', '/api/auth/me', { token: second })).status).toBe(200);
    await page.keyboard.press('Escape');
    await sessions.waitFor({ state: 'detached' });
  });

  it('issues a wallboard token shown once', async () => {
    await page.getByRole('link', { name: text('admin.nav.devices') }).click();
    await page
      .getByLabel(text('admin.devices.label'), { exact: true })
      .fill(locale === 'zh-CN' ? '大厅大屏' : 'Hall screen');
    await page.getByRole('button', { name: text('admin.devices.issue') }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    const token = await dialog
      .getByLabel(text('admin.devices.token'), { exact: true })
      .inputValue();
    expect(token.length).toBeGreaterThan(20);
    await shoot('device-token');
    await dialog.getByRole('button', { name: text('admin.devices.done') }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: pattern('admin.devices.revokeOf') }).waitFor();
    expect(await page.content()).not.toContain(token);
    await shoot('devices');
  });

  it('changes an SLA policy after its preview and follows the re-plan', async () => {
    await page.getByRole('link', { name: text('admin.nav.sla') }).click();
    const minutes = page.getByLabel(
      text('admin.sla.minutes', { priority: 'P1', target: text('admin.sla.target.resolve') }),
    );
    await minutes.waitFor();
    expect(await minutes.inputValue()).toBe('240');
    await minutes.fill('30');
    await page.getByRole('button', { name: text('admin.sla.preview') }).click();
    const report = page.getByRole('region', { name: text('admin.preview.title') });
    await report.waitFor();
    expect(await report.textContent()).toMatch(pattern('admin.preview.summary'));
    await shoot('sla-preview');
    await page.getByRole('button', { name: text('admin.sla.save') }).click();
    await page.getByText(pattern('admin.replan.done')).waitFor({ timeout: 60_000 });
    await shoot('sla-replanned');
    const stored = await server.api('GET', '/api/sla/policies', {
      token: await server.login('admin', ADMIN_PASSWORD),
    });
    const p1 = (
      stored.body as {
        policies: Array<{
          priorities: { P1: { targets: Array<{ name: string; due: { minutes?: number } }> } };
        }>;
      }
    ).policies[0]?.priorities.P1;
    expect(p1?.targets.find((t) => t.name === 'resolve')?.due.minutes).toBe(30);
  });

  it('imports a holiday calendar from an .ics after previewing the days it changes', async () => {
    await page.getByRole('link', { name: text('admin.nav.calendars') }).click();
    await page
      .getByLabel(text('admin.calendars.into'), { exact: true })
      .selectOption('cn-0900-1800');
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(
      Date.now(),
    );
    await page.getByLabel(text('admin.calendars.file'), { exact: true }).setInputFiles({
      name: 'company.ics',
      mimeType: 'text/calendar',
      buffer: Buffer.from(companyIcs(today)),
    });
    await page.getByText(pattern('admin.calendars.asIcs')).waitFor();
    // The preview asks the server before anything is stored; apply waits for it.
    expect(
      await page.getByRole('button', { name: text('admin.calendars.apply') }).isDisabled(),
    ).toBe(true);
    await page.getByRole('button', { name: text('admin.calendars.preview') }).click();
    const diff = page.getByRole('region', { name: text('admin.calendars.diffTitle') });
    await diff.waitFor();
    expect(await diff.textContent()).toMatch(pattern('admin.calendars.diffSummary'));
    const swap = diff.getByRole('row', { name: /2026-10-07/ });
    expect(await swap.textContent()).toContain(text('admin.calendars.changed'));
    expect(await swap.textContent()).toContain(text('admin.calendars.kind.workday'));
    await diff.getByRole('row', { name: new RegExp(today) }).waitFor();
    await shoot('calendar-preview');
    await page.getByRole('button', { name: text('admin.calendars.apply') }).click();
    await page.getByText(pattern('admin.replan.done')).waitFor({ timeout: 60_000 });
    await waitForStatus(page, 'live');
    await shoot('calendars');

    expect(problems).toEqual([]);
    expect(violations).toEqual([]);
  });
});
