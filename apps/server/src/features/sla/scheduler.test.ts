import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock';
import { ADMIN_PASSWORD, DRIVERS, startTestServer, type TestServer } from '../../testing/harness';
import type { SlaPolicy } from '@dutydesk/shared';
import { waitForReplanJobs } from './replan';
import { onSlaThreshold, type FiredSlaThreshold } from './scheduler';
import { listPendingTimers } from './sla.repo';
import { checkTimersMoved } from './sla.service';
import {
  createTicket,
  EventCollector,
  labelEvents,
  listThresholdInstants,
  MINUTE,
  prepareDesk,
  readThresholdEvents,
  readTicketOverHttp,
  sendCommand,
  startWork,
  T0,
} from './sla.testing';

describe.each(DRIVERS)('SLA scheduler on %s', (driver) => {
  let server: TestServer;
  let clock: ManualClock;
  let token: string;
  let adminId: string;

  beforeAll(async () => {
    clock = new ManualClock(T0);
    server = await startTestServer({ driver, clock });
    token = await server.login('admin', ADMIN_PASSWORD);
    adminId = await prepareDesk(server, token);
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it.each(['P1', 'P2', 'P3'] as const)(
    'fires 50/75/90 %% warnings and the breach of every %s target once each, in order, to a seat',
    async (priority) => {
      clock.set(T0);
      const { socket } = await server.connect(token);
      const seat = new EventCollector(socket);
      const heard: FiredSlaThreshold[] = [];
      const unsubscribe = onSlaThreshold(server.ctx, (f) => void heard.push(f));
      const ticket = await createTicket(server, token, { priority });
      const instants = listThresholdInstants(ticket);
      const targets = ticket.sla.targets.map((t) => t.name);
      expect(targets).toEqual(expect.arrayContaining(['response', 'resolve']));
      expect(instants.flatMap((i) => i.labels)).toHaveLength(targets.length * 4);

      // The background loop runs too: whichever run fires a threshold, the hook hears it once,
      // and tick() returns only after everything due at the clock has fired.
      const heardHere = () =>
        heard
          .filter((f) => f.ticket.id === ticket.id)
          .map((f) => `${f.event.type}:${f.target}:${f.threshold}`);
      let expectedSoFar: string[] = [];
      for (const { at, labels } of instants) {
        clock.set(new Date(Date.parse(at) - 1));
        await server.scheduler.tick();
        expect(heardHere().sort()).toEqual([...expectedSoFar].sort());
        clock.set(at);
        await server.scheduler.tick();
        expectedSoFar = [...expectedSoFar, ...labels];
        expect(heardHere().sort()).toEqual([...expectedSoFar].sort());
      }
      const total = instants.reduce((n, i) => n + i.labels.length, 0);
      await seat.waitUntil(() => seat.thresholds(ticket.id).length === total);

      for (const name of targets) {
        const mine = seat.thresholds(ticket.id).filter((e) => e.data.target === name);
        expect(labelEvents(mine)).toEqual([
          `sla.warning:${name}:50`,
          `sla.warning:${name}:75`,
          `sla.warning:${name}:90`,
          `sla.breached:${name}:100`,
        ]);
      }
      expect(new Set(seat.thresholds(ticket.id).map((e) => e.seq)).size).toBe(total);

      clock.advance(24 * 60 * MINUTE);
      expect((await server.scheduler.tick()).filter((f) => f.ticket.id === ticket.id)).toEqual([]);
      // Sessions expire on the (manual) clock too.
      token = await server.login('admin', ADMIN_PASSWORD);
      const stored = await readThresholdEvents(server, token, ticket.id);
      expect(stored).toHaveLength(total);
      expect(heard.filter((f) => f.ticket.id === ticket.id)).toHaveLength(total);
      const after = await readTicketOverHttp(server, token, ticket.id);
      for (const t of after.sla.targets) {
        expect(t.state).toBe('breached');
        expect(t.warnedThresholds).toEqual([50, 75, 90, 100]);
      }
      unsubscribe();
      socket.disconnect();
    },
  );

  it('leaves the timer rows alone for a change that moves no timer, rewrites them for one that does', async () => {
    clock.set(T0);
    const created = await createTicket(server, token, { priority: 'P2' });
    const worked = await startWork(server, token, created.id, adminId);
    const rowsBefore = await listPendingTimers(server.ctx.database.db, created.id);
    const commented = await sendCommand(server, token, {
      type: 'ticket.comment',
      ticketId: created.id,
      body: 'Checked the uplink',
      internal: true,
    });
    expect(checkTimersMoved(server.ctx, worked, commented, clock.now())).toBe(false);
    expect(await listPendingTimers(server.ctx.database.db, created.id)).toEqual(rowsBefore);
    const paused = await sendCommand(server, token, {
      type: 'ticket.pend',
      ticketId: created.id,
      reason: 'customer',
    });
    expect(checkTimersMoved(server.ctx, commented, paused, clock.now())).toBe(true);
    expect(await listPendingTimers(server.ctx.database.db, created.id)).toEqual([]);
  });

  it('pausing on the customer moves due times and timers; resolving stops the clock and drops timers', async () => {
    clock.set(T0);
    const created = await createTicket(server, token, { priority: 'P1' });
    await startWork(server, token, created.id, adminId);
    const resolveDue = (t: { sla: { targets: Array<{ name: string; dueAt: string | null }> } }) =>
      Date.parse(t.sla.targets.find((x) => x.name === 'resolve')?.dueAt ?? '');
    expect(resolveDue(created)).toBe(Date.parse(T0) + 240 * MINUTE);

    clock.set(new Date(Date.parse(T0) + 5 * MINUTE));
    const paused = await sendCommand(server, token, {
      type: 'ticket.pend',
      ticketId: created.id,
      reason: 'customer',
    });
    expect(paused.sla.targets.find((x) => x.name === 'resolve')?.state).toBe('paused');
    expect(await listPendingTimers(server.ctx.database.db, created.id)).toEqual([]);

    clock.set(new Date(Date.parse(T0) + 65 * MINUTE));
    expect((await server.scheduler.tick()).filter((f) => f.ticket.id === created.id)).toEqual([]);
    const resumed = await sendCommand(server, token, {
      type: 'ticket.resume',
      ticketId: created.id,
    });
    expect(resolveDue(resumed)).toBe(Date.parse(T0) + 300 * MINUTE);
    const timers = await listPendingTimers(server.ctx.database.db, created.id);
    const resolveTimers = timers.filter((t) => t.target === 'resolve');
    expect(resolveTimers.map((t) => [t.threshold, t.dueAt.toISOString()])).toEqual([
      [50, new Date(Date.parse(T0) + 180 * MINUTE).toISOString()],
      [75, new Date(Date.parse(T0) + 240 * MINUTE).toISOString()],
      [90, new Date(Date.parse(T0) + 276 * MINUTE).toISOString()],
      [100, new Date(Date.parse(T0) + 300 * MINUTE).toISOString()],
    ]);
    // The response clock was paused too: 15 min budget, 5 used before the pause.
    const response = resumed.sla.targets.find((x) => x.name === 'response');
    expect(response?.dueAt).toBe(new Date(Date.parse(T0) + 75 * MINUTE).toISOString());

    clock.set(new Date(Date.parse(T0) + 66 * MINUTE));
    const resolved = await sendCommand(server, token, {
      type: 'ticket.resolve',
      ticketId: created.id,
      code: 'fixed',
      summary: 'Replaced the switch',
    });
    const target = resolved.sla.targets.find((x) => x.name === 'resolve');
    expect(target?.state).toBe('met');
    expect(target?.metAt).toBe(new Date(Date.parse(T0) + 66 * MINUTE).toISOString());
    expect(await listPendingTimers(server.ctx.database.db, created.id)).toEqual([]);
    clock.set(new Date(Date.parse(T0) + 24 * 60 * MINUTE));
    await server.scheduler.tick();
    token = await server.login('admin', ADMIN_PASSWORD);
    const events = await readThresholdEvents(server, token, created.id);
    // The pause came before the first threshold, and resolving met every target: nothing fires.
    expect(labelEvents(events)).toEqual([]);
  });
});

describe.each(DRIVERS)('SLA scheduler restart catch-up on %s', (driver) => {
  let first: TestServer | undefined;
  let second: TestServer | undefined;

  afterAll(async () => {
    await first?.close();
    await second?.close();
    if (second?.dataDir) rmSync(second.dataDir, { recursive: true, force: true });
  });

  it('fires each threshold that fell due while the server was down once, in due order', async () => {
    const clock = new ManualClock(T0);
    first = await startTestServer({ driver, clock });
    const token = await first.login('admin', ADMIN_PASSWORD);
    const ticket = await createTicket(first, token, { priority: 'P1' });
    clock.set(new Date(Date.parse(T0) + 8 * MINUTE));
    await first.scheduler.tick();
    expect(labelEvents(await readThresholdEvents(first, token, ticket.id))).toEqual([
      'sla.warning:response:50',
    ]);
    const reuse =
      driver === 'pglite' ? { dataDir: first.dataDir } : { databaseUrl: first.databaseUrl };
    await first.close();

    // Down across response 75 %, 90 %, 100 % and update/resolve 50 % (30 min, 120 min).
    clock.set(new Date(Date.parse(T0) + 125 * MINUTE));
    second = await startTestServer({ driver, clock, reuse });
    await second.scheduler.tick();
    const token2 = await second.login('admin', ADMIN_PASSWORD);
    const events = await readThresholdEvents(second, token2, ticket.id);
    expect(labelEvents(events)).toEqual([
      'sla.warning:response:50',
      'sla.warning:response:75',
      'sla.warning:response:90',
      'sla.breached:response:100',
      'sla.warning:update:50',
      'sla.warning:update:75',
      'sla.warning:update:90',
      'sla.breached:update:100',
      'sla.warning:resolve:50',
    ]);
    expect(await second.scheduler.tick()).toEqual([]);
    expect(await readThresholdEvents(second, token2, ticket.id)).toHaveLength(events.length);
  });
});

describe('SLA schedulers on two nodes of one PostgreSQL', () => {
  let a: TestServer;
  let b: TestServer;
  const clock = new ManualClock(T0);

  beforeAll(async () => {
    a = await startTestServer({ driver: 'postgres', clock });
    b = await startTestServer({ driver: 'postgres', clock, reuse: { databaseUrl: a.databaseUrl } });
  });
  afterAll(async () => {
    await b?.close();
    await a?.dispose();
  });

  it('fires every threshold exactly once in total while both tick concurrently', async () => {
    clock.set(T0);
    const token = await a.login('admin', ADMIN_PASSWORD);
    const ids: string[] = [];
    for (let i = 0; i < 8; i += 1) {
      ids.push((await createTicket(a, token, { priority: 'P1', title: `Outage ${i}` })).id);
    }
    const fired: FiredSlaThreshold[] = [];
    for (const minutes of [8, 12, 14, 16, 31, 46, 55, 61, 121, 181, 217, 241, 600]) {
      clock.set(new Date(Date.parse(T0) + minutes * MINUTE));
      const runs = await Promise.all([
        a.scheduler.tick(),
        b.scheduler.tick(),
        a.scheduler.tick(),
        b.scheduler.tick(),
      ]);
      fired.push(...runs.flat());
    }
    const events = await readThresholdEvents(a, token);
    expect(events).toHaveLength(ids.length * 12);
    for (const id of ids) {
      const labels = labelEvents(events.filter((e) => e.ticketId === id));
      expect(labels).toHaveLength(12);
      expect(new Set(labels).size).toBe(12);
    }
    // Whatever the background loops did not fire, the ticks did, and none twice.
    expect(fired.length).toBeLessThanOrEqual(events.length);
    expect(new Set(fired.map((f) => f.event.seq)).size).toBe(fired.length);
  });

  it('applies a policy stored on one node on the other at its next tick', async () => {
    // Later than the first test: clocks only move forward.
    const now = Date.parse(T0) + 700 * MINUTE;
    clock.set(new Date(now));
    const token = await a.login('admin', ADMIN_PASSWORD);
    const got = await a.api('GET', '/api/sla/policies', { token });
    const { policies } = got.body as { policies: SlaPolicy[] };
    const next = structuredClone(policies);
    const response = next[0]?.priorities.P1.targets.find((t) => t.name === 'response');
    if (response?.due.kind === 'duration') response.due.minutes = 30;
    const put = await a.api('PUT', '/api/sla/policies', { token, body: { policies: next } });
    expect(put.status).toBe(202);
    const { version } = put.body as { version: number };
    expect(a.ctx.sla.version).toBe(version);
    await b.scheduler.tick();
    expect(b.ctx.sla.version).toBe(version);
    const tokenB = await b.login('admin', ADMIN_PASSWORD);
    const created = await createTicket(b, tokenB, { priority: 'P1', title: 'On node B' });
    expect(created.sla.targets.find((t) => t.name === 'response')?.dueAt).toBe(
      new Date(now + 30 * MINUTE).toISOString(),
    );
    await waitForReplanJobs(a.ctx);
  });
});
