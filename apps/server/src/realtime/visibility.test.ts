import { eventSchema, type Ticket } from '@dutydesk/shared';
import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, DRIVERS, startTestServer, type TestServer } from '../testing/harness';
import { prepareDesk, sendCommand, startWork } from '../features/sla/sla.testing';
import type { StoredEvent } from '../features/events/events.repo';
import { isViewerDependent, viewEvent } from './visibility';

/**
 * Issue 14 finding 12: every read path shows each caller what it may see, by one rule
 * (realtime/visibility.ts). The matrix: role × read path, with what must be present or absent.
 * Search (issue 17) is one of the paths.
 */

/** Text that only staff may read (ticket content and people outside the desk). */
const STAFF_ONLY = ['SECRET-DESC', 'Zhang San', '13800000000', 'SECRET-INTERNAL', 'SECRET-WORK'];
/** Text of an alert for the duty manager only. */
const DM_ALERT = 'SECRET-ALERT-FOR-DM';

interface Raw {
  seq: number;
  type: string;
  data: unknown;
}

/** Every `event` one socket received, with waits that resolve on arrival (no sleeps). */
class EventLog {
  readonly events: Raw[] = [];
  private waiters: Array<{ seq: number; resolve: () => void }> = [];
  constructor(socket: Socket) {
    socket.on('event', (e: Raw) => {
      this.events.push(e);
      this.waiters = this.waiters.filter((w) => {
        if (e.seq < w.seq) return true;
        w.resolve();
        return false;
      });
    });
  }
  waitFor(seq: number): Promise<void> {
    if (this.events.some((e) => e.seq >= seq)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ seq, resolve }));
  }
}

const ROLES = ['agent', 'engineer', 'duty_manager', 'admin', 'device', 'wallboard_user'] as const;
type Who = (typeof ROLES)[number];

const isDevice = (who: Who): boolean => who === 'device' || who === 'wallboard_user';
const seesAlert = (who: Who): boolean => who === 'duty_manager' || who === 'admin';

/** Asserts what a read of tickets (list, one ticket, snapshot) shows to `who`. */
function expectTickets(who: Who, text: string, ticket: Ticket | undefined): void {
  expect(ticket, `${who}: the ticket is listed`).toBeDefined();
  expect(ticket?.number).toMatch(/^INC-/);
  expect(ticket?.title).toBe('Visible title');
  expect(ticket?.priority).toBe('P2');
  expect(ticket?.sla.targets.length ?? 0).toBeGreaterThan(0);
  for (const secret of STAFF_ONLY) {
    if (isDevice(who)) expect(text, `${who} must not read ${secret}`).not.toContain(secret);
    else expect(text, `${who} reads ${secret}`).toContain(secret);
  }
}

/** Asserts what a read of events (REST, sync, replay, live) shows to `who`. */
function expectEvents(who: Who, events: Raw[], from: number, to: number): void {
  const text = JSON.stringify(events);
  const seqs = events.map((e) => e.seq).filter((s) => s > from && s <= to);
  // Gap-free for everyone: what may not be read is stood in for, not dropped.
  expect(seqs, `${who}: every seq in (${from}, ${to}]`).toEqual(
    Array.from({ length: to - from }, (_, i) => from + i + 1),
  );
  for (const e of events) expect(eventSchema.safeParse(e).success, `${who}: ${e.type}`).toBe(true);
  if (seesAlert(who)) expect(text).toContain(DM_ALERT);
  else {
    expect(text, `${who} must not read the duty manager's alert`).not.toContain(DM_ALERT);
    expect(text).toContain('event.withheld');
  }
  for (const secret of STAFF_ONLY) {
    if (isDevice(who)) expect(text, `${who} must not read ${secret}`).not.toContain(secret);
  }
  if (isDevice(who)) {
    for (const e of events) expect(e.type.startsWith('alert.'), `${who}: ${e.type}`).toBe(false);
    for (const e of events)
      expect(
        ['ticket.commented', 'ticket.executionLogged'].includes(e.type),
        `${who} got ${e.type}`,
      ).toBe(false);
  }
}

