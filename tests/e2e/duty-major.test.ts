import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestServer } from '../../apps/server/src/testing/harness';
import type { TestServer } from '../../apps/server/src/testing/harness';
import { launchChromium, openSeat, saveScreenshot, signIn, waitForStatus } from './support/browser';
import type { Seat } from './support/browser';

const PASSWORD = 'dutydesk-demo';

interface TicketView {
  id: string;
  number: string;
  comments: Array<{ body: string }>;
  majorIncident: boolean;
}

/**
 * Issue 23, acceptance 1 (major incident): the duty manager runs a major incident from the
 * declaration to the root cause with two children entirely in the console (Chromium, real
 * server): declares it naming the children, sees the cadence clocks, posts the announcement
 * (its clock met; the children get the words), unlinks and links a child again, posts an
 * update and the restoration, closes it and records the root cause; the marker shows in the
 * queue, on the duty board and on the wallboard while it is open.
 */
describe('a major incident in the console', () => {
  let server: TestServer;
  let browser: Browser;
  let admin: string;
  const seats: Seat[] = [];

  async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await server.api(method, path, { token: admin, body });
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
    return res.body as T;
  }
  async function create(title: string): Promise<TicketView> {
    const ack = await api<{ ticket: TicketView }>('POST', '/api/commands', {
      commandId: randomUUID(),
      type: 'ticket.create',
      title,
      description: title,
      channel: 'monitoring',
      priority: 'P1',
    });
    await api('POST', '/api/commands', {
      commandId: randomUUID(),
      type: 'ticket.classify',
      ticketId: ack.ticket.id,
      category: 'infrastructure',
    });
    return ack.ticket;
  }

  beforeAll(async () => {
    server = await startTestServer({ driver: 'pglite', env: { DUTYDESK_DEMO: '1' } });
    browser = await launchChromium();
    admin = await server.login('admin', ADMIN_PASSWORD);
  });
  afterAll(async () => {
    for (const s of seats) await s.context.close();
    await browser?.close();
    await server?.dispose();
  });

  it('declares, announces, links, restores, closes and records the root cause', async () => {
    const parent = await create('Core switch down in building B');
    const first = await create('Floor 2 printers offline');
    const second = await create('Building B VPN unreachable');
    const seat = await openSeat(browser, server.url, 'en');
    seats.push(seat);
    const { page } = seat;
    page.setDefaultTimeout(20_000);
    await signIn(page, 'sunli', PASSWORD);
    await page.goto(`/tickets/${parent.id}`);
    await waitForStatus(page, 'live');

    // Declare with the two children, by number.
    await page.locator('[data-action="majorIncident"]').click();
    const form = page.locator('form.action-form');
    await form.locator('textarea').fill('Core switch down: building B is off the network');
    await page.getByTestId('major-declare-children').fill(`${first.number}, ${second.number}`);
    await form.getByRole('button', { name: 'Declare major incident' }).click();
    const panel = page.getByTestId('major-panel');
    await panel.waitFor();
    const children = panel.getByTestId('major-children');
    await children.locator(`[data-child="${first.number}"]`).waitFor();
    await children.locator(`[data-child="${second.number}"]`).waitFor();
    // The cadence clocks: announce within the hour, restore in 4 h, running.
    const announce = panel.locator('[data-clock="announce"]');
    await expect.poll(() => announce.getAttribute('class')).toContain('major-clock--running');
    expect(await announce.locator('.major-clock__value').textContent()).toMatch(/^in \d+ min$/);
    expect(await panel.locator('[data-clock="restore"] .major-clock__value').textContent()).toMatch(
      /^in (2[0-4]\d|1\d\d) min$/,
    );

    // The announcement: its clock is met and the children carry the words.
    const post = panel.getByTestId('major-post');
    await post.locator('select').selectOption('announcement');
    await post
      .locator('textarea')
      .fill('Network outage in building B; engineers on site. Next update 10:30.');
    await post.getByRole('button', { name: 'Post' }).click();
    await panel.locator('.major-timeline li[data-kind="announcement"]').waitFor();
    await expect.poll(() => announce.getAttribute('class')).toContain('major-clock--met');
    await saveScreenshot(page, 'major-incident-workspace-en-light-1440');

    // Marker in the queue, on the duty board and on the wallboard.
    await page.getByRole('button', { name: 'Queue', exact: true }).click();
    await page
      .locator('.queue-row', { hasText: parent.number })
      .getByTestId('major-mark')
      .waitFor();
    await page.goto('/duty');
    await page.locator('.duty-ticket', { hasText: parent.number }).locator('.major-chip').waitFor();
    await page.goto('/wallboard?rotate=2');
    await page.getByTestId('wb-page-incidents').waitFor({ timeout: 30_000 });
    await page
      .getByTestId('wb-page-incidents')
      .getByText(`■ ${parent.number} Core switch down in building B`)
      .waitFor();

    // Unlink a child and link it again; an update and the restoration.
    await page.goto(`/tickets/${parent.id}`);
    await waitForStatus(page, 'live');
    await panel.waitFor();
    await children.getByRole('button', { name: `Unlink ${second.number}` }).click();
    await children.locator(`[data-child="${second.number}"]`).waitFor({ state: 'detached' });
    await children.getByLabel('Link tickets by number').fill(second.number);
    await children.getByRole('button', { name: 'Link', exact: true }).click();
    await children.locator(`[data-child="${second.number}"]`).waitFor();
    await post.locator('select').selectOption('update');
    await post.locator('textarea').fill('Replacement switch on site; cut-over at 11:00.');
    await post.getByRole('button', { name: 'Post' }).click();
    await panel.locator('.major-timeline li[data-kind="update"]').waitFor();
    await post.locator('select').selectOption('restored');
    await post.locator('textarea').fill('Service restored: every floor of building B is back.');
    await post.getByRole('button', { name: 'Post' }).click();
    await panel.locator('.major-timeline li[data-kind="restored"]').waitFor();
    await expect
      .poll(() => panel.locator('[data-clock="restore"]').getAttribute('class'))
      .toContain('major-clock--met');

    // Close; the 48 h root-cause task; its form.
    await panel
      .getByTestId('major-close')
      .locator('textarea')
      .fill('Switch replaced; all floors back.');
    await panel.getByRole('button', { name: 'Close the major incident' }).click();
    await panel.locator('.major-panel__status--closed').waitFor();
    const rootCause = panel.getByTestId('major-rootcause');
    expect(await rootCause.textContent()).toMatch(/Due by .* · (4[0-7]|48) h left/);
    await rootCause
      .locator('textarea')
      .fill('A firmware bug in the switch stack; firmware updated.');
    await rootCause.getByRole('button', { name: 'Record the root cause' }).click();
    await rootCause.getByTestId('major-rootcause-done').waitFor();
    await saveScreenshot(page, 'major-incident-closed-en-light-1440');

    // What the server holds: two children that followed the parent, the incident closed with
    // its root cause, the ticket's flag cleared.
    const major = await api<{
      status: string;
      childTicketIds: string[];
      rootCause: { summary: string | null };
    }>('GET', `/api/major-incidents/${parent.id}`);
    expect(major.status).toBe('closed');
    expect([...major.childTicketIds].sort()).toEqual([first.id, second.id].sort());
    expect(major.rootCause.summary).toBe('A firmware bug in the switch stack; firmware updated.');
    for (const child of [first, second]) {
      const t = await api<TicketView>('GET', `/api/tickets/${child.id}`);
      expect(t.comments.map((c) => c.body)).toContain(
        'Service restored: every floor of building B is back.',
      );
    }
    expect((await api<TicketView>('GET', `/api/tickets/${parent.id}`)).majorIncident).toBe(false);
  }, 120_000);
});
