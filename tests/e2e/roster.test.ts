import { randomUUID } from 'node:crypto';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestServer } from '../../apps/server/src/testing/harness';
import type { TestServer } from '../../apps/server/src/testing/harness';
import { launchChromium, openSeat, saveScreenshot, signIn, waitForStatus } from './support/browser';
import type { Seat } from './support/browser';

const PASSWORD = 'dutydesk-demo';
const DESK_ZONE = 'Asia/Shanghai';
/** Generous: several helpers' browsers share a two-core machine while this runs. */
const STEP_MS = 20_000;

/** The desk day (`YYYY-MM-DD`) and hour of an instant. */
function deskDayAndHour(ms: number): { day: string; hour: number } {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: DESK_ZONE }).format(ms);
  const hour = Number(
    new Intl.DateTimeFormat('en-GB', { timeZone: DESK_ZONE, hour: '2-digit', hourCycle: 'h23' })
      .format(ms)
      .slice(0, 2),
  );
  return { day, hour };
}

/** The Monday of the week holding a `YYYY-MM-DD` day. */
function mondayOf(day: string): string {
  const ms = Date.parse(`${day}T00:00:00Z`);
  const weekday = (new Date(ms).getUTCDay() + 6) % 7;
  return new Date(ms - weekday * 86_400_000).toISOString().slice(0, 10);
}

interface Assignment {
  id: string;
  shiftId: string;
  userId: string;
  duty: string;
}
interface Shift {
  id: string;
  startsAt: string;
  endsAt: string;
  assignments: Assignment[];
}

/**
 * Issue 23, acceptance 1 (roster and handover): the duty manager builds this week's roster in
 * the console — two shift templates (00:00 and 12:00, twelve hours each, so the week is covered
 * whatever the hour of the run), the week generated from them, a duty manager put on every
 * shift from its "uncovered" mark — then opens the shift handover report from its prompt and
 * acknowledges it, and swaps the running shift with the other duty manager: "on duty now" on
 * the roster and the duty board, the roster's escalation target, and the ladder's real target
 * (the alert of a refused dispatch) all follow the swap.
 */
