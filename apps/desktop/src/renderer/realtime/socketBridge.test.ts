import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAppStore } from '../store/appStore';
import { classifiedEvent, createdEvent, makeHello, makeTicket, T0 } from '../test/fixtures';

const created = (seq: number, id: string) => createdEvent(seq, makeTicket({ id }));
import { createRealtimeBridge } from './socketBridge';
import type { HandshakeAuth, SocketLike } from './socketBridge';
import type { DeskMetrics } from './contract';

type Listener = (...args: unknown[]) => void;

class FakeSocket implements SocketLike {
  connected = false;
  active = true;
  connects = 0;
  disconnects = 0;
  readonly emitted: { event: string; args: unknown[] }[] = [];
  private readonly listeners = new Map<string, Listener[]>();

  constructor(readonly auth: () => HandshakeAuth) {}

  on(event: string, listener: (...args: never[]) => void): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener as Listener]);
    return this;
  }
  emit(event: string, ...args: unknown[]): this {
    this.emitted.push({ event, args });
    return this;
  }
  connect(): this {
    this.connects += 1;
    this.active = true;
    return this;
  }
  disconnect(): this {
    this.disconnects += 1;
    this.connected = false;
    this.active = false;
    this.fire('disconnect', 'io client disconnect');
    return this;
  }
  fire(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) listener(...args);
  }
  /** The server accepts the (re)connection and greets. */
  open(seq: number, serverTime = new Date(T0).toISOString()): void {
    this.connected = true;
    this.active = true;
    this.fire('connect');
    this.fire('hello', makeHello(seq, serverTime));
  }
  drop(): void {
    this.connected = false;
    this.fire('disconnect', 'transport close');
  }
  commands(): { commandId: string; type: string }[] {
    return this.emitted
      .filter((e) => e.event === 'command')
      .map((e) => e.args[0] as { commandId: string; type: string });
  }
  ack(index: number, ack: unknown): void {
    const callback = this.emitted.filter((e) => e.event === 'command')[index]?.args[1];
    (callback as (a: unknown) => void)(ack);
  }
}

function setup(
  options: { commandTimeoutMs?: number; syncTimeoutMs?: number; retryRefused?: boolean } = {},
) {
  const store = createAppStore();
  let socket: FakeSocket | null = null;
  let ids = 0;
  const bridge = createRealtimeBridge({
    store,
    connect: (auth) => {
      socket = new FakeSocket(auth);
      return socket;
    },
    now: () => Date.now(),
    newId: () => `cmd-${++ids}`,
    schedule: (flush) => flush(),
    ...options,
  });
  bridge.start('tok-1');
  const sock = (): FakeSocket => {
    if (!socket) throw new Error('no socket');
    return socket;
  };
  return { store, bridge, sock };
}

/** An alert as the server lists and pushes it (the protocol's alert view). */
const alertView = (id: string, level: number) => ({
  id,
  ticketId: 't1',
  kind: 'sla.breached',
  stepKey: 'P1/breach',
  severity: 'critical',
  level,
  message: `INC-1 breached (${id})`,
  recipientIds: ['u1'],
  roles: [],
  status: 'open',
  outcome: null,
  count: 1,
  parentId: null,
  createdAt: new Date(T0).toISOString(),
  lastRaisedAt: new Date(T0).toISOString(),
  climbAt: null,
  acknowledgedBy: null,
  acknowledgedAt: null,
  data: {},
});

