import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../apps/server/src/clock';
import {
  ADMIN_PASSWORD,
  rosterShift,
  startTestServer,
} from '../../apps/server/src/testing/harness';
import type { TestServer } from '../../apps/server/src/testing/harness';
import { launchChromium, openSeat, saveScreenshot, signIn, waitForStatus } from './support/browser';
import type { Seat } from './support/browser';
import { findScreenProblems } from './support/screenCheck';

const PASSWORD = 'dutydesk-demo';
/** Monday 2 March 2026, 10:00 in Shanghai: a working day, so every SLA clock runs. */
const T0 = Date.parse('2026-03-02T02:00:00.000Z');
const MINUTE = 60_000;

interface ServerAlert {
  id: string;
  ticketId: string | null;
  stepKey: string;
  status: string;
  recipientIds: string[];
  acknowledgedBy: string | null;
}

/** Records the `alert` pushes one socket.io client gets, with the wall-clock time of each. */
class PushLog {
  readonly seen: Array<{ alert: ServerAlert; at: number }> = [];
  private waiters: Array<() => void> = [];
  constructor(socket: Socket) {
    socket.on('alert', (alert: ServerAlert) => {
      this.seen.push({ alert, at: Date.now() });
      for (const wake of this.waiters.splice(0)) wake();
    });
  }
  /** Resolves with the first push that matches, waiting for it if need be. */
  async next(match: (a: ServerAlert) => boolean): Promise<{ alert: ServerAlert; at: number }> {
    for (;;) {
      const hit = this.seen.find((s) => match(s.alert));
      if (hit) return hit;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }
}

const card = (page: Page, alertId: string) => page.locator(`[data-alert-id="${alertId}"]`);

describe('escalation prompts in Chromium against a real server', () => {
  let server: TestServer;
  let browser: Browser;
  let clock: ManualClock;
  let admin: string;
  let manager: string;
  let managerId: string;
  const seats: Seat[] = [];

  async function api<T>(method: string, path: string, token: string, body?: unknown): Promise<T> {
    const res = await server.api(method, path, { token, body });
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
    return res.body as T;
  }

  async function createP1(title: string): Promise<{ id: string; number: string }> {
    const ack = await api<{ ticket: { id: string; number: string } }>(
      'POST',
      '/api/commands',
      manager,
      {
        type: 'ticket.create',
        commandId: randomUUID(),
        title,
        description: `${title}: monitoring alarm`,
        channel: 'monitoring',
        priority: 'P1',
      },
    );
    return ack.ticket;
  }

  async function alertsOf(ticketId: string): Promise<ServerAlert[]> {
    return (await api<{ alerts: ServerAlert[] }>('GET', `/api/alerts?ticketId=${ticketId}`, admin))
      .alerts;
  }

  /** Acknowledges every open alert but `keep`: the demo desk's own tickets raise some too. */
  async function acknowledgeOthers(keep: readonly string[] = []): Promise<void> {
    const open = await api<{ alerts: ServerAlert[] }>('GET', '/api/alerts?open=true', admin);
    for (const a of open.alerts) {
      if (!keep.includes(a.id)) await api('POST', `/api/alerts/${a.id}/ack`, admin, {});
    }
  }

  /** Moves the server's clock and runs the SLA scheduler and the escalation engine once. */
  async function runAt(at: number): Promise<void> {
    clock.set(new Date(at));
    await server.scheduler.tick();
    await server.escalation.tick();
  }

  async function seat(username: string, locale: 'zh-CN' | 'en'): Promise<Seat> {
    const s = await openSeat(browser, server.url, locale);
    seats.push(s);
    await signIn(s.page, username, PASSWORD);
    return s;
  }

  beforeAll(async () => {
    clock = new ManualClock(new Date(T0));
    server = await startTestServer({ driver: 'pglite', clock, env: { DUTYDESK_DEMO: '1' } });
    browser = await launchChromium();
    admin = await server.login('admin', ADMIN_PASSWORD);
    manager = await server.login('sunli', PASSWORD);
    const staff = await api<{ users: Array<{ id: string; username: string }> }>(
      'GET',
      '/api/users',
      admin,
    );
    managerId = staff.users.find((u) => u.username === 'sunli')?.id ?? '';
    // 孙丽 holds the duty-manager duty on today's shift: escalations go to her by name.
    await rosterShift(server, admin, T0 - 60 * MINUTE, T0 + 12 * 60 * MINUTE, [
      [managerId, 'duty_manager'],
    ]);
    const onDuty = await api<{ onDuty: Array<{ userId: string }> }>(
      'GET',
      '/api/roster/on-duty?duty=duty_manager',
      admin,
    );
    expect(onDuty.onDuty.map((u) => u.userId)).toEqual([managerId]);
  });

  afterAll(async () => {
    for (const s of seats) await s.context.close();
    await browser?.close();
    await server?.dispose();
  });

  it('puts a breach prompt on every seat of the on-duty duty manager within 1 s, keeps it until acknowledged, and an acknowledgement on one seat clears it on all', async () => {
    const first = await createP1(`核心路由器宕机 ${Date.now()}`);
    const second = await createP1(`Storage array offline ${Date.now()}`);
    // Everything up to a minute before the P1 response deadline (15 min) fires now, including
    // the demo desk's own thresholds; those are acknowledged so the seats start clean.
    await runAt(T0 + 14 * MINUTE);
    await acknowledgeOthers();

    const desk = await seat('sunli', 'en');
    const laptop = await seat('sunli', 'zh-CN');
    const agent = await seat('lina', 'en');
    for (const s of [desk, laptop, agent]) {
      expect(await s.page.locator('.alert-card').count()).toBe(0);
    }
    const pushes = new PushLog((await server.connect(manager)).socket);

    // The duty manager is typing in the queue filter when the breach comes in.
    const filter = desk.page.locator('.queue-filters input').first();
    await filter.click();
    await filter.pressSequentially('INC');

    // The breach: the P1 response deadline passes on the server's clock.
    clock.set(new Date(T0 + 15 * MINUTE));
    await server.scheduler.tick();
    const isBreachOf = (ticketId: string) => (a: ServerAlert) =>
      a.ticketId === ticketId && a.stepKey === 'P1/breach';
    const [fired1, fired2] = await Promise.all([
      pushes.next(isBreachOf(first.id)),
      pushes.next(isBreachOf(second.id)),
    ]);
    expect(fired1.alert.recipientIds).toEqual([managerId]);
    expect(fired2.alert.recipientIds).toEqual([managerId]);
    const ids = [fired1.alert.id, fired2.alert.id];
    const firedAt = Math.max(fired1.at, fired2.at);
    await Promise.all(
      [desk, laptop].flatMap((s) => ids.map((id) => card(s.page, id).waitFor({ timeout: 1_000 }))),
    );
    const latency = Date.now() - firedAt;
    expect(latency).toBeLessThan(1_000);
    await expect.poll(() => card(desk.page, fired1.alert.id).textContent()).toContain(first.number);

    // The prompt never takes focus: what the duty manager was typing is still there.
    expect(await filter.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await filter.inputValue()).toBe('INC');
    await filter.fill('');
    await desk.page.keyboard.press('Escape');

    // It stays: through later events, a minute more on the server's clock, and a reload.
    await runAt(T0 + 16 * MINUTE);
    const later = await createP1(`Later ticket ${Date.now()}`);
    // The docked prompt takes part of the height: find the new row by filtering to it.
    for (const s of [laptop, agent]) {
      await s.page.locator('.queue-filters input').first().fill(later.number);
      await s.page.locator('.queue-row', { hasText: later.number }).waitFor();
      await s.page.locator('.queue-filters input').first().fill('');
    }
    // Seats apply events in seq order: the agent's seat has had the alerts and shows none.
    expect(await agent.page.locator('.alert-card').count()).toBe(0);
    await laptop.page.reload();
    await waitForStatus(laptop.page, 'live');
    for (const s of [desk, laptop]) {
      for (const id of ids) await card(s.page, id).waitFor();
    }
    await acknowledgeOthers(ids);
    await expect.poll(() => laptop.page.locator('.alert-card').count()).toBe(2);
    expect((await alertsOf(first.id)).find((a) => a.id === ids[0])?.status).toBe('open');
    await saveScreenshot(desk.page, 'alert-prompt-en-1440');
    await saveScreenshot(laptop.page, 'alert-prompt-zh-CN-1440');
    // Worded by the seat in its own language, whole.
    expect(
      await card(laptop.page, ids[0] ?? '')
        .locator('.alert-card__message')
        .textContent(),
    ).toBe(`${first.number} 已超出响应时限`);
    expect(await findScreenProblems(desk.page, 'en')).toEqual([]);
    expect(await findScreenProblems(laptop.page, 'zh-CN')).toEqual([]);

    // Acknowledged with the mouse on the desk seat: gone from both seats within 1 s.
    await card(desk.page, fired1.alert.id).getByRole('button', { name: 'Acknowledge' }).click();
    const ackedAt = Date.now();
    await Promise.all(
      [desk, laptop].map((s) =>
        card(s.page, fired1.alert.id).waitFor({ state: 'detached', timeout: 1_000 }),
      ),
    );
    expect(Date.now() - ackedAt).toBeLessThan(1_000);
    expect(await card(laptop.page, fired2.alert.id).isVisible()).toBe(true);
    const firstAfter = (await alertsOf(first.id)).find((a) => a.id === fired1.alert.id);
    expect(firstAfter).toMatchObject({ status: 'acknowledged', acknowledgedBy: managerId });
    expect((await alertsOf(second.id)).find((a) => a.id === fired2.alert.id)?.status).toBe('open');

    // The other one with the keyboard on the laptop (Alt+Shift+A: the oldest open prompt).
    await laptop.page.keyboard.press('Alt+Shift+A');
    await Promise.all(
      [desk, laptop].map((s) =>
        s.page.locator('.alert-stack').waitFor({ state: 'detached', timeout: 1_000 }),
      ),
    );
    const secondAfter = (await alertsOf(second.id)).find((a) => a.id === fired2.alert.id);
    expect(secondAfter).toMatchObject({ status: 'acknowledged', acknowledgedBy: managerId });
    const open = await api<{ alerts: ServerAlert[] }>('GET', '/api/alerts?open=true', admin);
    expect(open.alerts.filter((a) => ids.includes(a.id))).toEqual([]);

    // Acknowledged, it does not climb to the service director when its 10 minutes are up.
    await runAt(T0 + 30 * MINUTE);
    for (const id of ids) {
      const after = (await alertsOf(id === ids[0] ? first.id : second.id)).find((a) => a.id === id);
      expect(after?.status).toBe('acknowledged');
    }
  });

  it('shows the on-duty roster on the duty board and declares a major incident on the server endpoint', async () => {
    const ticket = await createP1(`Data centre power loss ${Date.now()}`);
    await api('POST', '/api/commands', manager, {
      type: 'ticket.classify',
      commandId: randomUUID(),
      ticketId: ticket.id,
      category: 'facilities',
    });
    const board = await seat('sunli', 'en');
    await board.page.goto('/duty');
    await waitForStatus(board.page, 'live');
    const onDuty = board.page.getByTestId('on-duty');
    await onDuty.locator('[data-duty="duty_manager"]', { hasText: '孙丽' }).waitFor();
    expect(await onDuty.locator('.on-duty__row').count()).toBe(1);

    const row = board.page.locator(`.duty-ticket[data-ticket-id="${ticket.id}"]`);
    await row.click();
    await row.getByRole('button', { name: 'Declare major incident' }).click();
    const form = board.page.getByRole('form', { name: 'Declare major incident' });
    await form.getByLabel(/Note for the incident record/).fill('Both feeds down, generator failed');
    await form.getByRole('button', { name: 'Declare major incident' }).click();
    // The flag reaches the board from the event stream.
    await row.locator('.major-chip').waitFor();
    await form.waitFor({ state: 'detached' });
    // The server kept an incident record and alerted the service director: the endpoint, not
    // a bare classify, did it.
    const major = await api<{ declaredBy: string; timeline: Array<{ text: string }> }>(
      'GET',
      `/api/major-incidents/${ticket.id}`,
      manager,
    );
    expect(major.declaredBy).toBe(managerId);
    expect(major.timeline[0]?.text).toBe('Both feeds down, generator failed');
    const declared = (await alertsOf(ticket.id)).filter((a) => a.stepKey === 'major/declared');
    expect(declared).toHaveLength(1);
    expect(await findScreenProblems(board.page, 'en')).toEqual([]);
  });
});
