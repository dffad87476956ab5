import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  rosterShift,
  startTestServer,
} from '../../apps/server/src/testing/harness';
import type { TestServer } from '../../apps/server/src/testing/harness';
import { launchChromium, openSeat, saveScreenshot, signIn, waitForStatus } from './support/browser';
import { findScreenProblems } from './support/screenCheck';

const PASSWORD = 'dutydesk-demo';
const LOCALES = ['en', 'zh-CN'] as const;
type Locale = (typeof LOCALES)[number];

/**
 * Every screen of the console at 1440×900 in both languages, saved to
 * `artifacts/screenshots/<screen>-<locale>-1440.png` and checked as shown: nothing cut off or
 * broken over lines, no English left on a Chinese screen. (The escalation prompt is shot by
 * escalation.test.ts, the conflict banner and the 1920 shots by console.test.ts.)
 */
describe.each(LOCALES)('every console screen in %s', (locale: Locale) => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  async function shoot(screen: string): Promise<void> {
    await saveScreenshot(page, `${screen}-${locale}-1440`);
    for (const p of await findScreenProblems(page, locale)) problems.push(`${screen}: ${p}`);
  }

  beforeAll(async () => {
    server = await startTestServer({ driver: 'pglite', env: { DUTYDESK_DEMO: '1' } });
    // A shift on the roster, so the duty board shows who is on duty; it began 13 h ago, past the
    // handover job's look-back, so no handover prompt covers the screens.
    const admin = await server.login('admin', ADMIN_PASSWORD);
    const users = (await server.api('GET', '/api/users', { token: admin })).body as {
      users: Array<{ id: string; username: string }>;
    };
    const userId = (username: string) => users.users.find((u) => u.username === username)?.id ?? '';
    await rosterShift(server, admin, Date.now() - 13 * 3_600_000, Date.now() + 8 * 3_600_000, [
      [userId('sunli'), 'duty_manager'],
      [userId('director'), 'service_director'],
      [userId('lina'), 'desk_agent'],
      [userId('emma'), 'desk_agent'],
      [userId('liuyang'), 'engineer_l2'],
    ]);
    browser = await launchChromium();
    page = (await openSeat(browser, server.url, locale)).page;
    page.setDefaultTimeout(10_000);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('shows login, queue, ticket workspace, create dialog, help, palette and duty board whole and translated', async () => {
    const zh = locale === 'zh-CN';
    await page.locator('input[name="username"]').waitFor();
    await shoot('login');
    await signIn(page, 'sunli', PASSWORD);
    await page.getByRole('heading', { name: zh ? '工单队列' : 'Queue' }).waitFor();
    await page.locator('.queue-row').nth(12).waitFor();
    await shoot('queue');

    // A demo ticket with an execution log, on hold: the fullest workspace.
    await page.locator('.queue-filters input').first().fill('CRM slow');
    await page.locator('.queue-row', { hasText: 'CRM slow since the upgrade (#2)' }).dblclick();
    await page.getByTestId('execution-entries').waitFor();
    await waitForStatus(page, 'live');
    await shoot('ticket-workspace');

    await page.keyboard.press('c');
    const create = page.getByRole('dialog');
    await create.waitFor();
    await page.keyboard.type(zh ? '会议室投影仪无信号' : 'Projector in room 5 has no signal');
    await shoot('create-ticket');
    await page.keyboard.press('Escape');
    await create.waitFor({ state: 'detached' });

    await page.keyboard.press('?');
    const help = page.getByRole('dialog');
    await help.waitFor();
    await shoot('help');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });

    await page.keyboard.press('Control+K');
    const palette = page.getByRole('dialog');
    await palette.waitFor();
    await shoot('palette');
    await page.keyboard.press('Escape');
    await palette.waitFor({ state: 'detached' });

    await page.goto('/duty');
    await waitForStatus(page, 'live');
    await page.locator('.duty-ticket').first().waitFor();
    await page.locator('.on-duty__row[data-duty="duty_manager"]', { hasText: '孙丽' }).waitFor();
    await shoot('duty-board');

    expect(problems).toEqual([]);
  });
});