describe('socket bridge', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T0);
  });
  afterEach(() => vi.useRealTimers());

  it('connects with the token and the last seq, and is live only after hello', () => {
    const { store, sock } = setup();
    expect(sock().auth()).toEqual({ token: 'tok-1', lastSeq: 0, protocolVersion: 1 });
    expect(store.getState().connection.status).toBe('connecting');
    sock().connected = true;
    sock().fire('connect');
    expect(store.getState().connection.status).toBe('connecting');
    sock().fire('hello', makeHello(0, new Date(T0).toISOString()));
    expect(store.getState().connection.status).toBe('live');
  });

  it('measures the server clock offset from hello', () => {
    const { store, sock } = setup();
    sock().open(0, new Date(T0 + 90_000).toISOString());
    expect(store.getState().connection.serverOffsetMs).toBe(90_000);
  });

  it('applies events in seq order and drops duplicates', () => {
    const { store, sock } = setup();
    sock().open(0);
    const a1 = created(1, '1');
    const a2 = classifiedEvent(2, '1', 2, { category: 'second' });
    sock().fire('event', a1);
    sock().fire('event', a2);
    sock().fire('event', a1);
    sock().fire('event', a2);
    expect(store.getState().lastSeq).toBe(2);
    expect(store.getState().tickets['1']?.category).toBe('second');
    expect(store.getState().tickets['1']?.version).toBe(2);
    expect(sock().disconnects).toBe(0);
  });

  it('takes the open alerts listed after a connect, and closes those acknowledged while away', () => {
    const { store, sock } = setup();
    const listed = (id: string, level = 1) => alertView(id, level);
    sock().open(5);
    // A list with an alert the protocol does not describe is dropped whole.
    sock().fire('alerts', { alerts: [listed('a1'), { id: 'broken' }] });
    expect(store.getState().alerts).toEqual({});
    // A seat that got a snapshot saw no alert.raised event: the list brings the prompts.
    sock().fire('alerts', { alerts: [listed('a1'), listed('a2')] });
    expect(Object.keys(store.getState().alerts).sort()).toEqual(['a1', 'a2']);
    expect(store.getState().alerts['a1']).toMatchObject({ ackedAt: null, level: 1 });
    // a2 is acknowledged on another seat while this one is away; a1 climbs.
    sock().drop();
    sock().open(5);
    sock().fire('alerts', { alerts: [listed('a1', 2)] });
    expect(store.getState().alerts['a1']).toMatchObject({ ackedAt: null, level: 2 });
    expect(store.getState().alerts['a2']?.ackedAt).not.toBeNull();
    // A late list never reopens an alert acknowledged here.
    sock().fire('alerts', { alerts: [listed('a2')] });
    expect(store.getState().alerts['a2']?.ackedAt).not.toBeNull();
    sock().fire('alerts', { nope: true });
    expect(Object.keys(store.getState().alerts)).toHaveLength(2);
  });

  it('ignores messages that do not parse', () => {
    const { store, sock } = setup();
    sock().open(0);
    sock().fire('event', { seq: 'one', type: 42 });
    sock().fire('snapshot', { tickets: 'nope' });
    expect(store.getState().lastSeq).toBe(0);
    expect(store.getState().tickets).toEqual({});
  });

  it('holds an early event until the missing one arrives, without any repair', () => {
    const { store, sock } = setup();
    sock().open(0);
    sock().fire('event', created(1, '1'));
    sock().fire('event', created(3, '3'));
    expect(store.getState().lastSeq).toBe(1);
    expect(store.getState().tickets['3']).toBeUndefined();
    vi.advanceTimersByTime(300);
    sock().fire('event', created(2, '2'));
    expect(store.getState().lastSeq).toBe(3);
    expect(Object.keys(store.getState().tickets).sort()).toEqual(['1', '2', '3']);
    vi.advanceTimersByTime(1_000);
    expect(sock().emitted.filter((e) => e.event === 'sync')).toHaveLength(0);
    expect(sock().disconnects).toBe(0);
  });

  it('repairs a gap that lasts 500 ms with sync on the same socket', () => {
    const { store, sock } = setup();
    sock().open(0);
    sock().fire('event', created(1, '1'));
    sock().fire('event', created(4, '4'));
    vi.advanceTimersByTime(499);
    expect(sock().emitted.filter((e) => e.event === 'sync')).toHaveLength(0);
    vi.advanceTimersByTime(1);
    const sync = sock().emitted.find((e) => e.event === 'sync');
    expect(sync?.args[0]).toEqual({ after: 1 });
    (sync?.args[1] as (ack: unknown) => void)({
      ok: true,
      events: [created(2, '2'), created(3, '3'), created(4, '4')],
      more: false,
    });
    expect(store.getState().lastSeq).toBe(4);
    expect(Object.keys(store.getState().tickets).sort()).toEqual(['1', '2', '3', '4']);
    expect(sock().disconnects).toBe(0);
  });

  it('repairs a lost tail when the server head is ahead and nothing is buffered', () => {
    const { store, sock } = setup();
    sock().open(0);
    sock().fire('event', created(1, '1'));
    sock().fire('head', { seq: 1 });
    expect(sock().emitted.filter((e) => e.event === 'sync')).toHaveLength(0);
    sock().fire('head', { seq: 2 });
    const sync = sock().emitted.find((e) => e.event === 'sync');
    expect(sync?.args[0]).toEqual({ after: 1 });
    (sync?.args[1] as (ack: unknown) => void)({ ok: true, events: [created(2, '2')], more: false });
    expect(store.getState().lastSeq).toBe(2);
    expect(sock().disconnects).toBe(0);
  });

  it('reconnects from the last applied seq when sync fails or does not answer', () => {
    const { store, sock } = setup({ syncTimeoutMs: 2_000 });
    sock().open(0);
    sock().fire('event', created(1, '1'));
    sock().fire('event', created(3, '3'));
    vi.advanceTimersByTime(500);
    expect(sock().emitted.filter((e) => e.event === 'sync')).toHaveLength(1);
    vi.advanceTimersByTime(2_000);
    expect(sock().disconnects).toBe(1);
    expect(sock().connects).toBe(1);
    expect(store.getState().connection.status).toBe('reconnecting');
    expect(sock().auth().lastSeq).toBe(1);
    sock().open(3);
    sock().fire('event', created(2, '2'));
    sock().fire('event', created(3, '3'));
    expect(store.getState().lastSeq).toBe(3);
    expect(Object.keys(store.getState().tickets).sort()).toEqual(['1', '2', '3']);
  });

  it('asks sync again after the delay a rate_limited answer gives, without reconnecting', () => {
    const { store, sock } = setup();
    sock().open(0);
    sock().fire('event', created(1, '1'));
    sock().fire('event', created(3, '3'));
    vi.advanceTimersByTime(500);
    const syncs = () => sock().emitted.filter((e) => e.event === 'sync');
    expect(syncs()).toHaveLength(1);
    (syncs()[0]?.args[1] as (ack: unknown) => void)({
      ok: false,
      error: { code: 'rate_limited', message: 'Too many reads', retryAfterMs: 1_000 },
    });
    expect(sock().disconnects).toBe(0);
    vi.advanceTimersByTime(999);
    expect(syncs()).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(syncs()).toHaveLength(2);
    (syncs()[1]?.args[1] as (ack: unknown) => void)({
      ok: true,
      events: [created(2, '2'), created(3, '3')],
      more: false,
    });
    expect(store.getState().lastSeq).toBe(3);
    expect(sock().disconnects).toBe(0);
  });

  it('re-announces watched tickets after a reconnect', () => {
    const { bridge, sock } = setup();
    sock().open(0);
    bridge.watchTicket('t1');
    bridge.watchTicket('t1', true);
    sock().drop();
    sock().open(0);
    const watches = sock().emitted.filter((e) => e.event === 'presence.watch');
    expect(watches.map((w) => w.args[0])).toEqual([
      { ticketId: 't1', typing: false },
      { ticketId: 't1', typing: true },
      { ticketId: 't1', typing: true },
    ]);
    bridge.leaveTicket('t1');
    expect(sock().emitted.at(-1)).toEqual({ event: 'presence.leave', args: [{ ticketId: 't1' }] });
  });

  it('applies a burst in one store update', () => {
    const store = createAppStore();
    const queued: (() => void)[] = [];
    let socket: FakeSocket | null = null;
    const bridge = createRealtimeBridge({
      store,
      connect: (auth) => (socket = new FakeSocket(auth)),
      schedule: (flush) => queued.push(flush),
    });
    bridge.start('tok');
    const s = socket as unknown as FakeSocket;
    s.open(0);
    const updates = vi.fn();
    store.subscribe(updates);
    for (let seq = 1; seq <= 50; seq += 1) {
      s.fire('event', created(seq, String(seq)));
    }
    expect(queued).toHaveLength(1);
    queued[0]?.();
    expect(store.getState().lastSeq).toBe(50);
    expect(updates).toHaveBeenCalledTimes(2); // the tickets, then lastEventAt
  });

  it('loads a snapshot and continues from its seq', () => {
    const { store, sock } = setup();
    sock().open(40);
    sock().fire('snapshot', { seq: 40, tickets: [makeTicket({ id: '7' })] });
    expect(store.getState().lastSeq).toBe(40);
    expect(Object.keys(store.getState().tickets)).toEqual(['7']);
    sock().fire('event', created(40, '8'));
    sock().fire('event', created(41, '9'));
    expect(Object.keys(store.getState().tickets).sort()).toEqual(['7', '9']);
  });

  it('starts over when the server history ends before ours', () => {
    const { store, sock } = setup();
    sock().open(0);
    sock().fire('event', created(1, '1'));
    sock().drop();
    sock().open(0);
    expect(store.getState().lastSeq).toBe(0);
    expect(sock().connects).toBe(1);
    expect(sock().auth().lastSeq).toBe(0);
  });

  it('tells reconnecting from offline and refused', () => {
    const onUnauthorized = vi.fn();
    const store = createAppStore();
    let socket: FakeSocket | null = null;
    const bridge = createRealtimeBridge({
      store,
      connect: (auth) => (socket = new FakeSocket(auth)),
      onUnauthorized,
    });
    bridge.start('bad');
    const s = socket as unknown as FakeSocket;
    s.open(0);
    s.drop();
    expect(store.getState().connection.status).toBe('reconnecting');
    s.active = false;
    s.fire('connect_error', new Error('invalid or expired token'));
    expect(store.getState().connection).toMatchObject({
      status: 'offline',
      error: 'invalid or expired token',
    });
    expect(onUnauthorized).toHaveBeenCalledOnce();
  });

  it('refuses a server that speaks another protocol version', () => {
    const { store, sock } = setup();
    sock().connected = true;
    sock().fire('hello', { ...makeHello(0, new Date(T0).toISOString()), protocolVersion: 99 });
    expect(store.getState().connection).toMatchObject({ status: 'offline', error: 'clientTooOld' });
  });

  it('sends commands with a fresh commandId and resolves with the ack', async () => {
    const { bridge, sock } = setup();
    sock().open(0);
    const pending = bridge.sendCommand({
      type: 'ticket.accept',
      ticketId: '1',
      expectedVersion: 3,
    });
    expect(sock().commands()).toEqual([
      { type: 'ticket.accept', ticketId: '1', expectedVersion: 3, commandId: 'cmd-1' },
    ]);
    sock().ack(0, { ok: false, error: { code: 'conflict', message: 'stale' } });
    await expect(pending).resolves.toEqual({
      ok: false,
      error: { code: 'conflict', message: 'stale' },
    });
  });

  it('retries an unanswered command on reconnect with the same commandId', async () => {
    const { bridge, sock } = setup();
    sock().open(0);
    const pending = bridge.sendCommand({ type: 'ticket.comment', ticketId: '1', body: 'hi' });
    sock().drop();
    const offline = bridge.sendCommand({ type: 'alert.ack', alertId: 'a1' });
    expect(sock().commands()).toHaveLength(1);
    sock().open(0);
    const ids = sock()
      .commands()
      .map((c) => c.commandId);
    expect(ids).toEqual(['cmd-1', 'cmd-1', 'cmd-2']);
    sock().ack(1, { ok: true, events: [] });
    sock().ack(0, { ok: true, events: [] });
    sock().ack(2, { ok: true, events: [] });
    await expect(pending).resolves.toEqual({ ok: true, events: [] });
    await expect(offline).resolves.toEqual({ ok: true, events: [] });
  });

  it('answers unavailable when no ack comes in time', async () => {
    const { bridge, sock } = setup({ commandTimeoutMs: 5000 });
    sock().open(0);
    const pending = bridge.sendCommand({ type: 'ticket.accept', ticketId: '1' });
    vi.advanceTimersByTime(5000);
    await expect(pending).resolves.toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });

  it('keeps a command made offline in the outbox with no deadline and sends it once on reconnect', async () => {
    const { store, bridge, sock } = setup({ commandTimeoutMs: 5000 });
    sock().open(0);
    sock().drop();
    let answer: unknown = null;
    void bridge
      .sendCommand({ type: 'ticket.comment', ticketId: '1', body: 'hi' })
      .then((a) => (answer = a));
    vi.advanceTimersByTime(60_000);
    await Promise.resolve();
    expect(answer).toBeNull();
    expect(sock().commands()).toHaveLength(0);
    expect(store.getState().outbox).toMatchObject([
      { commandId: 'cmd-1', type: 'ticket.comment', ticketId: '1' },
    ]);
    sock().open(0);
    expect(
      sock()
        .commands()
        .map((c) => c.commandId),
    ).toEqual(['cmd-1']);
    expect(store.getState().outbox).toHaveLength(1);
    sock().ack(0, { ok: true, events: [] });
    await Promise.resolve();
    expect(answer).toEqual({ ok: true, events: [] });
    expect(store.getState().outbox).toHaveLength(0);
  });

  it('moves a sent, unanswered command to the outbox when the link drops; its wait restarts at the re-send', async () => {
    const { store, bridge, sock } = setup({ commandTimeoutMs: 5000 });
    sock().open(0);
    const pending = bridge.sendCommand({ type: 'ticket.comment', ticketId: '1', body: 'hi' });
    expect(store.getState().outbox).toHaveLength(0);
    vi.advanceTimersByTime(4000);
    sock().drop();
    expect(store.getState().outbox.map((e) => e.commandId)).toEqual(['cmd-1']);
    vi.advanceTimersByTime(30_000);
    sock().open(0);
    vi.advanceTimersByTime(4000);
    sock().ack(1, { ok: true, events: [] });
    await expect(pending).resolves.toEqual({ ok: true, events: [] });
    expect(store.getState().outbox).toHaveLength(0);
  });

  it('sends a retry under the same commandId once, answering both callers', async () => {
    const { bridge, sock } = setup();
    sock().open(0);
    sock().drop();
    const first = bridge.sendCommand({ type: 'alert.ack', alertId: 'a1', commandId: 'c-1' });
    const second = bridge.sendCommand({ type: 'alert.ack', alertId: 'a1', commandId: 'c-1' });
    sock().open(0);
    expect(sock().commands()).toHaveLength(1);
    sock().ack(0, { ok: true, events: [] });
    await expect(first).resolves.toEqual({ ok: true, events: [] });
    await expect(second).resolves.toEqual({ ok: true, events: [] });
  });

  it('notes when the live link was lost and, back, how many events the server had for it', () => {
    const { store, sock } = setup();
    sock().open(0);
    expect(store.getState().connection.lostAt).toBeNull();
    sock().drop();
    expect(store.getState().connection.lostAt).toBe(T0);
    vi.advanceTimersByTime(12_000);
    sock().open(7);
    expect(store.getState().connection).toMatchObject({
      status: 'live',
      lostAt: null,
      recovered: { events: 7, at: T0 + 12_000 },
    });
  });

  it('stops cleanly: idle, socket closed, pending commands answered', async () => {
    const { store, bridge, sock } = setup();
    const pending = bridge.sendCommand({ type: 'ticket.accept', ticketId: '1' });
    bridge.stop();
    expect(sock().disconnects).toBe(1);
    expect(store.getState().connection.status).toBe('idle');
    await expect(pending).resolves.toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });
});

