/**
 * The API reference at /api/docs (decision 35) in Chromium, as an integrator on a desk's LAN
 * would open it: with no internet. Every request that leaves the server's origin is refused
 * and recorded; the page must still render the operations from /api/openapi.json, with no CSP
 * refusal and no script error, and only this page's CSP may carry the nonce.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../apps/server/src/testing/harness';
import { DESK_VIEWPORT, launchChromium, saveScreenshot } from './support/browser';

describe('the API reference page', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer({ driver: 'pglite' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it("relaxes the CSP for its own start-up script only; the rest keeps the server's policy", async () => {
    const page = await fetch(`${server.url}/api/docs`);
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    const nonce = /script-src 'self' 'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
    expect(nonce, csp).toBeDefined();
    expect(await page.text()).toContain(`nonce="${nonce}"`);
    // Still no eval, no other origin, no inline script without the nonce.
    expect(csp).not.toMatch(/unsafe-eval|https?:|\*|'unsafe-inline'[^;]*script/);
    expect(csp).toContain("connect-src 'self'");
    const again = await fetch(`${server.url}/api/docs`);
    expect(again.headers.get('content-security-policy')).not.toContain(`'nonce-${nonce}'`);
    for (const path of ['/api/openapi.json', '/healthz', '/api/docs/scalar.js']) {
      const other = await fetch(`${server.url}${path}`);
      expect(other.headers.get('content-security-policy'), path).toBe(
        "default-src 'self';base-uri 'self';script-src 'self';style-src 'self' 'unsafe-inline';img-src 'self' data: blob:;frame-src blob:;font-src 'self' data:;connect-src 'self';media-src 'self' data:;object-src 'none';frame-ancestors 'none';form-action 'self';script-src-attr 'none'",
      );
    }
  });

  it('renders the operations offline: nothing fetched from another origin, no CSP refusal', async () => {
    const context = await browser.newContext({ viewport: DESK_VIEWPORT, baseURL: server.url });
    const offOrigin: string[] = [];
    const problems: string[] = [];
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      if (url.startsWith(server.url) || url.startsWith('data:') || url.startsWith('blob:')) {
        await route.continue();
        return;
      }
      offOrigin.push(url);
      await route.abort('internetdisconnected');
    });
    const page = await context.newPage();
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.goto('/api/docs');
    // The reference renders the document's title and an operation's summary from the spec.
    await page.getByText('Dutydesk REST API').first().waitFor({ timeout: 60_000 });
    await page
      .getByText('Liveness: the node answers and which database it runs on')
      .first()
      .waitFor({ timeout: 60_000 });
    // A group opens and shows its operations (the page is live, not a static shell).
    await page
      .getByRole('button', { name: /Open Group - auth/ })
      .first()
      .click();
    await page
      .getByText('Sign in: a session token for the username and password')
      .first()
      .waitFor({ timeout: 30_000 });
    await saveScreenshot(page, 'api-docs');
    expect(offOrigin).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
