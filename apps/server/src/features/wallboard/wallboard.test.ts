import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ticket } from '@dutydesk/shared';
import { ManualClock } from '../../clock';
import {
  ADMIN_PASSWORD,
  DRIVERS,
  rosterShift,
  startTestServer,
  type TestServer,
} from '../../testing/harness';
import type { DeskMetrics } from './metrics.service';

const PASSWORD = 'password-123';
/** Wednesday 2026-03-04 10:00 in Shanghai: a working day, inside every calendar's window. */
const START = '2026-03-04T02:00:00.000Z';
const MIN = 60_000;

interface StoredEvent {
  seq: number;
  type: string;
  ticketId: string | null;
  at: string;
  data: Record<string, unknown>;
}

/** Collects every `wallboard.metrics` a socket receives and waits for one that matches. */
class MetricsInbox {
  readonly received: DeskMetrics[] = [];
  private waiters: Array<{ test: (m: DeskMetrics) => boolean; resolve: (m: DeskMetrics) => void }> =
    [];
  constructor(socket: Socket) {
    socket.on('wallboard.metrics', (m: DeskMetrics) => {
      this.received.push(m);
      this.waiters = this.waiters.filter((w) => {
        if (!w.test(m)) return true;
        w.resolve(m);
        return false;
      });
    });
  }
  next(test: (m: DeskMetrics) => boolean): Promise<DeskMetrics> {
    const found = [...this.received].reverse().find(test);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }
}

/** Connects and registers the metrics listener before `hello`: the first push follows at once. */
async function connectBoard(
  server: TestServer,
  token: string,
): Promise<{ socket: Socket; inbox: MetricsInbox }> {
  let inbox: MetricsInbox | undefined;
  const { socket } = await server.connect(token, {}, (s) => {
    inbox = new MetricsInbox(s);
  });
  return { socket, inbox: inbox as MetricsInbox };
}

/**
 * The metrics recomputed here from the REST reads only (tickets, events, groups), written
 * without the server's code, from the definitions in docs/metrics.md.
 */
