import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock';
import {
  ADMIN_PASSWORD,
  DRIVERS,
  rosterShift,
  startTestServer,
  type TestServer,
} from '../../testing/harness';
import { AlertInbox, signInAndAddL2, type PushedAlert } from './escalation.testing';
import { createTicket, MINUTE, sendCommand, T0 } from '../sla/sla.testing';

describe.each(DRIVERS)('escalation, roster and alerts on %s', (driver) => {
  let server: TestServer;
  let clock: ManualClock;
  let admin: string;
  const users: Record<string, { id: string; token: string }> = {};
  let shiftId: string;

  async function addUser(username: string, roles: string[]): Promise<void> {
    const res = await server.api('POST', '/api/users', {
      token: admin,
      body: { username, password: 'password-123', displayName: username, roles, groups: ['l2'] },
    });
    expect(res.status).toBe(201);
    users[username] = {
      id: (res.body as { id: string }).id,
      token: await server.login(username, 'password-123'),
    };
  }

  function id(name: string): string {
    return users[name]?.id ?? '';
  }
  function token(name: string): string {
    return users[name]?.token ?? '';
  }

  async function assign(userName: string, duty: string, coverFor?: string): Promise<string> {
    const res = await server.api('POST', '/api/roster/assignments', {
      token: admin,
      body: {
        shiftId,
        userId: id(userName),
        duty,
        ...(coverFor ? { coverFor: id(coverFor) } : {}),
      },
    });
    expect(res.status).toBe(201);
    return (res.body as { id: string }).id;
  }

  async function openAlerts(ticketId?: string): Promise<PushedAlert[]> {
    const q = ticketId ? `&ticketId=${ticketId}` : '';
    const res = await server.api('GET', `/api/alerts?open=true${q}`, { token: admin });
    return (res.body as { alerts: PushedAlert[] }).alerts;
  }

  /** Sessions expire on the server's clock: log everyone in again after a jump of days. */
  async function relogin(): Promise<void> {
    admin = await server.login('admin', ADMIN_PASSWORD);
    for (const [name, u] of Object.entries(users))
      u.token = await server.login(name, 'password-123');
  }

  async function runAt(at: number): Promise<void> {
    clock.set(new Date(at));
    await server.scheduler.tick();
    await server.escalation.tick();
  }

  beforeAll(async () => {
    clock = new ManualClock(T0);
    server = await startTestServer({ driver, clock, env: { DUTYDESK_COMMAND_RATE: '100000' } });
    admin = await signInAndAddL2(server);
    await addUser('agent1', ['agent', 'engineer']);
    await addUser('agent2', ['agent', 'engineer']);
    await addUser('watcher', ['engineer']);
    await addUser('dm1', ['duty_manager']);
    await addUser('dm2', ['duty_manager']);
    await addUser('director', ['duty_manager']);
    shiftId = await rosterShift(
      server,
      admin,
      Date.parse(T0) - 60 * MINUTE,
      Date.parse(T0) + 30 * 24 * 60 * MINUTE,
      [
        [id('dm1'), 'duty_manager'],
        [id('director'), 'service_director'],
      ],
    );
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('1: P1 warning alerts the assignee, the breach reaches every seat of the on-duty duty manager within 1 s, unacknowledged it climbs to the service director, and an ack stops the climb', async () => {
    const t0 = Date.parse(T0);
    clock.set(T0);
    const onDuty = await server.api('GET', '/api/roster/on-duty?duty=duty_manager', {
      token: admin,
    });
    expect(
      (onDuty.body as { onDuty: Array<{ userId: string }> }).onDuty.map((u) => u.userId),
    ).toEqual([id('dm1')]);
    const agentSeat = new AlertInbox((await server.connect(token('agent1'))).socket);
    const dmSeatA = new AlertInbox((await server.connect(token('dm1'))).socket);
    const dmSeatB = new AlertInbox((await server.connect(token('dm1'))).socket);
    const directorSeat = new AlertInbox((await server.connect(token('director'))).socket);
    const ticket = await createTicket(server, admin, {
      priority: 'P1',
      groupId: 'l2',
      assigneeId: id('agent1'),
    });

    await runAt(t0 + 11.25 * MINUTE);
    const warning = await agentSeat.next(
      (a) => a.ticketId === ticket.id && a.stepKey === 'P1/warning',
    );
    expect(warning.recipientIds).toEqual([id('agent1')]);

    // The breach: no explicit escalation tick — the committed SLA event wakes the engine.
    clock.set(new Date(t0 + 15 * MINUTE));
    const isBreach = (a: PushedAlert) => a.ticketId === ticket.id && a.stepKey === 'P1/breach';
    const started = performance.now();
    await server.scheduler.tick();
    const [a, b] = await Promise.all([dmSeatA.next(isBreach), dmSeatB.next(isBreach)]);
    const latencyMs = performance.now() - started;
    console.log(
      `[escalation ${driver}] breach → both duty-manager seats: ${latencyMs.toFixed(1)} ms`,
    );
    // The acceptance's second, measured 0.3–0.5 s beside six other suites; the bound leaves a
    // loaded machine slack, the log has the figure.
    expect(latencyMs, `breach → seats took ${latencyMs.toFixed(0)} ms`).toBeLessThan(3000);
    expect(a.recipientIds).toEqual([id('dm1')]);
    expect(b.id).toBe(a.id);

    // Unacknowledged for the P1 policy's 10 minutes: it climbs to the service director.
    await runAt(t0 + 25 * MINUTE);
    const climbed = await directorSeat.next((x) => x.id === a.id && x.level === 2);
    expect(climbed.recipientIds).toEqual([id('director')]);

    // A second ticket: acknowledged at level 1, it never climbs.
    const second = await createTicket(server, admin, {
      priority: 'P1',
      groupId: 'l2',
      assigneeId: id('agent1'),
    });
    const t1 = t0 + 25 * MINUTE;
    await runAt(t1 + 15 * MINUTE);
    const alert2 = await dmSeatA.next((x) => x.ticketId === second.id && x.stepKey === 'P1/breach');
    const { socket } = await server.connect(token('dm1'));
    const ack = await socket.emitWithAck('command', {
      commandId: randomUUID(),
      type: 'alert.ack',
      alertId: alert2.id,
    });
    expect(ack).toMatchObject({ ok: true });
    const forbidden = await server.api('POST', `/api/alerts/${a.id}/ack`, {
      token: token('agent2'),
      body: {},
    });
    expect(forbidden.status).toBe(403);
    await runAt(t1 + 40 * MINUTE);
    expect(directorSeat.alerts.some((x) => x.id === alert2.id)).toBe(false);
    const stored = await server.api('GET', `/api/alerts/${alert2.id}`, { token: admin });
    expect(stored.body).toMatchObject({
      status: 'acknowledged',
      level: 1,
      acknowledgedBy: id('dm1'),
    });
  });

  it('2 and 3: a roster change moves the next alert with no restart; a duty manager offline during it gets it on connect', async () => {
    const start = Date.parse(T0) + 6 * 60 * MINUTE;
    clock.set(new Date(start));
    await assign('dm2', 'duty_manager', 'dm1');
    const onDuty = await server.api(
      'GET',
      `/api/roster/on-duty?duty=duty_manager&at=${new Date(start).toISOString()}`,
      { token: admin },
    );
    expect(
      (onDuty.body as { onDuty: Array<{ userId: string }> }).onDuty.map((u) => u.userId),
    ).toEqual([id('dm2')]);
    const ticket = await createTicket(server, admin, {
      priority: 'P1',
      groupId: 'l2',
      assigneeId: id('agent1'),
    });
    await runAt(start + 15 * MINUTE);
    const alert = (await openAlerts(ticket.id)).find((x) => x.stepKey === 'P1/breach');
    expect(alert?.recipientIds).toEqual([id('dm2')]);

    // dm2 was offline: on connect the seat gets the open alert.
    let listed: PushedAlert[] = [];
    await server.connect(token('dm2'), {}, (s) => {
      s.on('alerts', (m: { alerts: PushedAlert[] }) => {
        listed = m.alerts;
      });
    });
    const rest = await server.api('GET', '/api/alerts?open=true', { token: token('dm2') });
    expect((rest.body as { alerts: PushedAlert[] }).alerts.map((x) => x.id)).toContain(alert?.id);
    await expect.poll(() => listed.map((x) => x.id)).toContain(alert?.id);
  });

  it('4: reassignment by a duty manager reaches the old and new assignee and every queue watcher in one event', async () => {
    const ticket = await createTicket(server, admin, {
      priority: 'P2',
      groupId: 'l2',
      assigneeId: id('agent1'),
    });
    const seats = await Promise.all(
      ['agent1', 'agent2', 'watcher'].map((n) => server.connect(token(n))),
    );
    const heard = seats.map(
      ({ socket }) =>
        new Promise<{ seq: number; data: Record<string, unknown> }>((resolve) => {
          socket.on(
            'event',
            (e: { seq: number; type: string; ticketId: string; data: Record<string, unknown> }) => {
              if (e.type === 'ticket.assigned' && e.ticketId === ticket.id) resolve(e);
            },
          );
        }),
    );
    const after = await sendCommand(server, token('dm1'), {
      type: 'ticket.assign',
      ticketId: ticket.id,
      assigneeId: id('agent2'),
      reason: 'agent1 is off sick',
    });
    expect(after.assigneeId).toBe(id('agent2'));
    const events = await Promise.all(heard);
    expect(new Set(events.map((e) => e.seq)).size).toBe(1);
    expect(events[0]?.data).toMatchObject({
      previousAssigneeId: id('agent1'),
      assigneeId: id('agent2'),
      reason: 'agent1 is off sick',
    });
  });

  it('5: a major incident announcement and hourly-update clocks fire; closure opens a root-cause task due in 48 h', async () => {
    const start = Date.parse(T0) + 12 * 60 * MINUTE;
    clock.set(new Date(start));
    const ticket = await createTicket(server, admin, {
      priority: 'P2',
      groupId: 'l2',
      assigneeId: id('agent1'),
    });
    const child = await createTicket(server, admin, { priority: 'P3' });
    const declared = await server.api('POST', `/api/major-incidents/${ticket.id}`, {
      token: token('dm2'),
      body: { childTicketIds: [child.id], note: 'Core network down' },
    });
    expect(declared.status).toBe(201);
    const targets = (
      declared.body as { ticket: { sla: { targets: Array<{ name: string }> } } }
    ).ticket.sla.targets.map((t) => t.name);
    expect(targets).toEqual(expect.arrayContaining(['announce', 'restore', 'update']));
    expect((await openAlerts(ticket.id)).map((a) => a.stepKey)).toContain('major/declared');

    await runAt(start + 60 * MINUTE);
    const missed = (await openAlerts(ticket.id)).find((a) => a.stepKey === 'major/clock-missed');
    // The announce and update clocks both ran out at 60 min: one alert for the step, count 2.
    expect(missed?.data.targetsHit).toEqual(expect.arrayContaining(['announce', 'update']));
    expect(missed?.count).toBe(2);
    const ann = await server.api('POST', `/api/major-incidents/${ticket.id}/announcements`, {
      token: token('dm2'),
      body: { kind: 'announcement', text: 'We are on it' },
    });
    expect(ann.status).toBe(201);
    // The hourly update reminder: 45 min after the announcement (75 %), then the miss at 60.
    await runAt(start + 105 * MINUTE);
    const reminder = (await openAlerts(ticket.id)).find((a) => a.stepKey === 'major/update-due');
    expect(reminder?.data.target).toBe('update');
    const close = await server.api('POST', `/api/major-incidents/${ticket.id}/close`, {
      token: token('dm2'),
      body: { summary: 'Restored; switch replaced' },
    });
    expect(close.status).toBe(200);
    const m = close.body as {
      rootCause: { dueAt: string };
      timeline: Array<{ kind: string }>;
      childTicketIds: string[];
    };
    expect(Date.parse(m.rootCause.dueAt) - (start + 105 * MINUTE)).toBe(48 * 60 * MINUTE);
    expect(m.timeline.map((e) => e.kind)).toEqual(['declared', 'announcement', 'closed']);
    expect(m.childTicketIds).toEqual([child.id]);
    await runAt(start + 105 * MINUTE + 48 * 60 * MINUTE);
    await relogin();
    expect((await openAlerts(ticket.id)).map((a) => a.stepKey)).toContain(
      'major/root-cause-overdue',
    );
  });

  it('6: a complaint’s three contact deadlines fire and escalate when missed', async () => {
    const start = Date.parse(T0) + 4 * 24 * 60 * MINUTE;
    clock.set(new Date(start));
    await relogin();
    const ticket = await createTicket(server, admin, { priority: 'P3', kind: 'complaint' });
    const seen: string[] = [];
    for (const [minutes, target] of [
      [15, 'contact-15m'],
      [120, 'contact-2h'],
      [1440, 'contact-24h'],
    ] as const) {
      await runAt(start + minutes * MINUTE);
      if (minutes === 1440) await relogin();
      const alert = (await openAlerts(ticket.id)).find(
        (a) => a.stepKey === 'complaint/contact-missed',
      );
      expect(alert?.data.target).toBe(target);
      seen.push(String(alert?.data.target));
      const ack = await server.api('POST', `/api/alerts/${alert?.id}/ack`, {
        token: token('dm2'),
        body: {},
      });
      expect(ack.status).toBe(200);
    }
    expect(seen).toEqual(['contact-15m', 'contact-2h', 'contact-24h']);
  });

  // The storm case is defined for the PostgreSQL run only (a pooled server, as a desk at that
  // scale runs); on PGlite it is not registered rather than skipped.
  if (driver === 'postgres')
    it('7: 1 000 tickets breaching in the same minute give folded, bounded alerts and the server stays responsive', async () => {
      const start = Date.parse(T0) + 10 * 24 * 60 * MINUTE;
      clock.set(new Date(start));
      await relogin();
      const { socket } = await server.connect(token('dm2'));
      const inbox = new AlertInbox(socket);
      let raisedEvents = 0;
      socket.on('event', (e: { type: string }) => {
        if (e.type === 'alert.raised') raisedEvents += 1;
      });
      const N = 1000;
      const ids: string[] = [];
      for (let i = 0; i < N; i += 10) {
        const batch = await Promise.all(
          Array.from({ length: 10 }, () => createTicket(server, admin, { priority: 'P1' })),
        );
        ids.push(...batch.map((t) => t.id));
      }
      const probe = await createTicket(server, admin, { priority: 'P3' });
      const before = (await openAlerts()).length;
      clock.set(new Date(start + 15 * MINUTE));
      const latencies: number[] = [];
      let burstDone = false;
      const burstStarted = performance.now();
      const burst = (async () => {
        await server.scheduler.tick();
        await server.escalation.tick();
        burstDone = true;
      })();
      while (!burstDone) {
        const t = performance.now();
        await sendCommand(server, admin, {
          type: 'ticket.comment',
          ticketId: probe.id,
          body: 'still here',
          internal: true,
        });
        latencies.push(performance.now() - t);
      }
      await burst;
      const burstSeconds = (performance.now() - burstStarted) / 1000;
      await server.escalation.tick();
      latencies.sort((x, y) => x - y);
      const p50 = latencies[Math.floor(latencies.length / 2)] ?? 0;
      const max = latencies[latencies.length - 1] ?? 0;
      const open = await openAlerts();
      const mine = inbox.alerts;
      console.log(
        `[escalation ${driver}] ${N} P1 breaches: ${open.length - before} new top-level open alerts, ${mine.length} alert pushes and ${raisedEvents} alert.raised events on the duty manager's seat; burst ${burstSeconds.toFixed(1)} s; command ack during the burst p50 ${p50.toFixed(1)} ms, max ${max.toFixed(1)} ms over ${latencies.length} commands`,
      );
      // Bound: one open alert per ticket and step (stored as digest members), one digest per target group and step per engine run.
      const digests = open.filter((a) => a.kind === 'digest');
      expect(digests.length).toBeGreaterThan(0);
      // Per step: at most DIGEST_AFTER (3) single prompts, then one digest pushed at most once a second.
      expect(mine.length).toBeLessThanOrEqual(2 * (3 + Math.ceil(burstSeconds) + 2));
      const breachDigest = digests.find((d) => d.stepKey === 'P1/breach');
      const singles = open.filter(
        (a) => a.stepKey === 'P1/breach' && a.kind !== 'digest' && ids.includes(a.ticketId ?? ''),
      );
      expect(singles.length).toBeLessThanOrEqual(3);
      expect((breachDigest?.count ?? 0) + singles.length).toBe(N);
      const members = await server.api('GET', `/api/alerts/${breachDigest?.id}`, { token: admin });
      expect((members.body as { members: unknown[] }).members).toHaveLength(
        breachDigest?.count ?? -1,
      );
      expect(ids).toHaveLength(N);
      // ~2 min on a quiet machine (a 70 s burst); over 300 s beside CPU-bound neighbours.
    }, 900_000);
});
