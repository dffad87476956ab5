import { REPORT_NAMES } from '@dutydesk/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../apps/server/src/clock';
import { ADMIN_PASSWORD, startTestServer } from '../../apps/server/src/testing/harness';
import type { TestServer } from '../../apps/server/src/testing/harness';
import { readPdf } from '../../apps/server/src/testing/pdfText';
import {
  chooseInUserMenu,
  launchChromium,
  openSeat,
  saveDocScreenshot,
  signIn,
  type Seat,
} from './support/browser';
import { findScreenProblems } from './support/screenCheck';

const WAIT = 30_000;
const CATEGORIES: Array<[string, string[]]> = [
  ['网络', ['VPN', '交换机', '无线']],
  ['硬件', ['打印机', '服务器']],
  ['应用', ['邮件', 'ERP']],
];

/**
 * Issue 22, acceptance 4 (the screen and PDF points): a month of generated activity (November
 * 2026 on the server's clock: tickets of two customers every working day, most resolved, some
 * late), then the reports screen in Chromium at 1440×900 — reached by the palette, a report
 * picked by keyboard, its chart drawn and its table filled, CSV and XLSX downloaded from the
 * server — in English and Chinese (and dark); the kept monthly service report opens as a
 * printable page and downloads as a PDF with the Chinese text in it.
 */
