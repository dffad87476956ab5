import AxeBuilder from '@axe-core/playwright';
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  rosterShift,
  startTestServer,
} from '../../apps/server/src/testing/harness';
import type { TestServer } from '../../apps/server/src/testing/harness';
import { launchChromium, openSeat, saveScreenshot, signIn } from './support/browser';
import type { Seat } from './support/browser';
import { findScreenProblems } from './support/screenCheck';

const PASSWORD = 'dutydesk-demo';
const MINUTE = 60_000;

/** Serious and critical axe violations on the page as shown, as readable lines. */
export async function findAxeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/**
 * Refusing a dispatch in the console (decision 36), on the real server with its escalation loop
 * on the wall clock: the engineer refuses in the ticket workspace with the keyboard, and the
 * duty manager's seat shows the prompt — ticket, engineer, reason — and the test prints how long
 * it took (the target is a second; it asserts 10 s, which a loaded machine still meets).
 */
describe('refusing a dispatch in Chromium against a real server', () => {
  let server: TestServer;
  let browser: Browser;
  let admin: string;
  let manager: string;
  const seats: Seat[] = [];

  async function api<T>(method: string, path: string, token: string, body?: unknown): Promise<T> {
    const res = await server.api(method, path, { token, body });
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
    return res.body as T;
  }

  async function command<T>(token: string, body: Record<string, unknown>): Promise<T> {
    const ack = await api<{ ok: boolean; ticket: T }>('POST', '/api/commands', token, {
      commandId: randomUUID(),
      ...body,
    });
    return ack.ticket;
  }

  async function seat(username: string, locale: 'zh-CN' | 'en'): Promise<Seat> {
    const s = await openSeat(browser, server.url, locale);
    seats.push(s);
    await signIn(s.page, username, PASSWORD);
    return s;
  }

  beforeAll(async () => {
    server = await startTestServer({ driver: 'pglite', env: { DUTYDESK_DEMO: '1' } });
    browser = await launchChromium();
    admin = await server.login('admin', ADMIN_PASSWORD);
    manager = await server.login('sunli', PASSWORD);
    const staff = await api<{ users: Array<{ id: string; username: string }> }>(
      'GET',
      '/api/users',
      admin,
    );
    const managerId = staff.users.find((u) => u.username === 'sunli')?.id ?? '';
    const now = Date.now();
    await rosterShift(server, admin, now - 60 * MINUTE, now + 12 * 60 * MINUTE, [
      [managerId, 'duty_manager'],
    ]);
  });

  afterAll(async () => {
    for (const s of seats) await s.context.close();
    await browser?.close();
    await server?.dispose();
  });

  it.each(['en', 'zh-CN'] as const)(
    'an engineer refuses with a reason by keyboard (%s) and the duty manager sees the prompt at once',
    async (locale) => {
      const staff = await api<{ users: Array<{ id: string; username: string }> }>(
        'GET',
        '/api/users',
        admin,
      );
      const omarId = staff.users.find((u) => u.username === 'omar')?.id ?? '';
      const created = await command<{ id: string; number: string }>(manager, {
        type: 'ticket.create',
        title: `ERP report export fails ${locale}`,
        description: 'Export to XLSX times out',
        channel: 'hotline',
        priority: 'P3',
      });
      await command(manager, { type: 'ticket.classify', ticketId: created.id, category: 'erp' });
      await command(manager, {
        type: 'ticket.assign',
        ticketId: created.id,
        groupId: 'l2-apps',
        assigneeId: omarId,
      });

      const dm = await seat('sunli', locale);
      const engineer = await seat('omar', locale);
      await engineer.page.goto(`/tickets/${created.id}`);
      const refuse = engineer.page.locator('[data-action="refuse"]');
      await refuse.waitFor();
      expect(await refuse.isEnabled()).toBe(true);

      // Keyboard only: `x` opens the form with the reason focused, Tab reaches the button.
      await engineer.page.locator('.workspace__title').click();
      await engineer.page.keyboard.press('x');
      const reason = engineer.page.locator('textarea[name="refuse-reason"]');
      await reason.waitFor();
      expect(await reason.evaluate((el) => el === document.activeElement)).toBe(true);
      const why = locale === 'en' ? 'ERP exports are L3 work' : 'ERP 导出属于三线工作';
      await engineer.page.keyboard.type(why);
      const problems = await findScreenProblems(engineer.page, locale);
      expect(problems, problems.join('\n')).toEqual([]);
      expect(await findAxeViolations(engineer.page)).toEqual([]);
      await saveScreenshot(engineer.page, `refuse-form-${locale}-1440`);
      // Timed in the pages themselves (one machine clock): the form's submit on the engineer's
      // page, the prompt's first appearance on the duty manager's (a MutationObserver), so the
      // figure holds no test-driver round trips.
      await dm.page.evaluate((number) => {
        const w = window as unknown as { promptAt?: Promise<number> };
        w.promptAt = new Promise<number>((resolve) => {
          const check = (): void => {
            const cards = document.querySelectorAll('[data-alert-kind="dispatch.refused"]');
            if (Array.from(cards).some((c) => c.textContent?.includes(number))) {
              observer.disconnect();
              resolve(Date.now());
            }
          };
          const observer = new MutationObserver(check);
          observer.observe(document.body, { subtree: true, childList: true, characterData: true });
          check();
        });
      }, created.number);
      await engineer.page.evaluate(() => {
        const w = window as unknown as { submitAt?: number };
        document.addEventListener('submit', () => (w.submitAt = Date.now()), {
          capture: true,
          once: true,
        });
      });
      await engineer.page.keyboard.press('Tab');
      await engineer.page.keyboard.press('Enter');

      const prompt = dm.page.locator('[data-alert-kind="dispatch.refused"]', {
        hasText: created.number,
      });
      await prompt.waitFor({ timeout: 30_000 });
      const promptAt = await dm.page.evaluate(
        () => (window as unknown as { promptAt: Promise<number> }).promptAt,
      );
      const submitAt = await engineer.page.evaluate(
        () => (window as unknown as { submitAt?: number }).submitAt ?? Number.NaN,
      );
      const latencyMs = promptAt - submitAt;
      console.log(`[refuse e2e ${locale}] submit → duty manager's prompt shown: ${latencyMs} ms`);
      // Acceptance 2 asks for a second; the figure is printed above. The bound asserted is one a
      // loaded two-core machine still meets (the prompt arrives, promptly), not the target itself.
      expect(latencyMs, `the prompt took ${latencyMs} ms`).toBeLessThan(10_000);
      const text = (await prompt.textContent()) ?? '';
      expect(text).toContain('Omar Haddad');
      expect(text).toContain(why);

      // The engineer's workspace: nobody's now, dispatched to the group again, Refuse gone.
      await expect
        .poll(() => engineer.page.locator('[data-action="refuse"]').isDisabled())
        .toBe(true);
      const stored = await api<{ status: string; assigneeId: string | null; groupId: string }>(
        'GET',
        `/api/tickets/${created.id}`,
        admin,
      );
      expect(stored).toMatchObject({ status: 'dispatched', assigneeId: null, groupId: 'l2-apps' });

      const dmProblems = await findScreenProblems(dm.page, locale);
      expect(dmProblems, dmProblems.join('\n')).toEqual([]);
      expect(await findAxeViolations(dm.page)).toEqual([]);
      await saveScreenshot(dm.page, `refused-prompt-${locale}-1440`);
    },
  );
});
