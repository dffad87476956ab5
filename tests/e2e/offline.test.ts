import { rmSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../../apps/server/src/testing/harness';
import type { TestServer } from '../../apps/server/src/testing/harness';
import { launchChromium, openSeat, signIn, waitForStatus } from './support/browser';
import type { Seat } from './support/browser';

const PASSWORD = 'dutydesk-demo';

interface StoredComment {
  body: string;
}

/**
 * Losing the server while a seat works: the seat says "Offline" at once, a comment sent
 * meanwhile waits in the outbox under its commandId (the text stays in the box), and once the
 * server is back on the same port and data it is stored exactly once and only then cleared.
 */
describe('a seat that loses the server', () => {
  let server: TestServer;
  let browser: Browser;
  let seat: Seat;
  let dataDir: string;

  beforeAll(async () => {
    server = await startTestServer({ driver: 'pglite', env: { DUTYDESK_DEMO: '1' } });
    dataDir = server.dataDir;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await seat?.context.close();
    await browser?.close();
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows offline within 2 s, queues the comment, stores it once after the restart and clears the box only then', async () => {
    const token = await server.login('sunli', PASSWORD);
    const created = await server.api('POST', '/api/commands', {
      token,
      body: {
        type: 'ticket.create',
        commandId: `offline-create-${Date.now()}`,
        title: 'Printer queue stuck on floor 3',
        description: 'Reported on the hotline',
        channel: 'hotline',
        impact: 'medium',
        urgency: 'medium',
      },
    });
    expect(created.status).toBe(200);
    const ticket = (created.body as { ticket: { id: string } }).ticket;

    seat = await openSeat(browser, server.url, 'en');
    const { page } = seat;
    page.setDefaultTimeout(15_000);
    await signIn(page, 'sunli', PASSWORD);
    await page.goto(`/tickets/${ticket.id}`);
    await waitForStatus(page, 'live');
    const box = page.locator('.comment-form textarea');
    const text = `Called the customer back while the server was down ${Date.now()}`;
    await box.fill(text);

    // Stop the server; the seat must say so within 2 s of the loss.
    const port = new URL(server.url).port;
    const stoppedAt = Date.now();
    await server.close();
    const banner = page.locator('[data-testid="offline-banner"][data-state="offline"]');
    await banner.waitFor({ timeout: 10_000 });
    const shownAfterMs = Date.now() - stoppedAt;
    expect(shownAfterMs, 'offline banner shown within 2 s of stopping the server').toBeLessThan(
      2_000,
    );
    await expect(banner.textContent()).resolves.toContain('Offline');

    // Send while down: queued visibly under its commandId, the text stays in the box.
    await page.locator('.comment-form button[type="submit"]').click();
    const queued = page.locator('.outbox__item');
    await queued.waitFor({ timeout: 5_000 });
    const commandId = await queued.getAttribute('data-command-id');
    expect(commandId, 'the outbox names the commandId').toMatch(/^[0-9a-f-]{36}$/);
    await page.locator('[data-testid="comment-state"]').waitFor();
    // An outage of several seconds, longer than socket.io's first retries.
    await page.waitForTimeout(3_000);
    expect(await box.inputValue(), 'the box keeps its text while offline').toBe(text);

    // Back on the same port and data.
    server = await startTestServer({
      driver: 'pglite',
      reuse: { dataDir },
      env: { DUTYDESK_DEMO: '1', PORT: port },
    });
    expect(new URL(server.url).port).toBe(port);
    await page.waitForFunction(
      () =>
        (document.querySelector('.comment-form textarea') as HTMLTextAreaElement | null)?.value ===
        '',
      undefined,
      { timeout: 30_000 },
    );
    const fresh = await server.api('GET', `/api/tickets/${ticket.id}`, {
      token: await server.login('sunli', PASSWORD),
    });
    const comments = (fresh.body as { comments: StoredComment[] }).comments;
    expect(
      comments.filter((c) => c.body === text),
      'the comment is stored exactly once',
    ).toHaveLength(1);
    await waitForStatus(page, 'live');
    await page.locator('.outbox__item').waitFor({ state: 'detached' });
    await page
      .locator('[data-testid="offline-banner"][data-state="back"]')
      .getByText(/Back online/)
      .waitFor();
    // The timeline shows it once too.
    await expect(page.locator('.timeline__text', { hasText: text }).count()).resolves.toBe(1);
  });
});