describe('the duty roster and the shift handover in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let admin: string;
  let seat: Seat;
  const ids: Record<string, string> = {};

  async function api<T>(method: string, path: string, token: string, body?: unknown): Promise<T> {
    const res = await server.api(method, path, { token, body });
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
    return res.body as T;
  }

  beforeAll(async () => {
    server = await startTestServer({ driver: 'pglite', env: { DUTYDESK_DEMO: '1' } });
    browser = await launchChromium();
    admin = await server.login('admin', ADMIN_PASSWORD);
    const users = await api<{ users: Array<{ id: string; username: string }> }>(
      'GET',
      '/api/users',
      admin,
    );
    for (const u of users.users) ids[u.username] = u.id;
    seat = await openSeat(browser, server.url, 'en');
  }, 120_000);

  afterAll(async () => {
    await seat?.context.close();
    await browser?.close();
    await server?.dispose();
  });

  /** Fills one of the roster's dialogs and submits it; the dialog closes on success. */
  async function inDialog(
    page: Page,
    title: string | RegExp,
    fill: (d: Locator) => Promise<void>,
    submit: string,
  ): Promise<void> {
    const dialog = page.getByRole('dialog', { name: title });
    await dialog.waitFor();
    await fill(dialog);
    await dialog.getByRole('button', { name: submit, exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
  }

  it('builds the week, hands over, swaps, and on duty now and the escalation target follow', async () => {
    const { page } = seat;
    page.setDefaultTimeout(STEP_MS);
    await signIn(page, 'sunli', PASSWORD);

    // g r opens the roster.
    await page.locator('.topbar').click({ position: { x: 2, y: 2 } });
    await page.keyboard.press('g');
    await page.keyboard.press('r');
    await page.getByRole('heading', { name: 'Duty roster' }).waitFor();
    await page.getByTestId('roster-grid').waitFor();

    // Two templates.
    for (const [key, name, start] of [
      ['early', 'Early', '00:00'],
      ['late', 'Late', '12:00'],
    ] as const) {
      await page.getByRole('button', { name: 'New template' }).click();
      await inDialog(
        page,
        'New template',
        async (d) => {
          await d.getByLabel(/^Template key/).fill(key);
          await d.getByLabel('Name', { exact: true }).fill(name);
          await d.getByLabel('Starts at', { exact: true }).fill(start);
          await d.getByLabel('Length (hours)', { exact: true }).fill('12');
        },
        'Save',
      );
    }
    await page.getByTestId('roster-templates').getByText('Late').waitFor();

    // The week from its Monday, from both templates: 14 shifts, all without a duty manager.
    // The running shift is read once; a run started in the last two minutes before a shift
    // boundary (00:00 or 12:00 desk time) waits for the boundary, so it cannot change under it.
    const untilBoundary = 43_200_000 - ((Date.now() + 8 * 3_600_000) % 43_200_000);
    if (untilBoundary < 120_000) {
      await new Promise((resolve) => setTimeout(resolve, untilBoundary + 1_000));
    }
    const startedAt = Date.now();
    const { day: today, hour } = deskDayAndHour(startedAt);
    const monday = mondayOf(today);
    await page.getByRole('button', { name: 'Generate shifts' }).click();
    await inDialog(
      page,
      'Generate shifts',
      async (d) => {
        expect(await d.getByLabel('First day', { exact: true }).inputValue()).toBe(monday);
        await d.getByLabel('Number of days', { exact: true }).fill('7');
      },
      'Generate',
    );
    const conflicts = page.getByTestId('roster-conflicts');
    await expect
      .poll(() => conflicts.textContent(), { timeout: STEP_MS })
      .toBe('Conflicts: 0 double-booked, 14 uncovered');
    const uncovered = page.locator('tr[data-duty="duty_manager"] [data-testid="roster-uncovered"]');
    expect(await uncovered.count()).toBe(14);

    // The running shift first, from the Assign button: Sun Li takes it.
    const current = `${hour < 12 ? 'early' : 'late'}@${today}`;
    await page.getByRole('button', { name: 'Assign', exact: true }).click();
    await inDialog(
      page,
      'Assign',
      async (d) => {
        await d.getByLabel('Shift', { exact: true }).selectOption(current);
        await d.getByLabel('Duty', { exact: true }).selectOption('duty_manager');
        await d.getByLabel('Person', { exact: true }).selectOption({ label: '孙丽' });
      },
      'Assign',
    );
    await expect.poll(() => uncovered.count()).toBe(13);

    // The handover job makes the running shift's report and prompts its incoming duty
    // manager; the report opens from the prompt and is acknowledged there.
    const prompt = page.locator('[data-alert-kind="handover"]');
    await prompt.waitFor({ timeout: 30_000 });
    await prompt.getByRole('button', { name: 'Open the report' }).click();
    const report = page.getByTestId('handover-report');
    await report.waitFor();
    expect(await report.textContent()).toContain('Incoming: 孙丽');
    expect(await page.getByTestId('handover-ack-state').textContent()).toBe(
      'Not acknowledged yet by the incoming duty manager.',
    );
    await report
      .getByLabel('Add a note for the next shift')
      .fill('Core switch firmware due at 22:00.');
    await report.getByRole('button', { name: 'Add note' }).click();
    await report
      .getByTestId('handover-notes')
      .getByText('Core switch firmware due at 22:00.')
      .waitFor();
    await saveScreenshot(page, 'roster-handover-en-light-1440');
    await report.getByTestId('handover-ack').click();
    // Acknowledged: the dialog closes and the prompt with it.
    await report.waitFor({ state: 'detached' });
    await prompt.waitFor({ state: 'detached' });
    const handover = await api<{
      acknowledgement?: { by: string };
      notes: Array<{ text: string }>;
    }>('GET', `/api/roster/handovers/${encodeURIComponent(current)}`, admin);
    expect(handover.acknowledgement?.by).toBe(ids.sunli);
    expect(handover.notes.map((n) => n.text)).toEqual(['Core switch firmware due at 22:00.']);

    // Every other shift from its uncovered mark: early ones Sun Li, late ones the director.
    for (let left = 13; left > 0; left -= 1) {
      const mark = uncovered.first();
      const shiftId = await mark.evaluate(
        (el) => el.closest('[data-shift]')?.getAttribute('data-shift') ?? '',
      );
      await mark.click();
      await inDialog(
        page,
        'Assign',
        async (d) => {
          expect(await d.getByLabel('Shift', { exact: true }).inputValue()).toBe(shiftId);
          await d
            .getByLabel('Person', { exact: true })
            .selectOption({ label: shiftId.startsWith('early') ? '孙丽' : '周总监' });
        },
        'Assign',
      );
      await expect.poll(() => uncovered.count()).toBe(left - 1);
    }
    await expect.poll(() => conflicts.textContent()).toBe('No conflicts.');
    const onDuty = page.getByTestId('roster-on-duty');
    const managerNow = onDuty.locator('.on-duty__row[data-duty="duty_manager"] dd');
    expect(await managerNow.textContent()).toBe('孙丽');
    const target = page.getByTestId('roster-escalation-target');
    expect(await target.textContent()).toBe('Escalations now go to 孙丽');
    await saveScreenshot(page, 'roster-week-en-light-1440');

    // The swap: Sun Li's running shift for one of the director's.
    const week = await api<{ shifts: Shift[] }>(
      'GET',
      `/api/roster/shifts?from=${encodeURIComponent(new Date(startedAt - 8 * 86_400_000).toISOString())}&to=${encodeURIComponent(new Date(startedAt + 8 * 86_400_000).toISOString())}`,
      admin,
    );
    const theirs = week.shifts
      .flatMap((s) => s.assignments)
      .find((a) => a.userId === ids.director && a.duty === 'duty_manager');
    expect(theirs, "one of the director's shifts").toBeDefined();
    await page
      .locator(
        `tr[data-duty="duty_manager"] [data-shift="${current}"] [data-testid="roster-chip"][data-user="${ids.sunli}"]`,
      )
      .click();
    await inDialog(
      page,
      /^孙丽: /,
      async (d) => {
        await d.getByLabel('Swap with', { exact: true }).selectOption(theirs?.id ?? '');
      },
      'Swap',
    );
    await expect.poll(() => managerNow.textContent()).toBe('周总监');
    expect(await target.textContent()).toBe('Escalations now go to 周总监');
    await expect.poll(() => conflicts.textContent()).toBe('No conflicts.');
    await page
      .locator(
        `tr[data-duty="duty_manager"] [data-shift="${current}"] [data-testid="roster-chip"][data-user="${ids.director}"]`,
      )
      .waitFor();
    await saveScreenshot(page, 'roster-swapped-en-light-1440');

    // The duty board's "on duty now" says the same.
    await page.goto('/duty');
    await waitForStatus(page, 'live', STEP_MS);
    await page
      .getByTestId('on-duty')
      .locator('.on-duty__row[data-duty="duty_manager"]', { hasText: '周总监' })
      .waitFor();

    // And the ladder: a refused dispatch now alerts the director, not Sun Li.
    const omar = await server.login('omar', PASSWORD);
    const manager = await server.login('sunli', PASSWORD);
    const command = (token: string, body: Record<string, unknown>) =>
      api<{ ticket: { id: string } }>('POST', '/api/commands', token, {
        commandId: randomUUID(),
        ...body,
      });
    const { ticket } = await command(manager, {
      type: 'ticket.create',
      title: 'ERP export times out',
      description: 'Export to XLSX times out',
      channel: 'hotline',
      priority: 'P3',
    });
    await command(manager, { type: 'ticket.classify', ticketId: ticket.id, category: 'erp' });
    await command(manager, {
      type: 'ticket.assign',
      ticketId: ticket.id,
      groupId: 'l2-apps',
      assigneeId: ids.omar,
    });
    await command(omar, { type: 'ticket.refuse', ticketId: ticket.id, reason: 'L3 work' });
    let recipients: string[] = [];
    await expect
      .poll(
        async () => {
          const list = await api<{
            alerts: Array<{ kind: string; recipientIds: string[] }>;
          }>('GET', `/api/alerts?ticketId=${encodeURIComponent(ticket.id)}`, admin);
          recipients = list.alerts.find((a) => a.kind === 'dispatch.refused')?.recipientIds ?? [];
          return recipients.length;
        },
        { timeout: STEP_MS, message: 'the refused dispatch alert' },
      )
      .toBeGreaterThan(0);
    expect(recipients).toEqual([ids.director]);
  }, 240_000);
});
