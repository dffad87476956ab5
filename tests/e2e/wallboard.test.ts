import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestServer } from '../../apps/server/src/testing/harness';
import type { TestServer } from '../../apps/server/src/testing/harness';
import { launchChromium, saveScreenshot } from './support/browser';

const DEMO_PASSWORD = 'dutydesk-demo';
const HD = { width: 1920, height: 1080 } as const;
const UHD = { width: 3840, height: 2160 } as const;

/** Numbers and clocks that must be shown whole: never clipped, never outside their panel. */
async function findClippedText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > window.innerWidth || doc.scrollHeight > window.innerHeight) {
      problems.push(`page scrolls: ${doc.scrollWidth}×${doc.scrollHeight}`);
    }
    const selectors = [
      '.wb-tile__value',
      '.wb-tile__label',
      '.wb-tile__detail',
      '.wb-stat__label',
      '.wb-stat__value',
      '.wb-stat__detail',
      '.wb-panel__title',
      '.wb-urgent__target',
      '.wb-urgent__clock',
      '.wb-urgent__number',
      '.wb-table td',
      '.wb-header__clock',
      '.wb-prios',
    ];
    for (const el of Array.from(document.querySelectorAll<HTMLElement>(selectors.join(',')))) {
      const box = el.getBoundingClientRect();
      const panel = el.closest('.wb-tile, .wb-panel, .wb-header');
      const outer = panel?.getBoundingClientRect();
      const text = (el.textContent ?? '').trim();
      if (el.scrollWidth > el.clientWidth + 1) problems.push(`overflows its box: "${text}"`);
      if (
        outer &&
        (box.right > outer.right + 1 ||
          box.bottom > outer.bottom + 1 ||
          box.left < outer.left - 1 ||
          box.top < outer.top - 1)
      ) {
        problems.push(`outside its panel: "${text}"`);
      }
    }
    return problems;
  });
}

async function readOpenTotal(page: Page): Promise<number> {
  return Number(await page.locator('[data-testid="wb-open-value"]').innerText());
}

