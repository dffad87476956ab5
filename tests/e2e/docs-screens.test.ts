import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../apps/server/src/clock';
import { ADMIN_PASSWORD, startTestServer } from '../../apps/server/src/testing/harness';
import type { TestServer } from '../../apps/server/src/testing/harness';
import { DESK_VIEWPORT, launchChromium, SCREENSHOT_DIR, signIn } from './support/browser';
import { findScreenProblems } from './support/screenCheck';

const PASSWORD = 'dutydesk-demo';
/** Monday 2 March 2026, 10:00 in Shanghai: a working day. */
const T0 = Date.parse('2026-03-02T02:00:00.000Z');
const MINUTE = 60_000;
/** With DUTYDESK_DOC_SCREENSHOTS=1 the shots go to docs/screenshots/ (committed), else artifacts. */
const OUT = process.env.DUTYDESK_DOC_SCREENSHOTS
  ? fileURLToPath(new URL('../../docs/screenshots', import.meta.url))
  : SCREENSHOT_DIR;

/** A raw i18n key or SLA target name shown as text: `alert.msg.handover`, `contact-15m`. */
const RAW_KEY = /^[a-z]+(\.[a-zA-Z0-9-]+)+$/;
/**
 * Latin words a Chinese screen may show outside data: ticket numbers (INC-2026-000001), P1–P4,
 * units, the zone label, the product's name, the shortcut keys (Ctrl+V: a single capital) and the
 * language switch.
 */
const LATIN_ALLOWED =
  /^(INC|CMP|SR|CON|REQ)-[\d-]+$|^P[1-4]$|^(h|min|s|d|ms|UTC|GMT|Dutydesk|Ctrl|K|Alt|Shift|English|EN|Enter|Esc|vs|[a-z]|[A-Z])$/;
/** Elements that hold the desk's data (titles, names, free text): not the console's words. */
const DATA_SELECTORS = [
  '.queue-cell--title',
  '.queue-cell--assignee',
  '.workspace__title',
  '.timeline__text',
  '.timeline__who',
  '.details__list dd',
  '.details__description',
  '.details__resolution',
  '.topbar__user',
  '.alert-card__title',
  '.log-entry',
  '.presence',
  '.duty-ticket__title',
  '.duty-ticket__who',
  '.drop-card__name',
  '.milestone',
  '.wb-urgent__title',
  '.wb-urgent__who',
  '.wb-duty',
  '.on-duty',
  'kbd',
  'code',
  'input',
  'textarea',
  'select',
  '.locale-switch',
];

/** Visible text on the page that is a raw key, or Latin words outside data and the allow-list. */
async function findUntranslated(page: Page): Promise<string[]> {
  return page.evaluate(
    ({ rawKey, allowed, dataSelectors }) => {
      const raw = new RegExp(rawKey);
      const allow = new RegExp(allowed);
      const problems: string[] = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = (node.textContent ?? '').trim();
        const el = node.parentElement;
        if (!text || !el) continue;
        const box = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        if (box.width === 0 || box.height === 0 || style.visibility === 'hidden') continue;
        if (el.closest('.visually-hidden')) continue;
        if (raw.test(text) || /contact-\d+[mh]\b|\bannounce\b/.test(text)) {
          problems.push(`raw key: "${text}"`);
          continue;
        }
        if (el.closest(dataSelectors.join(','))) continue;
        for (const word of text.match(/[A-Za-z][A-Za-z0-9-]*/g) ?? []) {
          if (!allow.test(word)) problems.push(`Latin "${word}" in "${text.slice(0, 60)}"`);
        }
      }
      return [...new Set(problems)];
    },
    { rawKey: RAW_KEY.source, allowed: LATIN_ALLOWED.source, dataSelectors: DATA_SELECTORS },
  );
}

/**
 * The screenshots of docs/screenshots/: the workspace, the queue, the escalation stack and the
 * wallboard at 1440×900 in zh-CN and en, with a P1 that has breached its response (so the stack
 * shows a breach, its superseded warning hidden, and the next climb). Each is checked as shown
 * (nothing cut off, no English on the Chinese screen, no raw key).
 */
