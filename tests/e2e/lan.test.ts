import { networkInterfaces } from 'node:os';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestServer } from '../../apps/server/src/testing/harness';
import type { TestServer } from '../../apps/server/src/testing/harness';
import { launchChromium, signIn } from './support/browser';

const DEMO_PASSWORD = 'dutydesk-demo';

/** This machine's first LAN address (not loopback), as a seat elsewhere would use it. */
function findLanAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}

/** Records what a page's CSP refused, its websockets, and any request that went to https. */
function watchPage(page: Page): { violations: string[]; sockets: string[]; https: string[] } {
  const seen = { violations: [] as string[], sockets: [] as string[], https: [] as string[] };
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) seen.violations.push(m.text());
  });
  page.on('websocket', (ws) => seen.sockets.push(ws.url()));
  page.on('request', (r) => {
    if (r.url().startsWith('https:')) seen.https.push(r.url());
  });
  return seen;
}

// docs/deploy.md's one-machine set-up: HOST=0.0.0.0, no TLS, seats and wallboards on the LAN.
describe('the console and the wallboard over plain HTTP at a LAN address', () => {
  let server: TestServer;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    server = await startTestServer({
      driver: 'pglite',
      env: { HOST: '0.0.0.0', DUTYDESK_DEMO: '1' },
    });
    // Without a LAN interface the loopback address still checks the CSP and the sockets.
    base = `http://${findLanAddress() ?? '127.0.0.1'}:${server.port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('the page carries no upgrade-insecure-requests or HSTS, and its CSP connects to its origin only', async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/upgrade-insecure-requests|ws:|wss:/);
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });

  it('the console loads, signs in and goes live over ws:// under connect-src self', async () => {
    const context = await browser.newContext({ baseURL: base, locale: 'en' });
    const page = await context.newPage();
    const seen = watchPage(page);
    await page.goto('/');
    await signIn(page, 'lina', DEMO_PASSWORD);
    await page.locator('.queue-row').first().waitFor({ timeout: 15_000 });
    expect(seen.violations).toEqual([]);
    expect(seen.https).toEqual([]);
    expect(
      seen.sockets.some((u) => u.startsWith(`${base.replace('http:', 'ws:')}/socket.io/`)),
    ).toBe(true);
    await context.close();
  });

  it('a wallboard device shows the desk over ws:// too', async () => {
    const admin = await server.login('admin', ADMIN_PASSWORD);
    const made = await server.api('POST', '/api/devices', {
      token: admin,
      body: { label: 'Hall LAN' },
    });
    expect(made.status).toBe(201);
    const { token } = made.body as { token: string };
    const context = await browser.newContext({ baseURL: base, locale: 'en' });
    const page = await context.newPage();
    const seen = watchPage(page);
    await page.goto(`/wallboard?token=${encodeURIComponent(token)}`);
    await page.locator('[data-testid="wb-open-value"]').waitFor({ timeout: 15_000 });
    expect(Number(await page.locator('[data-testid="wb-open-value"]').innerText())).toBeGreaterThan(
      0,
    );
    expect(seen.violations).toEqual([]);
    expect(seen.https).toEqual([]);
    expect(
      seen.sockets.some((u) => u.startsWith(`${base.replace('http:', 'ws:')}/socket.io/`)),
    ).toBe(true);
    await context.close();
  });
});