describe.each(DRIVERS)('read paths by what the caller may see on %s', (driver) => {
  let server: TestServer;
  let admin: string;
  const tokens = {} as Record<Who, string>;
  const ids = {} as Record<Who, string>;
  let ticketId: string;
  let headAfterSetup = 0;

  async function addUser(who: Who, roles: string[], groups: string[] = []): Promise<void> {
    const res = await server.api('POST', '/api/users', {
      token: admin,
      body: { username: who, password: 'password-123', displayName: who, roles, groups },
    });
    expect(res.status).toBe(201);
    ids[who] = (res.body as { id: string }).id;
    tokens[who] = await server.login(who, 'password-123');
  }

  async function raiseForDm(message: string): Promise<void> {
    const ticket = (await server.api('GET', `/api/tickets/${ticketId}`, { token: admin }))
      .body as Ticket;
    await server.escalation.raise([
      {
        ticket,
        stepKey: `test-${randomUUID()}`,
        kind: 'test',
        severity: 'critical',
        message,
        levels: [{ notify: 'duty_manager', ackMinutes: 10 }],
        recipientIds: [ids.duty_manager],
      },
    ]);
  }

  async function head(): Promise<number> {
    const res = await server.api('GET', '/api/events?after=0&limit=5000', { token: admin });
    const list = (res.body as { events: Raw[] }).events;
    return list[list.length - 1]?.seq ?? 0;
  }

  beforeAll(async () => {
    server = await startTestServer({ driver, env: { DUTYDESK_COMMAND_RATE: '100000' } });
    admin = await server.login('admin', ADMIN_PASSWORD);
    const adminId = await prepareDesk(server, admin);
    tokens.admin = admin;
    ids.admin = adminId;
    await addUser('agent', ['agent'], ['l2']);
    await addUser('engineer', ['engineer'], ['l2']);
    await addUser('duty_manager', ['duty_manager']);
    await addUser('wallboard_user', ['wallboard']);
    const device = await server.api('POST', '/api/devices', {
      token: admin,
      body: { label: 'Hall screen' },
    });
    expect(device.status).toBe(201);
    tokens.device = (device.body as { token: string }).token;
    ids.device = 'device';

    const created = await sendCommand(server, admin, {
      type: 'ticket.create',
      title: 'Visible title',
      description: 'SECRET-DESC of the outage',
      channel: 'hotline',
      priority: 'P2',
      customer: { org: 'Acme', contact: 'Zhang San', phone: '13800000000' },
    });
    ticketId = created.id;
    await startWork(server, admin, ticketId, adminId);
    await sendCommand(server, admin, {
      type: 'ticket.comment',
      ticketId,
      body: 'SECRET-INTERNAL note',
      internal: true,
    });
    await sendCommand(server, admin, {
      type: 'ticket.log.execution',
      ticketId,
      work: 'SECRET-WORK done',
      progress: 50,
      minutesSpent: 30,
    });
    await raiseForDm(DM_ALERT);
    headAfterSetup = await head();
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it.each(ROLES)('GET /api/tickets and GET /api/tickets/:id as %s', async (who) => {
    const list = await server.api('GET', '/api/tickets', { token: tokens[who] });
    expect(list.status).toBe(200);
    const listed = (list.body as { tickets: Ticket[] }).tickets.find((t) => t.id === ticketId);
    expectTickets(who, JSON.stringify(list.body), listed);
    const one = await server.api('GET', `/api/tickets/${ticketId}`, { token: tokens[who] });
    expect(one.status).toBe(200);
    expectTickets(who, JSON.stringify(one.body), one.body as Ticket);
  });

  it.each(ROLES)('GET /api/search as %s', async (who) => {
    // The title is found by everyone; each staff-only text only by staff, never in a snippet.
    const titled = await server.api('GET', '/api/search?q=visible', { token: tokens[who] });
    expect(titled.status).toBe(200);
    const found = (titled.body as { results: Array<{ id: string }> }).results;
    expect(found.map((r) => r.id)).toContain(ticketId);
    for (const secret of STAFF_ONLY) {
      const res = await server.api('GET', `/api/search?q=${encodeURIComponent(secret)}`, {
        token: tokens[who],
      });
      expect(res.status).toBe(200);
      const ids = (res.body as { results: Array<{ id: string }> }).results.map((r) => r.id);
      if (isDevice(who)) {
        expect(ids, `${who} must not find ${secret}`).toEqual([]);
        expect(JSON.stringify(res.body)).not.toContain(secret);
      } else expect(ids, `${who} finds ${secret}`).toContain(ticketId);
    }
    if (isDevice(who)) expect(JSON.stringify(titled.body)).not.toContain('SECRET');
  });

  it.each(ROLES)('GET /api/events as %s', async (who) => {
    const res = await server.api('GET', '/api/events?after=0&limit=5000', { token: tokens[who] });
    expect(res.status).toBe(200);
    const body = res.body as { events: Raw[]; more: boolean; next: number | null };
    expect(body.more).toBe(false);
    expect(body.next).toBeNull();
    expectEvents(who, body.events, 0, headAfterSetup);
  });

  it.each(ROLES)('snapshot (first connect) and sync as %s', async (who) => {
    let gotSnapshot: (s: { seq: number; tickets: Ticket[] }) => void = () => {};
    const snapshotArrived = new Promise<{ seq: number; tickets: Ticket[] }>(
      (resolve) => (gotSnapshot = resolve),
    );
    const { socket } = await server.connect(tokens[who], {}, (s) => {
      s.once('snapshot', gotSnapshot);
    });
    const snapshot = await snapshotArrived;
    const synced = (await socket.emitWithAck('sync', { after: 0 })) as {
      ok: boolean;
      events: Raw[];
      more: boolean;
    };
    expect(snapshot, `${who}: a snapshot follows hello`).toBeDefined();
    expectTickets(
      who,
      JSON.stringify(snapshot),
      snapshot?.tickets.find((t) => t.id === ticketId),
    );
    expect(synced.ok).toBe(true);
    expectEvents(who, synced.events, 0, headAfterSetup);
    socket.disconnect();
  });

  it.each(ROLES)('replay (resume from seq 1) as %s', async (who) => {
    let log: EventLog | undefined;
    const { socket } = await server.connect(tokens[who], { lastSeq: 1 }, (s) => {
      log = new EventLog(s);
    });
    await log?.waitFor(headAfterSetup);
    expectEvents(who, log?.events ?? [], 1, headAfterSetup);
    socket.disconnect();
  });

  it('live events: each role gets the live stream gap-free, as it may see it', async () => {
    const from = await head();
    const logs = new Map<Who, EventLog>();
    const sockets: Socket[] = [];
    for (const who of ROLES) {
      const { socket } = await server.connect(tokens[who], { lastSeq: from }, (s) =>
        logs.set(who, new EventLog(s)),
      );
      sockets.push(socket);
    }
    await sendCommand(server, admin, {
      type: 'ticket.comment',
      ticketId,
      body: 'SECRET-INTERNAL live note',
      internal: true,
    });
    await raiseForDm(`${DM_ALERT} live`);
    await sendCommand(server, admin, {
      type: 'ticket.log.execution',
      ticketId,
      work: 'SECRET-WORK live',
      progress: 60,
      minutesSpent: 5,
    });
    const to = await head();
    expect(to).toBeGreaterThan(from);
    for (const who of ROLES) {
      const log = logs.get(who);
      await log?.waitFor(to);
      const events = log?.events ?? [];
      expectEvents(who, events, from, to);
      const text = JSON.stringify(events);
      if (isDevice(who)) expect(text).not.toContain('SECRET-INTERNAL live note');
      else expect(text).toContain('SECRET-INTERNAL live note');
    }
    for (const s of sockets) s.disconnect();
  });

  it.each(ROLES)(
    'other reads as %s: major incidents and the roster are staff-only',
    async (who) => {
      for (const path of ['/api/major-incidents', '/api/roster/on-duty', '/api/roster/shifts']) {
        const res = await server.api('GET', path, { token: tokens[who] });
        expect(res.status, `${who} GET ${path}`).toBe(isDevice(who) ? 403 : 200);
      }
    },
  );

  it('GET /api/alerts agrees with the events: an agent sees neither the alert nor its events', async () => {
    for (const who of ROLES) {
      const res = await server.api('GET', '/api/alerts?open=true', { token: tokens[who] });
      expect(res.status).toBe(200);
      const text = JSON.stringify(res.body);
      if (seesAlert(who)) expect(text).toContain(DM_ALERT);
      else expect(text, `${who}: /api/alerts`).not.toContain(DM_ALERT);
    }
  });
});

describe('QA verdict events (decision 61)', () => {
  const verdict: StoredEvent = {
    seq: 7,
    id: 'e-7',
    type: 'qa.verdictRecorded',
    ticketId: null,
    actorId: 'dm-1',
    at: '2026-05-02T01:00:00.000Z',
    data: { itemId: 'qi-1', agentId: 'agent-1', verdict: { score: 80 } },
  };
  it('reach reviewers and the agent concerned whole, every other seat as a stand-in', () => {
    for (const roles of [['duty_manager'], ['admin']])
      expect(viewEvent({ id: 'x', roles }, verdict)).toBe(verdict);
    expect(viewEvent({ id: 'agent-1', roles: ['agent'] }, verdict)).toBe(verdict);
    for (const viewer of [
      { id: 'agent-2', roles: ['agent'] },
      { id: 'eng-1', roles: ['engineer'] },
      { id: 'agent-1', roles: ['wallboard'] },
    ])
      expect(viewEvent(viewer, verdict)).toMatchObject({
        seq: 7,
        type: 'event.withheld',
        data: {},
      });
    expect(isViewerDependent([verdict], { id: 'agent-2', roles: ['agent'] })).toBe(true);
    expect(isViewerDependent([verdict], { id: 'dm', roles: ['duty_manager'] })).toBe(false);
  });
});
