import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Response } from 'playwright-core';
import { startTestServer } from '../../apps/server/src/testing/harness';
import type { TestServer } from '../../apps/server/src/testing/harness';
import { launchChromium, openSeat, signIn, waitForStatus } from './support/browser';

const PASSWORD = 'dutydesk-demo';

describe('signing in to the console in Chromium', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer({ driver: 'pglite', env: { DUTYDESK_DEMO: '1' } });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it("an agent's sign-in asks only what an agent may read: no 403, names from /api/staff", async () => {
    const { context, page } = await openSeat(browser, server.url);
    try {
      const answers: Array<{ url: string; status: number }> = [];
      page.on('response', (r: Response) => answers.push({ url: r.url(), status: r.status() }));
      const staff = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/staff', {
        timeout: 15_000,
      });
      await signIn(page, 'lina', PASSWORD);
      expect((await staff).status(), 'the staff directory, awaited after sign-in').toBe(200);
      await page.getByRole('heading', { name: 'Queue' }).waitFor();
      const refused = answers.filter((a) => a.status === 403);
      expect(refused, 'no request of an agent seat was refused').toEqual([]);
      expect(answers.some((a) => new URL(a.url).pathname === '/api/users')).toBe(false);
    } finally {
      await context.close();
    }
  });

  it('a duty manager still reads the account list', async () => {
    const { context, page } = await openSeat(browser, server.url);
    try {
      const users = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/users', {
        timeout: 15_000,
      });
      await signIn(page, 'sunli', PASSWORD);
      expect((await users).status()).toBe(200);
    } finally {
      await context.close();
    }
  });

  it('keeps the token in sessionStorage: a reload stays signed in, a new tab signs in again', async () => {
    const { context, page } = await openSeat(browser, server.url);
    try {
      await signIn(page, 'lina', PASSWORD);
      const stored = await page.evaluate(() => ({
        local: Object.fromEntries(Object.entries(localStorage)),
        session: sessionStorage.getItem('dutydesk.session'),
        cookie: document.cookie,
      }));
      const token = (JSON.parse(stored.session ?? '{}') as { token?: string }).token ?? '';
      expect(token.length).toBeGreaterThan(20);
      expect(JSON.stringify(stored.local)).not.toContain(token);
      expect(stored.local['dutydesk.session']).toBeUndefined();
      // The known-device cookie is set, and no script can read it.
      expect(stored.cookie).not.toContain('dutydesk_device');
      const device = (await context.cookies()).find((c) => c.name === 'dutydesk_device');
      expect(device).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/auth' });
      await page.reload();
      await waitForStatus(page, 'live');
      await page.getByRole('heading', { name: 'Queue' }).waitFor();
      const other = await context.newPage();
      await other.goto('/');
      await other.locator('input[name="username"]').waitFor({ timeout: 10_000 });
    } finally {
      await context.close();
    }
  });

  it('moves a session an older console left in localStorage and removes it there', async () => {
    const { context, page } = await openSeat(browser, server.url);
    try {
      const token = await server.login('lina', PASSWORD);
      const me = (await server.api('GET', '/api/auth/me', { token })).body as { user: unknown };
      await page.evaluate(
        (legacy) => localStorage.setItem('dutydesk.session', legacy),
        JSON.stringify({ token, user: me.user }),
      );
      await page.reload();
      await waitForStatus(page, 'live');
      expect(await page.evaluate(() => localStorage.getItem('dutydesk.session'))).toBeNull();
      expect(await page.evaluate(() => sessionStorage.getItem('dutydesk.session'))).toContain(
        token,
      );
    } finally {
      await context.close();
    }
  });
});
