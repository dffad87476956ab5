import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../../testing/harness';
import { TestSeat } from '../../testing/seat';
import { MINUTE } from './sla.testing';

const DAY = 24 * 60 * MINUTE;

/**
 * Issue 14, finding 1: `ticket.create` with `receivedAt: 0001-01-01` froze the server for
 * 21 minutes. Now a receivedAt outside the back-dating window answers a 400 before any IO, and
 * the engine behind it no longer walks days (packages/shared calendar.speed.test.ts).
 */
describe('receivedAt window (over real HTTP and a real socket, PGlite)', () => {
  let server: TestServer;
  let admin: string;
  const tokens: Record<string, string> = {};

  async function addUser(username: string, roles: string[]): Promise<void> {
    const res = await server.api('POST', '/api/users', {
      token: admin,
      body: { username, password: 'Backdate-pass-7', displayName: username, roles },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    tokens[username] = await server.login(username, 'Backdate-pass-7');
  }

  function create(token: string, receivedAt?: string) {
    return server.api('POST', '/api/commands', {
      token,
      body: {
        commandId: randomUUID(),
        type: 'ticket.create',
        title: 'Printer jam',
        description: 'Logged after the fact',
        channel: 'hotline',
        priority: 'P3',
        ...(receivedAt ? { receivedAt } : {}),
      },
    });
  }

  beforeAll(async () => {
    server = await startTestServer({
      driver: 'pglite',
      env: { DUTYDESK_COMMAND_RATE: '100000' },
    });
    admin = await server.login('admin', ADMIN_PASSWORD);
    await addUser('bd-agent', ['agent']);
    await addUser('bd-dm', ['duty_manager']);
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('0001-01-01 answers a 400 naming the window within 100 ms while /healthz keeps answering', async () => {
    // Warm the path (token cache, JIT) so the figure is the request's, not the first start's.
    await create(tokens['bd-agent'] as string, '0001-01-01T00:00:00Z');
    const timings: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const started = performance.now();
      const res = await create(tokens['bd-agent'] as string, '0001-01-01T00:00:00Z');
      timings.push(performance.now() - started);
      expect(res.status).toBe(400);
      const error = (res.body as { error: { code: string; message: string; fields: unknown[] } })
        .error;
      expect(error.code).toBe('invalid');
      expect(error.message).toMatch(/2000-01-01/);
      expect(error.fields).toEqual([{ path: 'receivedAt', message: error.message }]);
    }
    // Baseline in the same run: the same request refused by the schema (no title), which does
    // no SLA work at all. On a loaded machine both slow down together.
    const baseline: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const started = performance.now();
      const res = await server.api('POST', '/api/commands', {
        token: tokens['bd-agent'],
        body: { commandId: randomUUID(), type: 'ticket.create', channel: 'hotline' },
      });
      baseline.push(performance.now() - started);
      expect(res.status).toBe(400);
    }
    const median = (list: number[]) => [...list].sort((a, b) => a - b)[2] as number;
    const got = median(timings);
    const base = median(baseline);
    console.log(
      `[backdate] 400 for 0001-01-01: median ${got.toFixed(1)} ms; schema 400 ${base.toFixed(1)} ms`,
    );
    expect(got, `median ${got.toFixed(1)} ms (schema 400: ${base.toFixed(1)} ms)`).toBeLessThan(
      Math.max(100, 3 * base),
    );

    // Twenty at once beside /healthz: the health check is not held up.
    const burst = Array.from({ length: 20 }, () =>
      create(tokens['bd-agent'] as string, '1970-01-01T00:00:00Z'),
    );
    const healthStarted = performance.now();
    const health = await server.api('GET', '/healthz');
    const healthMs = performance.now() - healthStarted;
    expect(health.status).toBe(200);
    expect((await Promise.all(burst)).map((r) => r.status)).toEqual(Array(20).fill(400));
    expect(healthMs, `/healthz took ${healthMs.toFixed(0)} ms beside the burst`).toBeLessThan(
      2_000,
    );
  });

  it('an agent may back-date up to 90 days; older history is refused, naming the window', async () => {
    const now = Date.now();
    const ok = await create(tokens['bd-agent'] as string, new Date(now - 89 * DAY).toISOString());
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const old = await create(tokens['bd-agent'] as string, new Date(now - 91 * DAY).toISOString());
    expect(old.status).toBe(400);
    expect((old.body as { error: { message: string } }).error.message).toMatch(
      /at most 90 days in the past.*duty manager or an admin/,
    );
  });

  it('a duty manager imports older history; nobody goes before 2000 or into the future', async () => {
    const now = Date.now();
    const imported = await create(
      tokens['bd-dm'] as string,
      new Date(now - 3 * 365 * DAY).toISOString(),
    );
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    const ticket = (imported.body as { ticket: { sla: { targets: Array<{ state: string }> } } })
      .ticket;
    expect(ticket.sla.targets.every((t) => t.state === 'breached')).toBe(true);
    expect((await create(admin, '1999-12-31T23:59:59Z')).status).toBe(400);
    expect((await create(admin, new Date(now + 60 * MINUTE).toISOString())).status).toBe(400);
  });

  it('the socket path answers the same error', async () => {
    const seat = await TestSeat.open(server, tokens['bd-agent'] as string);
    try {
      const ack = await seat.command({
        type: 'ticket.create',
        title: 'Old call',
        description: 'x',
        channel: 'hotline',
        receivedAt: '0001-01-01T00:00:00Z',
      });
      expect(ack.ok).toBe(false);
      expect(ack.error?.code).toBe('invalid');
    } finally {
      seat.close();
    }
  });
});