function computeExpected(
  tickets: Ticket[],
  events: StoredEvent[],
  openAlerts: number,
  groups: Array<{ id: string; tier: number }>,
  now: number,
  todayStart: number,
  weekStart: number,
) {
  const inRange = (at: string | null | undefined, from: number): boolean =>
    !!at && Date.parse(at) >= from && Date.parse(at) <= now;
  const open = tickets.filter((t) => t.status !== 'closed');
  const stateOf = (x: Ticket['sla']['targets'][number]): string =>
    x.state === 'running' && x.dueAt && Date.parse(x.dueAt) <= now ? 'breached' : x.state;
  const attainment = (name: string, from: number) => {
    let met = 0;
    let breached = 0;
    for (const t of tickets) {
      for (const x of t.sla.targets.filter((y) => y.name === name)) {
        if (stateOf(x) === 'met' && inRange(x.metAt, from)) met++;
        if (stateOf(x) === 'breached' && inRange(x.dueAt, from)) breached++;
      }
    }
    return { met, breached, rate: met + breached ? met / (met + breached) : null };
  };
  let atRisk = 0;
  let breachedNow = 0;
  const clocks: Array<{ ticketId: string; target: string; dueAt: string }> = [];
  for (const t of open) {
    const live = t.sla.targets.filter((x) => !x.metAt && x.dueAt && stateOf(x) !== 'paused');
    const late = live.some((x) => stateOf(x) === 'breached');
    const risky = live.some((x) => {
      if (stateOf(x) !== 'running' || !x.startedAt || !x.dueAt) return false;
      const start = Date.parse(x.startedAt);
      return ((now - start) / (Date.parse(x.dueAt) - start)) * 100 >= 75;
    });
    if (late) breachedNow++;
    else if (risky) atRisk++;
    for (const x of live) clocks.push({ ticketId: t.id, target: x.name, dueAt: x.dueAt as string });
  }
  clocks.sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt));
  const responded = tickets.filter((t) => inRange(t.firstResponseAt, todayStart));
  const tier = new Map(groups.map((g) => [g.id, g.tier]));
  const resolvedToday = tickets.filter(
    (t) =>
      ['resolved', 'follow_up', 'closed'].includes(t.status) && inRange(t.resolvedAt, todayStart),
  );
  const firstContact = resolvedToday.filter((t) => {
    const own = events.filter((e) => e.ticketId === t.id);
    const escalated = own.some(
      (e) =>
        (e.type === 'ticket.assigned' || e.type === 'ticket.created') &&
        typeof e.data.groupId === 'string' &&
        (tier.get(e.data.groupId) ?? 1) > 1,
    );
    const reopened = own.some(
      (e) =>
        e.type === 'ticket.reopened' ||
        (e.type === 'ticket.followedUp' && e.data.outcome === 'not_resolved'),
    );
    return !escalated && !reopened;
  });
  let assigned = 0;
  let redispatched = 0;
  for (const t of tickets) {
    const times = events
      .filter(
        (e) =>
          e.ticketId === t.id &&
          (e.type === 'ticket.assigned' ||
            (e.type === 'ticket.created' && (e.data.groupId != null || e.data.assigneeId != null))),
      )
      .map((e) => e.at);
    if (times.length > 0 && inRange(times[0], todayStart)) {
      assigned++;
      if (times.length > 1) redispatched++;
    }
  }
  const ratings = tickets.flatMap((t) => {
    const replaced = new Set(t.supervisionLog.map((e) => e.correctsEntryId));
    return t.supervisionLog
      .filter((e) => !replaced.has(e.id) && e.ratings.overall !== undefined)
      .filter((e) => inRange(e.at, todayStart))
      .map((e) => e.ratings.overall as number);
  });
  const majors = open.filter((t) => t.majorIncident);
  return {
    open: {
      total: open.length,
      byPriority: {
        P1: open.filter((t) => t.priority === 'P1').length,
        P2: open.filter((t) => t.priority === 'P2').length,
        P3: open.filter((t) => t.priority === 'P3').length,
      },
      byGroup: Object.fromEntries(
        groups.map((g) => [g.id, open.filter((t) => t.groupId === g.id).length]),
      ),
      noGroup: open.filter((t) => t.groupId === null).length,
    },
    sla: {
      today: {
        response: attainment('response', todayStart),
        resolve: attainment('resolve', todayStart),
      },
      week: {
        response: attainment('response', weekStart),
        resolve: attainment('resolve', weekStart),
      },
    },
    risk: { atRisk, breached: breachedNow, urgent: clocks.slice(0, 5) },
    firstResponse: {
      count: responded.length,
      averageMs: responded.length
        ? responded.reduce(
            (s, t) => s + Date.parse(t.firstResponseAt as string) - Date.parse(t.receivedAt),
            0,
          ) / responded.length
        : null,
    },
    firstContactResolution: {
      resolved: resolvedToday.length,
      firstContact: firstContact.length,
      rate: resolvedToday.length ? firstContact.length / resolvedToday.length : null,
    },
    redispatch: { assigned, redispatched, rate: assigned ? redispatched / assigned : null },
    csat: {
      responses: ratings.length,
      satisfied: ratings.filter((r) => r >= 4).length,
      averageScore: ratings.length ? ratings.reduce((a, b) => a + b, 0) / ratings.length : null,
      rate: ratings.length ? ratings.filter((r) => r >= 4).length / ratings.length : null,
    },
    alerts: openAlerts,
    majorIncidents: majors.length,
  };
}

function pickComparable(m: DeskMetrics) {
  return {
    open: {
      total: m.open.total,
      byPriority: m.open.byPriority,
      byGroup: Object.fromEntries(
        m.open.byGroup.filter((g) => g.groupId !== null).map((g) => [g.groupId, g.total]),
      ),
      noGroup: m.open.byGroup.find((g) => g.groupId === null)?.total ?? 0,
    },
    sla: m.sla,
    risk: {
      atRisk: m.risk.atRisk,
      breached: m.risk.breached,
      urgent: m.risk.urgent.map((u) => ({
        ticketId: u.ticketId,
        target: u.target,
        dueAt: u.dueAt,
      })),
    },
    firstResponse: m.firstResponse,
    firstContactResolution: m.firstContactResolution,
    redispatch: m.redispatch,
    csat: m.csat,
    alerts: m.alerts.open,
    majorIncidents: m.majorIncidents.count,
  };
}