/** A `wallboard.metrics` payload as the server sends it. */
function deskMetrics(seq: number): DeskMetrics {
  const attainment = { met: 3, breached: 1, rate: 0.75 };
  return {
    version: 1,
    generatedAt: new Date(T0).toISOString(),
    seq,
    timeZone: 'Asia/Shanghai',
    windows: { todayStart: new Date(T0).toISOString(), weekStart: new Date(T0).toISOString() },
    open: { total: 4, byPriority: { P1: 1, P2: 1, P3: 2 }, byGroup: [] },
    sla: {
      today: { response: attainment, resolve: attainment },
      week: { response: attainment, resolve: attainment },
    },
    risk: { atRisk: 1, breached: 0, urgent: [] },
    firstResponse: { count: 2, averageMs: 60_000 },
    firstContactResolution: { resolved: 1, firstContact: 1, rate: 1 },
    redispatch: { assigned: 2, redispatched: 0, rate: 0 },
    csat: { responses: 0, satisfied: 0, averageScore: null, rate: null },
    alerts: { open: 0, oldest: [] },
    majorIncidents: { count: 0, items: [] },
    duty: {
      rosterConfigured: false,
      source: 'presence',
      byRole: { agent: 1, engineer: 0, duty_manager: 0 },
      available: 1,
      people: [{ userId: 'u1', displayName: 'Agent One', roles: ['agent'] }],
    },
  };
}