describe('documentation screenshots', () => {
  let server: TestServer;
  let browser: Browser;
  let clock: ManualClock;
  let p1: { id: string; number: string };
  let deviceToken: string;
  const problems: string[] = [];

  async function shoot(page: Page, name: string, locale: 'en' | 'zh-CN'): Promise<void> {
    mkdirSync(OUT, { recursive: true });
    await page.screenshot({ path: join(OUT, `${name}-${locale}.png`) });
    for (const p of await findScreenProblems(page, locale))
      problems.push(`${name}-${locale}: ${p}`);
    if (locale === 'zh-CN') {
      for (const p of await findUntranslated(page)) problems.push(`${name}-${locale}: ${p}`);
    }
  }

  beforeAll(async () => {
    clock = new ManualClock(new Date(T0));
    server = await startTestServer({ driver: 'pglite', clock, env: { DUTYDESK_DEMO: '1' } });
    const manager = await server.login('sunli', PASSWORD);
    const created = await server.api('POST', '/api/commands', {
      token: manager,
      body: {
        type: 'ticket.create',
        commandId: `docs-p1-${Date.now()}`,
        title: '核心交换机宕机，三楼全部断网 / Core switch down, floor 3 offline',
        description: 'Hotline call',
        channel: 'hotline',
        priority: 'P1',
      },
    });
    expect(created.status).toBe(200);
    p1 = (created.body as { ticket: { id: string; number: string } }).ticket;
    // Past 75 % and then past the response deadline: a warning, then the breach that supersedes it.
    for (const at of [T0 + 12 * MINUTE, T0 + 16 * MINUTE]) {
      clock.set(new Date(at));
      await server.scheduler.tick();
      await server.escalation.tick();
    }
    const admin = await server.login('admin', ADMIN_PASSWORD);
    const device = await server.api('POST', '/api/devices', {
      token: admin,
      body: { label: 'Docs hall' },
    });
    expect(device.status).toBe(201);
    deviceToken = (device.body as { token: string }).token;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it.each(['en', 'zh-CN'] as const)(
    'shoots workspace, queue, stack and wallboard in %s with nothing untranslated or overlapping',
    async (locale) => {
      const zh = locale === 'zh-CN';
      const context = await browser.newContext({
        viewport: DESK_VIEWPORT,
        locale,
        baseURL: server.url,
      });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      await page.goto('/');
      await signIn(page, 'sunli', PASSWORD);
      await page.getByRole('heading', { name: zh ? '工单队列' : 'Queue' }).waitFor();
      await page.locator('.queue-row').first().waitFor();
      const breach = page.locator('[data-testid="alert-card"]', { hasText: p1.number }).first();
      await breach.waitFor();
      // The stack sits in the layout: the queue ends above it, nothing underneath.
      const stackTop = await page
        .locator('.alert-stack')
        .evaluate((el) => el.getBoundingClientRect().top);
      const mainBottom = await page
        .locator('.console__main')
        .evaluate((el) => el.getBoundingClientRect().bottom);
      expect(mainBottom, 'the main view ends where the stack begins').toBeLessThanOrEqual(
        stackTop + 1,
      );
      await shoot(page, 'queue', locale);

      await page.locator('.alert-stack').screenshot({ path: join(OUT, `stack-${locale}.png`) });
      if (zh) for (const p of await findUntranslated(page)) problems.push(`stack-${locale}: ${p}`);
      // Folded, it is one line; unfolded again for the other shots.
      await page.locator('.alert-stack__toggle').click();
      await expect(page.locator('[data-testid="alert-card"]').count()).resolves.toBe(0);
      await page.keyboard.press('Alt+Shift+H');
      await breach.waitFor();

      await page.goto(`/tickets/${p1.id}`);
      await page.locator('.workspace__title', { hasText: p1.number }).waitFor();
      await page.locator('.comment-form textarea').waitFor();
      // Folded to its bar (Alt+Shift+H), the stack leaves the workspace its room.
      await page.keyboard.press('Alt+Shift+H');
      await page.locator('.alert-stack[data-collapsed="true"]').waitFor();
      await shoot(page, 'workspace', locale);
      await page.keyboard.press('Alt+Shift+H');
      await context.close();

      const board = await browser.newContext({
        viewport: DESK_VIEWPORT,
        locale,
        baseURL: server.url,
      });
      const wall = await board.newPage();
      await wall.goto(`/wallboard?token=${encodeURIComponent(deviceToken)}`);
      await wall.locator('[data-testid="wb-open-value"]').waitFor({ timeout: 15_000 });
      await shoot(wall, 'wallboard', locale);
      await board.close();

      expect(problems).toEqual([]);
    },
  );
});