describe.each(DRIVERS)('wallboard metrics and devices on %s', (driver) => {
  let server: TestServer;
  let clock: ManualClock;
  let admin: string;
  let dm: string;
  const ids: Record<string, string> = {};

  const command = async (body: Record<string, unknown>): Promise<Ticket> => {
    const res = await server.api('POST', '/api/commands', {
      token: dm,
      body: { commandId: randomUUID(), ...body },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return (res.body as { ticket: Ticket }).ticket;
  };
  const create = (title: string, extra: Record<string, unknown>): Promise<Ticket> =>
    command({ type: 'ticket.create', title, description: title, channel: 'hotline', ...extra });
  const maxSeq = async (): Promise<number> => {
    const res = await server.api('GET', '/api/events?after=0&limit=5000', { token: dm });
    const list = (res.body as { events: StoredEvent[] }).events;
    return list[list.length - 1]?.seq ?? 0;
  };
  /** What the duty manager reads over REST, the inputs of `computeExpected`. */
  const readDesk = async () => {
    const [tickets, events, groups, alerts] = await Promise.all([
      server.api('GET', '/api/tickets?limit=10000', { token: dm }),
      server.api('GET', '/api/events?after=0&limit=5000', { token: dm }),
      server.api('GET', '/api/groups', { token: dm }),
      server.api('GET', '/api/alerts?open=true', { token: dm }),
    ]);
    return {
      list: (tickets.body as { tickets: Ticket[] }).tickets,
      log: (events.body as { events: StoredEvent[] }).events,
      openAlerts: (alerts.body as { alerts: unknown[] }).alerts.length,
      groups: (groups.body as { groups: Array<{ id: string; tier: number }> }).groups,
    };
  };

  beforeAll(async () => {
    clock = new ManualClock(START);
    server = await startTestServer({ driver, clock, env: { DUTYDESK_COMMAND_RATE: '2000' } });
    admin = await server.login('admin', ADMIN_PASSWORD);
    for (const g of [
      { id: 'l1', name: 'L1 desk', nameZh: '一线', tier: 1 },
      { id: 'l2', name: 'L2', nameZh: '二线', tier: 2 },
    ]) {
      expect((await server.api('POST', '/api/groups', { token: admin, body: g })).status).toBe(201);
    }
    for (const u of [
      { username: 'agent1', roles: ['agent'], groups: ['l1'] },
      { username: 'eng1', roles: ['engineer'], groups: ['l2'] },
      { username: 'dm1', roles: ['duty_manager'], groups: [] },
    ]) {
      const res = await server.api('POST', '/api/users', {
        token: admin,
        body: { ...u, password: PASSWORD, displayName: u.username },
      });
      expect(res.status).toBe(201);
      ids[u.username] = (res.body as { id: string }).id;
    }
    dm = await server.login('dm1', PASSWORD);
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('issues device tokens to admins only, lists them, and keeps them read-only', async () => {
    const agent = await server.login('agent1', PASSWORD);
    const refused = await server.api('POST', '/api/devices', {
      token: agent,
      body: { label: 'x' },
    });
    expect(refused.status).toBe(403);
    expect((await server.api('POST', '/api/devices', { token: admin, body: {} })).status).toBe(400);
    const made = await server.api('POST', '/api/devices', {
      token: admin,
      body: { label: 'Hall north' },
    });
    expect(made.status).toBe(201);
    const device = made.body as { id: string; token: string; label: string };
    expect(device).toMatchObject({ label: 'Hall north' });
    expect(device.token.length).toBeGreaterThan(20);
    const list = await server.api('GET', '/api/devices', { token: admin });
    expect((list.body as { devices: Array<{ id: string; label: string }> }).devices).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: device.id, label: 'Hall north' })]),
    );
    expect((await server.api('GET', '/api/devices', { token: dm })).status).toBe(403);

    const viaRest = await server.api('POST', '/api/commands', {
      token: device.token,
      body: {
        commandId: randomUUID(),
        type: 'ticket.create',
        title: 'from a wallboard',
        description: '',
        channel: 'hotline',
      },
    });
    expect(viaRest.status).toBe(403);
    const { socket, inbox } = await connectBoard(server, device.token);
    const first = await inbox.next(() => true);
    expect(first.version).toBe(1);
    const ack = await new Promise<{ ok: boolean; error?: { code: string } }>((resolve) =>
      socket.emit(
        'command',
        {
          commandId: randomUUID(),
          type: 'ticket.create',
          title: 'from a wallboard',
          description: '',
          channel: 'hotline',
        },
        resolve,
      ),
    );
    expect(ack).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const rest = await server.api('GET', '/api/wallboard/metrics', { token: device.token });
    expect(rest.status).toBe(200);
    expect((rest.body as DeskMetrics).version).toBe(1);
    socket.disconnect();
  });

  it('cuts off a revoked device token within a second and refuses it afterwards', async () => {
    const made = await server.api('POST', '/api/devices', {
      token: admin,
      body: { label: 'Lobby' },
    });
    const device = made.body as { id: string; token: string };
    const { socket } = await connectBoard(server, device.token);
    const dropped = new Promise<number>((resolve) => {
      const t0 = Date.now();
      socket.once('disconnect', () => resolve(Date.now() - t0));
    });
    expect((await server.api('DELETE', `/api/devices/${device.id}`, { token: admin })).status).toBe(
      200,
    );
    expect(await dropped).toBeLessThan(1000);
    await expect(server.connect(device.token)).rejects.toThrow(/unauthorized/);
    expect(
      (await server.api('GET', '/api/wallboard/metrics', { token: device.token })).status,
    ).toBe(401);
    expect((await server.api('DELETE', '/api/devices/nope', { token: admin })).status).toBe(404);
    const list = await server.api('GET', '/api/devices', { token: admin });
    const row = (
      list.body as { devices: Array<{ id: string; revokedAt: string | null }> }
    ).devices.find((d) => d.id === device.id);
    expect(row?.revokedAt).not.toBeNull();
  });

  it('pushes exactly the numbers recomputed from /api/tickets and /api/events', async () => {
    const made = await server.api('POST', '/api/devices', {
      token: admin,
      body: { label: 'Hall' },
    });
    const board = await connectBoard(server, (made.body as { token: string }).token);
    const agentSeat = await server.connect(await server.login('agent1', PASSWORD));
    const at = (minutes: number): string =>
      new Date(Date.parse(START) + minutes * MIN).toISOString();

    // Yesterday: a P2 whose response target breached yesterday (this week, not today).
    await create('yesterday', { priority: 'P2', receivedAt: '2026-03-03T03:00:00.000Z' });
    // P1 received 09:10: its 15-minute response target is breached at 10:00.
    await create('core switch down', { priority: 'P1', receivedAt: at(-50) });
    // P2 received 09:05, answered at 10:00: response met late (breached).
    const late = await create('vpn slow', { priority: 'P2', receivedAt: at(-55) });
    await command({ type: 'ticket.comment', ticketId: late.id, body: 'looking', internal: false });
    // P1 received 09:50: 10 of 15 minutes gone now, 12 after the clock moves (80 %: at risk).
    await create('payments failing', { priority: 'P1', receivedAt: at(-10) });
    // Answered on time and resolved at L1, closed after a satisfied call-back: first contact.
    const fcr = await create('password reset', { priority: 'P2', receivedAt: at(-5) });
    await command({ type: 'ticket.classify', ticketId: fcr.id, category: 'account' });
    await command({ type: 'ticket.assign', ticketId: fcr.id, groupId: 'l1' });
    await command({ type: 'ticket.accept', ticketId: fcr.id });
    await command({ type: 'ticket.comment', ticketId: fcr.id, body: 'done?', internal: false });
    await command({ type: 'ticket.resolve', ticketId: fcr.id, code: 'fixed', summary: 'reset' });
    await command({ type: 'ticket.followUp', ticketId: fcr.id, outcome: 'satisfied' });
    await command({ type: 'ticket.close', ticketId: fcr.id });
    await command({
      type: 'ticket.log.supervision',
      ticketId: fcr.id,
      source: 'on_behalf',
      ratings: { overall: 5 },
    });
    // Dispatched to L1, escalated to L2 (re-dispatch), resolved there: not first contact.
    const esc = await create('database locks', { priority: 'P2', receivedAt: at(-20) });
    await command({ type: 'ticket.classify', ticketId: esc.id, category: 'db' });
    await command({ type: 'ticket.assign', ticketId: esc.id, groupId: 'l1' });
    await command({ type: 'ticket.assign', ticketId: esc.id, groupId: 'l2', assigneeId: ids.eng1 });
    await command({ type: 'ticket.accept', ticketId: esc.id });
    await command({ type: 'ticket.comment', ticketId: esc.id, body: 'on it', internal: false });
    await command({ type: 'ticket.resolve', ticketId: esc.id, code: 'fixed', summary: 'killed' });
    const low = await command({
      type: 'ticket.log.supervision',
      ticketId: esc.id,
      source: 'customer',
      ratings: { overall: 2 },
    });
    const entryId = low.supervisionLog[low.supervisionLog.length - 1]?.id;
    await command({
      type: 'ticket.log.supervision',
      ticketId: esc.id,
      source: 'customer',
      ratings: { overall: 3 },
      correctsEntryId: entryId,
    });
    // A major incident in L2, in progress.
    const major = await create('site outage', {
      priority: 'P1',
      receivedAt: at(-1),
      majorIncident: true,
    });
    await command({
      type: 'ticket.classify',
      ticketId: major.id,
      category: 'network',
      majorIncident: true,
    });
    await command({
      type: 'ticket.assign',
      ticketId: major.id,
      groupId: 'l2',
      assigneeId: ids.eng1,
    });
    await command({ type: 'ticket.accept', ticketId: major.id });

    clock.advance(2 * MIN);
    // Let every threshold now due fire and every alert it raises land before measuring, so the
    // background loops cannot change the numbers between the push, the REST read and the check.
    await server.scheduler.tick();
    await server.escalation.tick();
    const lastTicket = await create('printer', { priority: 'P2', groupId: 'l1' });
    const seq = await maxSeq();
    const pushed = await board.inbox.next(
      (m) => m.seq >= seq && Date.parse(m.generatedAt) >= clock.now().getTime(),
    );

    const { list, log, openAlerts, groups } = await readDesk();
    expect(log[log.length - 1]?.seq).toBe(pushed.seq);
    const expected = computeExpected(
      list,
      log,
      openAlerts,
      groups,
      clock.now().getTime(),
      Date.parse('2026-03-03T16:00:00.000Z'),
      Date.parse('2026-03-01T16:00:00.000Z'),
    );
    expect(pushed.windows).toEqual({
      todayStart: '2026-03-03T16:00:00.000Z',
      weekStart: '2026-03-01T16:00:00.000Z',
    });
    expect(pickComparable(pushed)).toEqual(expected);
    // The scenario exercises every metric (none is trivially zero).
    expect(expected.sla.today.response.met).toBeGreaterThan(0);
    expect(expected.sla.today.response.breached).toBeGreaterThan(0);
    expect(expected.sla.week.response.breached).toBeGreaterThan(
      expected.sla.today.response.breached,
    );
    expect(expected.risk.atRisk).toBeGreaterThan(0);
    expect(expected.risk.breached).toBeGreaterThan(0);
    expect(expected.firstContactResolution).toMatchObject({ resolved: 2, firstContact: 1 });
    expect(expected.redispatch.redispatched).toBeGreaterThan(0);
    expect(expected.csat).toMatchObject({ responses: 2, satisfied: 1, averageScore: 4 });
    expect(expected.majorIncidents).toBe(1);
    expect(expected.alerts).toBeGreaterThan(0);
    expect(pushed.majorIncidents.items[0]?.nextDeadline).not.toBeNull();
    expect(pushed.open.byGroup.find((g) => g.groupId === 'l1')?.total).toBeGreaterThan(0);
    expect(lastTicket.groupId).toBe('l1');

    // On duty: the agent's and the duty manager's REST session have no socket; the agent's seat has.
    expect(pushed.duty).toMatchObject({ rosterConfigured: false, source: 'presence' });
    expect(pushed.duty.byRole.agent).toBe(1);
    expect(pushed.duty.people.map((p) => p.userId)).toContain(ids.agent1);
    expect(pushed.duty.available).toBe(1);

    // REST answers the same numbers.
    const rest = await server.api('GET', '/api/wallboard/metrics', { token: dm });
    expect(pickComparable(rest.body as DeskMetrics)).toEqual(expected);
    agentSeat.socket.disconnect();
    board.socket.disconnect();
  });

  it('stops counting targets met by milestones and contacts, and reads the roster', async () => {
    // A complaint whose first contact target is met by a recorded contact, and a major
    // incident whose announce target is met by its milestone (both sign-offs).
    const complaint = await create('rude engineer', { kind: 'complaint', priority: 'P3' });
    expect(complaint.number).toMatch(/^CMP-/);
    await command({
      type: 'ticket.contact.record',
      ticketId: complaint.id,
      channel: 'phone',
      summary: 'apologised, call back at 14:00',
    });
    const major = await create('storage array down', { priority: 'P1', majorIncident: true });
    const added = await command({
      type: 'ticket.milestone.add',
      ticketId: major.id,
      title: 'announce',
    });
    const milestoneId = added.milestones[0]?.id;
    for (const side of ['lead', 'customer']) {
      await command({ type: 'ticket.milestone.confirm', ticketId: major.id, milestoneId, side });
    }
    // A roster: agent1 at the desk and eng1 in L2 now, though neither has a seat open.
    await rosterShift(
      server,
      dm,
      clock.now().getTime() - 60 * MIN,
      clock.now().getTime() + 10 * 60 * MIN,
      [
        [ids.agent1 ?? '', 'desk_agent'],
        [ids.eng1 ?? '', 'engineer_l2'],
      ],
    );

    // 70 minutes on: past contact-15m and announce (60 min) had they still been running.
    clock.advance(70 * MIN);
    await server.scheduler.tick();
    await server.escalation.tick();
    const rest = await server.api('GET', '/api/wallboard/metrics', { token: dm });
    const metrics = rest.body as DeskMetrics;
    const { list, log, openAlerts, groups } = await readDesk();
    const stored = (id: string, name: string) =>
      list.find((t) => t.id === id)?.sla.targets.find((x) => x.name === name);
    expect(stored(complaint.id, 'contact-15m')).toMatchObject({ state: 'met' });
    expect(stored(major.id, 'announce')).toMatchObject({ state: 'met' });
    const expected = computeExpected(
      list,
      log,
      openAlerts,
      groups,
      clock.now().getTime(),
      Date.parse(metrics.windows.todayStart),
      Date.parse(metrics.windows.weekStart),
    );
    expect(pickComparable(metrics)).toEqual(expected);
    const live = (id: string) =>
      metrics.risk.urgent.filter((u) => u.ticketId === id).map((u) => u.target);
    expect(live(complaint.id)).not.toContain('contact-15m');
    expect(live(major.id)).not.toContain('announce');
    const item = metrics.majorIncidents.items.find((m) => m.ticketId === major.id);
    expect(item?.nextDeadline?.target).not.toBe('announce');

    // The duty page reads the stored roster, not who is signed in.
    expect(metrics.duty).toMatchObject({ rosterConfigured: true, source: 'roster' });
    expect(metrics.duty.people.map((p) => p.userId).sort()).toEqual([ids.agent1, ids.eng1].sort());
    expect(metrics.duty.byRole).toMatchObject({ agent: 1, engineer: 1, duty_manager: 0 });
  });

  it('coalesces a burst of changes into fewer pushes, and staff seats may subscribe', async () => {
    const seat = await server.connect(dm);
    const inbox = new MetricsInbox(seat.socket);
    const ack = await new Promise((resolve) =>
      seat.socket.emit('wallboard.subscribe', {}, resolve),
    );
    expect(ack).toEqual({ ok: true });
    await inbox.next(() => true);
    const before = inbox.received.length;
    const burst = await Promise.all(
      Array.from({ length: 12 }, (_, i) => create(`burst ${i}`, { priority: 'P3' })),
    );
    const seq = await maxSeq();
    const last = await inbox.next((m) => m.seq >= seq);
    expect(last.open.byPriority.P3).toBeGreaterThanOrEqual(burst.length);
    expect(inbox.received.length - before).toBeLessThan(burst.length);
    seat.socket.disconnect();
  });
});
