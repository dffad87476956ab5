import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../log';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../testing/harness';
import { TestSeat } from '../testing/seat';
import { loggableUrl } from './observe';

/** Everything the server logged, one parsed JSON object per line. */
class CapturedLog {
  readonly raw: string[] = [];
  private waiters: Array<() => void> = [];
  write(s: string): void {
    this.raw.push(s);
    for (const w of this.waiters.splice(0)) w();
  }
  get text(): string {
    return this.raw.join('');
  }
  get lines(): Array<Record<string, unknown>> {
    return this.raw.map((l) => JSON.parse(l) as Record<string, unknown>);
  }
  /** Resolves with the first line matching `test`, now or when it is written. */
  async waitFor(test: (l: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
    for (;;) {
      const hit = this.lines.find(test);
      if (hit) return hit;
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }
}

describe('request logs, request ids and secrets (PGlite)', () => {
  let server: TestServer;
  const log = new CapturedLog();

  const staticDir = mkdtempSync(join(tmpdir(), 'dutydesk-static-'));

  beforeAll(async () => {
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(staticDir, 'app.js'), 'console.log(1);');
    server = await startTestServer({
      driver: 'pglite',
      log: createLogger('info', log),
      env: { DUTYDESK_STATIC_DIR: staticDir },
    });
  });
  afterAll(async () => {
    await server?.dispose();
    rmSync(staticDir, { recursive: true, force: true });
  });

  it('echoes a sane X-Request-Id, makes one otherwise', async () => {
    const own = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'lb-42.a:b' } });
    expect(own.headers.get('x-request-id')).toBe('lb-42.a:b');
    const none = await fetch(`${server.url}/healthz`);
    expect(none.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    for (const bad of ['has space', 'x'.repeat(129), 'semi;colon']) {
      const res = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': bad } });
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("a failed login's log lines hold no password and no token at any depth", async () => {
    const password = 'Wrong-Password-7c1f';
    const bearer = 'bearer-secret-9d2e';
    const cookie = 'dutydesk_device=cookie-secret-4a4b';
    const failed = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${bearer}`,
        cookie,
        'x-request-id': 'login-failed-1',
      },
      body: JSON.stringify({ username: 'admin', password }),
    });
    expect(failed.status).toBe(401);
    // A refused body with secrets nested in it (400: the login schema is strict).
    const nested = await fetch(`${server.url}/api/auth/login?token=query-secret-1e1e`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'login-failed-2' },
      body: JSON.stringify({
        username: 'admin',
        password,
        extra: { token: 'tok-nested-5f5f', deeper: [{ apiKey: 'key-6a6a', refreshToken: 'r' }] },
      }),
    });
    expect(nested.status).toBe(400);
    // A login that works: its token must not be logged either.
    const token = await server.login('admin', ADMIN_PASSWORD);
    await server.api('GET', '/api/auth/me', { token });

    const refused = await log.waitFor((l) => l.reqId === 'login-failed-1' && l.status === 401);
    expect(refused).toMatchObject({
      method: 'POST',
      route: '/api/auth/login',
      url: '/api/auth/login',
      msg: 'POST /api/auth/login 401',
    });
    expect(refused).not.toHaveProperty('req');
    expect(refused).not.toHaveProperty('res');
    // The service's own line is in the same request.
    expect(
      log.lines.find((l) => l.msg === 'login failed' && l.reqId === 'login-failed-1'),
    ).toMatchObject({ username: 'admin', known: true });
    const second = await log.waitFor((l) => l.reqId === 'login-failed-2' && l.status === 400);
    expect(second.url).toBe('/api/auth/login?token=REDACTED');
    await log.waitFor((l) => l.route === '/api/auth/me');

    for (const secret of [
      password,
      ADMIN_PASSWORD,
      bearer,
      'cookie-secret-4a4b',
      'query-secret-1e1e',
      'tok-nested-5f5f',
      'key-6a6a',
      token,
    ]) {
      expect(log.text, secret).not.toContain(secret);
    }
  });

  it('binds the request id to every line a command logs, over HTTP and the socket', async () => {
    const token = await server.login('admin', ADMIN_PASSWORD);
    // A line logged on the command's way through the bus, after its transaction.
    const bus = server.ctx.commands;
    const execute = bus.execute.bind(bus);
    (bus as { execute: typeof execute }).execute = async (actor, input) => {
      const ack = await execute(actor, input);
      server.ctx.log.info({ events: ack.ok ? ack.events.length : 0 }, 'test listener saw events');
      return ack;
    };
    const res = await fetch(`${server.url}/api/commands`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        'x-request-id': 'http-command-1',
      },
      body: JSON.stringify({
        type: 'ticket.create',
        commandId: crypto.randomUUID(),
        title: 'Observed',
        description: 'd',
        channel: 'hotline',
        priority: 'P3',
      }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('http-command-1');
    const inside = log.lines.find(
      (l) => l.msg === 'test listener saw events' && l.reqId === 'http-command-1',
    );
    expect(inside).toBeDefined();
    await log.waitFor((l) => l.reqId === 'http-command-1' && l.route === '/api/commands');

    const seat = await TestSeat.open(server, token);
    try {
      const ack = await seat.command({
        type: 'ticket.create',
        title: 'Observed on a seat',
        description: 'd',
        channel: 'hotline',
        priority: 'P3',
      });
      expect(ack.ok).toBe(true);
      const socketLines = log.lines.filter(
        (l) =>
          l.msg === 'test listener saw events' &&
          typeof l.reqId === 'string' &&
          l.reqId !== 'http-command-1',
      );
      expect(socketLines).toHaveLength(1);
      expect(socketLines[0]?.reqId).toMatch(/^[\w-]+\.\d+$/);
    } finally {
      seat.close();
    }
  });

  it('does not log probes and scrapes; labels requests by route pattern', async () => {
    const before = log.raw.length;
    await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'probe-1' } });
    await fetch(`${server.url}/metrics`, { headers: { 'x-request-id': 'probe-2' } });
    const token = await server.login('admin', ADMIN_PASSWORD);
    await server.api('GET', '/api/tickets/no-such-ticket', { token });
    await server.api('GET', '/api/no-such-thing', { token });
    await log.waitFor((l) => l.route === 'unmatched' && l.status === 404);
    const lines = log.lines.slice(before);
    expect(lines.filter((l) => l.reqId === 'probe-1' || l.reqId === 'probe-2')).toEqual([]);
    const ticket = await log.waitFor((l) => l.route === '/api/tickets/:id');
    expect(ticket.url).toBe('/api/tickets/no-such-ticket');
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toMatch(
      /dutydesk_http_requests_total\{method="GET",route="\/api\/tickets\/:id",status="404"\} 1\n/,
    );
    expect(text).toMatch(
      /dutydesk_http_requests_total\{method="GET",route="unmatched",status="404"\} 1\n/,
    );
    expect(text).toMatch(
      /dutydesk_http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} [1-9]/,
    );
  });

  it("labels the console's files static (logged at debug only) and its pages console", async () => {
    const file = await fetch(`${server.url}/app.js`, { headers: { 'x-request-id': 'static-1' } });
    expect(file.status).toBe(200);
    const page = await fetch(`${server.url}/tickets/abc`, {
      headers: { 'x-request-id': 'page-1' },
    });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>console</title>');
    await log.waitFor((l) => l.reqId === 'page-1' && l.route === 'console');
    expect(log.lines.filter((l) => l.reqId === 'static-1')).toEqual([]);
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toMatch(
      /dutydesk_http_requests_total\{method="GET",route="static",status="200"\} 1\n/,
    );
    expect(text).toMatch(
      /dutydesk_http_requests_total\{method="GET",route="console",status="200"\} 1\n/,
    );
  });
});

describe('loggableUrl', () => {
  it('keeps the path and plain parameters, redacts secret-named ones', () => {
    expect(loggableUrl('/api/tickets')).toBe('/api/tickets');
    expect(loggableUrl('/wallboard?token=abc&rotate=12')).toBe(
      '/wallboard?token=REDACTED&rotate=12',
    );
    expect(loggableUrl('/x?access_token=1&access_token=2&a=b')).toBe(
      '/x?access_token=REDACTED&a=b',
    );
  });
});