describe('wallboard in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let admin: string;
  let manager: string;

  const command = async (body: Record<string, unknown>): Promise<{ id: string }> => {
    const res = await server.api('POST', '/api/commands', {
      token: manager,
      body: { commandId: randomUUID(), ...body },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return (res.body as { ticket: { id: string } }).ticket;
  };
  const createTicket = async (title: string, extra: Record<string, unknown> = {}) =>
    command({
      type: 'ticket.create',
      title,
      description: title,
      channel: 'monitoring',
      priority: 'P1',
      ...extra,
    });
  /** A busy desk: every panel has something to show, with long titles and big numbers. */
  const populateDesk = async (): Promise<void> => {
    const ago = (min: number): string => new Date(Date.now() - min * 60_000).toISOString();
    await createTicket(
      'Payment gateway returns HTTP 502 for every card transaction since the midnight deploy',
      {
        receivedAt: ago(40),
        majorIncident: true,
      },
    );
    await createTicket('核心交换机端口大量丢包，影响三楼全部办公网络', { receivedAt: ago(12) });
    for (let i = 0; i < 24; i++) {
      await createTicket(`Mailbox quota request ${i + 1}`, {
        priority: i % 3 === 0 ? 'P2' : 'P3',
        receivedAt: ago(i * 7),
        groupId: i % 2 === 0 ? 'l1' : 'l2-apps',
      });
    }
    const t = await createTicket('Password reset for the finance director', { priority: 'P2' });
    await command({ type: 'ticket.classify', ticketId: t.id, category: 'account' });
    await command({ type: 'ticket.assign', ticketId: t.id, groupId: 'l1' });
    await command({ type: 'ticket.accept', ticketId: t.id });
    await command({ type: 'ticket.comment', ticketId: t.id, body: 'Reset done', internal: false });
    await command({ type: 'ticket.resolve', ticketId: t.id, code: 'fixed', summary: 'reset' });
    await command({
      type: 'ticket.log.supervision',
      ticketId: t.id,
      source: 'on_behalf',
      ratings: { overall: 5 },
    });
  };
  const createDevice = async (label: string): Promise<{ id: string; token: string }> => {
    const res = await server.api('POST', '/api/devices', { token: admin, body: { label } });
    expect(res.status).toBe(201);
    return res.body as { id: string; token: string };
  };
  const openBoard = async (
    token: string,
    viewport: { width: number; height: number },
    query = '',
    locale: 'en' | 'zh-CN' = 'en',
  ) => {
    const context = await browser.newContext({ viewport, locale, baseURL: server.url });
    const page = await context.newPage();
    await page.goto(`/wallboard?token=${encodeURIComponent(token)}${query}`);
    await page.locator('[data-testid="wb-open-value"]').waitFor({ timeout: 15_000 });
    return { context, page };
  };

  beforeAll(async () => {
    server = await startTestServer({ driver: 'pglite', env: { DUTYDESK_DEMO: '1' } });
    browser = await launchChromium();
    admin = await server.login('admin', ADMIN_PASSWORD);
    manager = await server.login('sunli', DEMO_PASSWORD);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('takes the token from the address once, and updates within a second of a change', async () => {
    const device = await createDevice('Hall east');
    const { context, page } = await openBoard(device.token, HD);
    expect(new URL(page.url()).searchParams.has('token')).toBe(false);
    expect(await page.evaluate(() => localStorage.getItem('dutydesk.wallboard.token'))).toBe(
      device.token,
    );
    const before = await readOpenTotal(page);
    const started = Date.now();
    await createTicket('Core router unreachable');
    await page.waitForFunction(
      (n) => Number(document.querySelector('[data-testid="wb-open-value"]')?.textContent) === n,
      before + 1,
      { polling: 'raf', timeout: 5_000 },
    );
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(1_000);

    // A reload finds the token in localStorage: no token in the address needed any more.
    await page.goto('/wallboard');
    await page.locator('[data-testid="wb-open-value"]').waitFor();
    expect(await readOpenTotal(page)).toBe(before + 1);
    await context.close();
  });

  it('is legible at 1920×1080 and 3840×2160: nothing clipped, nothing outside its panel', async () => {
    await populateDesk();
    const device = await createDevice('Hall screenshots');
    for (const [name, viewport, locale] of [
      ['wallboard-1920x1080', HD, 'en'],
      ['wallboard-3840x2160', UHD, 'en'],
      ['wallboard-1920x1080-zh', HD, 'zh-CN'],
    ] as const) {
      // Pages rotate every 4 s here (12 s by default) so every page is seen quickly.
      const { context, page } = await openBoard(device.token, viewport, '&rotate=4', locale);
      await page.locator('[data-testid="wb-urgent"]').waitFor();
      await saveScreenshot(page, name);
      expect(await findClippedText(page)).toEqual([]);
      // The rotating pages too: each one checked and kept.
      for (const pageName of ['groups', 'incidents', 'duty']) {
        await page.locator(`[data-testid="wb-page-${pageName}"]`).waitFor({ timeout: 20_000 });
        await saveScreenshot(page, `${name}-${pageName}`);
        expect(await findClippedText(page)).toEqual([]);
      }
      await context.close();
    }
  });

  it('shows a stale banner when the connection drops and recovers by itself', async () => {
    const device = await createDevice('Hall west');
    const { context, page } = await openBoard(device.token, HD);
    await context.setOffline(true);
    for (const s of server.io.sockets.sockets.values()) {
      if (s.data.user.roles.includes('wallboard')) s.conn.close();
    }
    await page.locator('[data-testid="wb-stale-banner"]').waitFor({ timeout: 5_000 });
    await saveScreenshot(page, 'wallboard-stale');
    const before = await readOpenTotal(page);
    await createTicket('Storage array degraded');
    await context.setOffline(false);
    await page.locator('[data-testid="wb-stale-banner"]').waitFor({
      state: 'detached',
      timeout: 20_000,
    });
    await page.waitForFunction(
      (n) => Number(document.querySelector('[data-testid="wb-open-value"]')?.textContent) === n,
      before + 1,
      { timeout: 5_000 },
    );
    await context.close();
  });

  it('cuts a revoked device off: data cleared, a clear message instead', async () => {
    const device = await createDevice('Hall revoked');
    const { context, page } = await openBoard(device.token, HD);
    const started = Date.now();
    const res = await server.api('DELETE', `/api/devices/${device.id}`, { token: admin });
    expect(res.status).toBe(200);
    await page.locator('[data-testid="wb-revoked"]').waitFor({ timeout: 10_000 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await page.locator('[data-testid="wb-open-value"]').count()).toBe(0);
    await saveScreenshot(page, 'wallboard-revoked');
    await context.close();
  });
});