describe('the reports screen in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let seat: Seat;
  const clock = new ManualClock('2026-11-02T00:30:00.000Z');
  let admin = '';
  let n = 0;

  const command = async (body: Record<string, unknown>) => {
    const res = await server.api('POST', '/api/commands', {
      token: admin,
      body: { commandId: `rpt-e2e-${++n}`, ...body },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as { ticket: { id: string; version: number } };
  };

  beforeAll(async () => {
    // A month passes on the server's clock while one session drives it.
    server = await startTestServer({
      driver: 'pglite',
      clock,
      env: { DUTYDESK_SESSION_HOURS: String(24 * 60) },
    });
    admin = await server.login('admin', ADMIN_PASSWORD);
    const users = (await server.api('GET', '/api/users', { token: admin })).body as {
      users: Array<{ id: string; username: string }>;
    };
    const adminId = users.users.find((u) => u.username === 'admin')?.id;
    await server.api('POST', '/api/groups', {
      token: admin,
      body: { id: 'rpt-l1', name: 'Reports L1', nameZh: '一线', tier: 1 },
    });
    const orgs: string[] = [];
    for (const name of ['华东电网有限公司', '北方水务集团']) {
      const res = await server.api('POST', '/api/organisations', { token: admin, body: { name } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      orgs.push((res.body as { id: string }).id);
    }
    const t0 = performance.now();
    let made = 0;
    // Working days of November: 2–4 tickets a day from 09:00 Shanghai (01:00 UTC).
    for (let day = 2; day <= 27; day++) {
      const date = new Date(Date.UTC(2026, 10, day));
      if (date.getUTCDay() === 0 || date.getUTCDay() === 6) continue;
      for (let k = 0; k < 2 + (day % 3); k++) {
        const i = made++;
        const [category, modules] = CATEGORIES[i % CATEGORIES.length] ?? CATEGORIES[0]!;
        const module = modules[(i + day) % modules.length] ?? modules[0];
        const priority = i % 7 === 0 ? 'P1' : i % 3 === 0 ? 'P3' : 'P2';
        clock.set(new Date(Date.UTC(2026, 10, day, 1 + k * 2, (i * 7) % 50)));
        const created = await command({
          type: 'ticket.create',
          title: `${category} ${module} 故障 ${i}`,
          description: '',
          channel: 'hotline',
          priority,
          category,
          module,
          organisationId: orgs[i % 2],
        });
        const id = created.ticket.id;
        clock.advance((5 + (i % 4) * 10) * 60_000);
        await command({ type: 'ticket.classify', ticketId: id, category });
        await command({
          type: 'ticket.assign',
          ticketId: id,
          groupId: 'rpt-l1',
          assigneeId: adminId,
        });
        await command({ type: 'ticket.accept', ticketId: id });
        await command({ type: 'ticket.comment', ticketId: id, body: '已受理，正在处理' });
        if (i % 5 === 4) continue; // some stay open
        // Most within their target, every fourth late.
        clock.advance((i % 4 === 3 ? 9 * 60 : 30 + (i % 6) * 20) * 60_000);
        await command({ type: 'ticket.resolve', ticketId: id, code: 'fixed', summary: '已修复' });
      }
    }
    console.log(
      `generated ${made} tickets (${n} commands) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    // 1 December 00:30 in Shanghai: the engine's run keeps November's service reports.
    clock.set('2026-11-30T16:30:00.000Z');
    await server.escalation.tick();
    await server.serviceReports.idle();
    browser = await launchChromium();
    seat = await openSeat(browser, server.url, 'en');
    await signIn(seat.page, 'admin', ADMIN_PASSWORD);
    // The month's breaches raised alerts: fold their stack (Alt+Shift+H) off the screen's way.
    await seat.page.locator('.alert-stack').waitFor({ timeout: WAIT });
    await seat.page.keyboard.press('Alt+Shift+H');
    await seat.page.locator('.alert-stack[data-collapsed="true"]').waitFor({ timeout: WAIT });
  }, 600_000);

  afterAll(async () => {
    await seat?.context.close();
    await browser?.close();
    await server?.dispose();
  });

  /** Sets the period to November by its from/to fields. */
  async function pickNovember(page: Page): Promise<void> {
    await page.getByTestId('reports-from').fill('2026-11-01');
    await page.getByTestId('reports-to').fill('2026-11-30');
  }

  async function waitForReport(page: Page): Promise<void> {
    await page.locator('[data-testid="report-table"] tbody tr').first().waitFor({ timeout: WAIT });
    await page.locator('.report-chart canvas').first().waitFor({ timeout: WAIT });
  }

  it('opens from the palette, moves between reports by keyboard, draws the chart and downloads CSV and XLSX', async () => {
    const { page } = seat;
    await page.keyboard.press('Control+k');
    const input = page.locator('.palette__input');
    await input.waitFor({ timeout: WAIT });
    await input.fill('reports');
    await input.press('Enter');
    await page.getByTestId('reports-screen').waitFor({ timeout: WAIT });
    await pickNovember(page);
    await waitForReport(page);
    // Arrow keys move between the reports' tabs.
    await page.getByRole('tab', { selected: true }).focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect
      .poll(() => page.evaluate(() => location.pathname), { timeout: WAIT })
      .toBe('/reports/volume');
    await waitForReport(page);
    const rows = await page.locator('[data-testid="report-table"] tbody tr').count();
    expect(rows).toBeGreaterThan(3);
    const first = await page.locator('[data-testid="report-table"] tbody tr').first().innerText();
    expect(first).toMatch(/网络|硬件|应用/);
    // Downloads: what the server answers for the same query.
    for (const [button, ext] of [
      ['reports-csv', 'csv'],
      ['reports-xlsx', 'xlsx'],
    ] as const) {
      const [download] = await Promise.all([
        page.waitForEvent('download', { timeout: WAIT }),
        page.getByTestId(button).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(new RegExp(`\\.${ext}$`));
      const path = await download.path();
      expect(path).toBeTruthy();
    }
    expect(await findScreenProblems(page, 'en')).toEqual([]);
    await saveDocScreenshot(page, 'reports-volume-en');
    await page.getByRole('tab', { name: 'SLA attainment by week and priority' }).click();
    await waitForReport(page);
    await saveDocScreenshot(page, 'reports-sla-en');
    await chooseInUserMenu(page, 'theme-switch', 'dark');
    await page.getByRole('tab', { name: 'Modules that fail most' }).click();
    await waitForReport(page);
    await saveDocScreenshot(page, 'reports-failing-modules-en-dark');
    await chooseInUserMenu(page, 'theme-switch', 'light');
  }, 240_000);

  it('reads the same reports in Chinese', async () => {
    const { page } = seat;
    await chooseInUserMenu(page, 'locale-switch', 'zh-CN');
    for (const name of REPORT_NAMES) {
      await page.goto(`${server.url}/reports/${name}`);
      await page.getByTestId('reports-screen').waitFor({ timeout: WAIT });
    }
    await page.goto(`${server.url}/reports/sla-attainment`);
    await pickNovember(page);
    await waitForReport(page);
    expect(await page.getByRole('columnheader', { name: 'P1 达成率' }).count()).toBe(1);
    expect(await findScreenProblems(page, 'zh-CN')).toEqual([]);
    await saveDocScreenshot(page, 'reports-sla-zh-CN');
    await page.getByRole('tab', { name: '按类别和模块的工单量' }).click();
    await waitForReport(page);
    await saveDocScreenshot(page, 'reports-volume-zh-CN');
  }, 240_000);

  it('lists the kept monthly reports, opens one as a printable page and downloads its PDF', async () => {
    const { page } = seat;
    await page.getByRole('tab', { name: '月度服务报告' }).click();
    const list = page.getByTestId('service-list');
    await list.waitFor({ timeout: WAIT });
    // November's three (the desk, two customers), and October's desk report kept at the start.
    expect(await list.locator('tbody tr', { hasText: '2026-11' }).count()).toBe(3);
    await saveDocScreenshot(page, 'reports-service-list-zh-CN');
    await list.locator('tbody tr', { hasText: '华东电网有限公司' }).getByRole('link').click();
    await page.getByTestId('service-report').waitFor({ timeout: WAIT });
    await page.locator('.service-report canvas').first().waitFor({ timeout: WAIT });
    expect(await page.locator('.service-report h1').innerText()).toBe('服务报告：华东电网有限公司');
    await saveDocScreenshot(page, 'reports-service-zh-CN');
    // Print CSS: the console's frame is not printed.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.topbar').isVisible()).toBe(false);
    await page.emulateMedia({ media: 'screen' });
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: WAIT }),
      page.locator('.service-report__bar .button--primary').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^service-report-2026-11-.*\.pdf$/);
    const path = await download.path();
    const { readFileSync } = await import('node:fs');
    const pdf = readPdf(readFileSync(path));
    expect(pdf.text).toContain('服务报告 · 华东电网有限公司');
    expect(pdf.text).toContain('期间 2026-11');
  }, 240_000);
});