describe('socket bridge: the wallboard, alert pushes and the protocol version', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T0);
  });
  afterEach(() => vi.useRealTimers());

  it('keeps the latest wallboard.metrics in the store and drops what does not parse', () => {
    const { store, sock } = setup();
    sock().open(3);
    sock().fire('wallboard.metrics', deskMetrics(3));
    expect(store.getState().deskMetrics?.seq).toBe(3);
    expect(store.getState().deskMetricsAt).toBe(T0);
    sock().fire('wallboard.metrics', { ...deskMetrics(4), version: 2 });
    sock().fire('wallboard.metrics', { ...deskMetrics(5), open: null });
    expect(store.getState().deskMetrics?.seq).toBe(3);
  });

  it('follows the wallboard across reconnects until told to stop', () => {
    const { bridge, sock } = setup();
    const subscriptions = (): number =>
      sock().emitted.filter((e) => e.event === 'wallboard.subscribe').length;
    sock().open(0);
    bridge.followWallboard(true);
    expect(subscriptions()).toBe(1);
    const first = sock().emitted.find((e) => e.event === 'wallboard.subscribe');
    expect(first?.args[0]).toEqual({});
    expect(typeof first?.args[1]).toBe('function');
    sock().drop();
    sock().open(0);
    expect(subscriptions()).toBe(2);
    bridge.followWallboard(false);
    expect(sock().emitted.at(-1)?.event).toBe('wallboard.unsubscribe');
    sock().drop();
    sock().open(0);
    expect(subscriptions()).toBe(2);
  });

  it('takes an alert push that climbed, and ignores one no longer open', () => {
    const { store, sock } = setup();
    sock().open(0);
    sock().fire('alert', alertView('a1', 1));
    expect(store.getState().alerts['a1']).toMatchObject({ level: 1, ackedAt: null });
    sock().fire('alert', alertView('a1', 2));
    expect(store.getState().alerts['a1']).toMatchObject({ level: 2 });
    sock().fire('alert', { ...alertView('a2', 1), status: 'acknowledged' });
    expect(store.getState().alerts['a2']).toBeUndefined();
  });

  it('says the page must be reloaded when the server refuses its protocol, and a wallboard retries', () => {
    const { store, sock } = setup({ retryRefused: true });
    sock().active = false;
    sock().fire('connect_error', {
      message: 'incompatible: clientTooOld (server speaks protocol 2)',
    });
    expect(store.getState().connection).toMatchObject({
      status: 'offline',
      incompatible: 'clientTooOld',
    });
    const before = sock().connects;
    vi.advanceTimersByTime(1_300);
    expect(sock().connects).toBe(before + 1);
    sock().open(0);
    expect(store.getState().connection).toMatchObject({ status: 'live', incompatible: null });
  });

  it('a console does not retry a refused handshake, and a newer hello also asks for a reload', () => {
    const { store, sock } = setup();
    sock().active = false;
    sock().fire('connect_error', {
      message: 'incompatible: serverTooOld (server speaks protocol 0)',
    });
    expect(store.getState().connection.incompatible).toBe('serverTooOld');
    const before = sock().connects;
    vi.advanceTimersByTime(60_000);
    expect(sock().connects).toBe(before);

    const second = setup();
    second.sock().connected = true;
    second.sock().fire('connect');
    second
      .sock()
      .fire('hello', { ...makeHello(0, new Date(T0).toISOString()), protocolVersion: 99 });
    expect(second.store.getState().connection).toMatchObject({
      error: 'clientTooOld',
      status: 'offline',
      incompatible: 'clientTooOld',
    });
  });
});
