import type { Ticket } from '@dutydesk/shared';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateToken } from '../auth/auth.service';
import { ADMIN_PASSWORD, DRIVERS, startTestServer, type TestServer } from '../../testing/harness';
import type { Ack } from '../../testing/seat';

/**
 * Issue 14 findings 3 and 4: a ticket is bounded, seats get the latest entries and page the
 * rest; heavy reads (`sync`, `GET /api/events`) are bounded per session token and paged.
 */

const MAX_ENTRIES = 8;
const MAX_BYTES = 50_000;
const CARRIED = 3;
const REPLAY_BUDGET = 200_000;

describe.each(DRIVERS)('ticket bounds, paged timelines and bounded reads on %s', (driver) => {
  let server: TestServer;
  let admin: string;

  async function command(body: Record<string, unknown>): Promise<{ status: number; ack: Ack }> {
    const res = await server.api('POST', '/api/commands', {
      token: admin,
      body: { commandId: randomUUID(), ...body },
    });
    return { status: res.status, ack: res.body as Ack };
  }

  async function create(title: string, description = 'A ticket'): Promise<Ticket> {
    const { status, ack } = await command({
      type: 'ticket.create',
      title,
      description,
      channel: 'hotline',
      priority: 'P3',
    });
    expect(status, JSON.stringify(ack.error)).toBe(200);
    return ack.ticket as Ticket;
  }

  const comment = (ticketId: string, body: string) =>
    command({ type: 'ticket.comment', ticketId, body, internal: true });

  beforeAll(async () => {
    server = await startTestServer({
      driver,
      env: {
        DUTYDESK_COMMAND_RATE: '100000',
        DUTYDESK_TICKET_MAX_ENTRIES: String(MAX_ENTRIES),
        DUTYDESK_TICKET_MAX_BYTES: String(MAX_BYTES),
        DUTYDESK_TIMELINE_CARRIED: String(CARRIED),
        DUTYDESK_REPLAY_MAX_BYTES: String(REPLAY_BUDGET),
      },
    });
    admin = await server.login('admin', ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('refuses an entry past the bound with 413 payload_too_large; commands that add nothing still pass', async () => {
    const t = await create('Entries bound');
    for (let i = 1; i <= MAX_ENTRIES; i += 1) {
      const { status, ack } = await comment(t.id, `comment ${i}`);
      expect(status, `comment ${i}: ${JSON.stringify(ack.error)}`).toBe(200);
    }
    const refused = await comment(t.id, 'one too many');
    expect(refused.status).toBe(413);
    expect(refused.ack.error?.code).toBe('payload_too_large');
    expect(refused.ack.error?.message).toContain(String(MAX_ENTRIES));
    const classify = await command({ type: 'ticket.classify', ticketId: t.id, category: 'net' });
    expect(classify.status, JSON.stringify(classify.ack.error)).toBe(200);
    const stored = await server.api('GET', `/api/tickets/${t.id}`, { token: admin });
    expect((stored.body as Ticket).comments).toHaveLength(MAX_ENTRIES);
  });

  it('refuses an entry that would take the serialised ticket past its byte bound', async () => {
    const t = await create('Bytes bound');
    const big = 'x'.repeat(19_000);
    expect((await comment(t.id, big)).status).toBe(200);
    expect((await comment(t.id, big)).status).toBe(200);
    const refused = await comment(t.id, big);
    expect(refused.status).toBe(413);
    expect(refused.ack.error?.code).toBe('payload_too_large');
    const small = await comment(t.id, 'short note');
    expect(small.status).toBe(200);
  });

  it('acks, lists and snapshots carry the latest entries with `omitted`; the timeline pages the rest over REST and the socket', async () => {
    const t = await create('Paged timeline');
    const bodies = Array.from({ length: 7 }, (_, i) => `entry ${i}`);
    let last: Ack | undefined;
    for (const body of bodies) last = (await comment(t.id, body)).ack;
    expect(last?.ticket?.comments.map((c) => c.body)).toEqual(bodies.slice(-CARRIED));
    expect(last?.ticket?.omitted).toEqual({
      comments: 7 - CARRIED,
      executionLog: 0,
      supervisionLog: 0,
    });

    const list = await server.api('GET', '/api/tickets', { token: admin });
    const listed = (list.body as { tickets: Ticket[] }).tickets.find((x) => x.id === t.id);
    expect(listed?.comments).toHaveLength(CARRIED);
    expect(listed?.omitted?.comments).toBe(7 - CARRIED);

    let gotSnapshot: (s: { tickets: Ticket[] }) => void = () => {};
    const snapshotArrived = new Promise<{ tickets: Ticket[] }>(
      (resolve) => (gotSnapshot = resolve),
    );
    const { socket } = await server.connect(admin, {}, (s) => {
      s.once('snapshot', gotSnapshot);
    });
    const snap = (await snapshotArrived).tickets.find((x) => x.id === t.id);
    expect(snap?.comments.map((c) => c.body)).toEqual(bodies.slice(-CARRIED));
    expect(snap?.omitted?.comments).toBe(7 - CARRIED);

    // Page back from the oldest carried entry to the first, three at a time.
    const seen: string[] = [];
    let before: number | null = snap?.omitted?.comments ?? null;
    while (before !== null) {
      const res = await server.api(
        'GET',
        `/api/tickets/${t.id}/timeline?log=comments&before=${before}&limit=3`,
        { token: admin },
      );
      expect(res.status).toBe(200);
      const page = res.body as {
        entries: Array<{ body: string }>;
        next: number | null;
        total: number;
      };
      expect(page.total).toBe(7);
      seen.unshift(...page.entries.map((e) => e.body));
      before = page.next;
    }
    expect([...seen, ...bodies.slice(-CARRIED)]).toEqual(bodies);

    const viaSocket = (await socket.emitWithAck('timeline', {
      ticketId: t.id,
      log: 'comments',
      before: 2,
      limit: 10,
    })) as { ok: boolean; from: number; entries: Array<{ body: string }>; next: number | null };
    expect(viaSocket).toMatchObject({ ok: true, from: 0, next: null });
    expect(viaSocket.entries.map((e) => e.body)).toEqual(bodies.slice(0, 2));
    const bad = (await socket.emitWithAck('timeline', { ticketId: t.id, log: 'secrets' })) as Ack;
    expect(bad.error?.code).toBe('invalid');
    socket.disconnect();
  });

  it('a flood of concurrent syncs from one token is bounded: a few answered, the rest refused at once with a retry delay, /healthz answers meanwhile', async () => {
    // Enough log to make each sync answer a full page: 60 tickets with 15 000-character texts.
    const text = 'y'.repeat(15_000);
    for (let i = 0; i < 60; i += 1) await create(`Flood ${i}`, text);
    const { socket } = await server.connect(admin, { lastSeq: 1 });
    const gate = server.ctx.readGate;
    const FLOOD = 200;
    const answers = Array.from(
      { length: FLOOD },
      () =>
        socket.emitWithAck('sync', { after: 0 }) as Promise<{
          ok: boolean;
          events?: unknown[];
          more?: boolean;
          error?: { code: string; retryAfterMs?: number };
        }>,
    );
    const started = performance.now();
    const health = await fetch(`${server.url}/healthz`);
    const healthMs = performance.now() - started;
    expect(health.status).toBe(200);
    const all = await Promise.all(answers);
    const ok = all.filter((a) => a.ok);
    const refused = all.filter((a) => !a.ok);
    console.log(
      `[reads ${driver}] ${FLOOD} concurrent syncs: ${ok.length} answered, ${refused.length} refused; /healthz ${healthMs.toFixed(0)} ms meanwhile`,
    );
    expect(ok.length).toBeGreaterThanOrEqual(1);
    expect(refused.length).toBeGreaterThan(FLOOD / 2);
    for (const r of refused) {
      expect(r.error?.code).toBe('rate_limited');
      expect(r.error?.retryAfterMs).toBeGreaterThan(0);
    }
    expect(gate.peakPerKey).toBeLessThanOrEqual(server.ctx.config.readConcurrency);
    expect(healthMs, '/healthz during the flood').toBeLessThan(5_000);
    // Each answer is one bounded page: `more` says there is more to ask for.
    for (const a of ok) {
      expect(JSON.stringify(a).length).toBeLessThan(1_200_000);
      expect(a.more).toBe(true);
    }
    socket.disconnect();
    expect(gate.inFlight).toBe(0);
  });

  it('a reconnect whose replay grows past its byte budget ends in a snapshot, then goes live', async () => {
    const headRes = await server.api('GET', '/api/events?after=0&limit=1', { token: admin });
    expect(headRes.status).toBe(200);
    const events: Array<{ seq: number; data: unknown }> = [];
    let gotSnapshot: (s: { seq: number; tickets: Ticket[] }) => void = () => {};
    const snapshotArrived = new Promise<{ seq: number; tickets: Ticket[] }>(
      (resolve) => (gotSnapshot = resolve),
    );
    let eventsBeforeSnapshot = -1;
    const { socket, hello } = await server.connect(admin, { lastSeq: 1 }, (s) => {
      s.on('event', (e: { seq: number; data: unknown }) => events.push(e));
      s.once('snapshot', (snap: { seq: number; tickets: Ticket[] }) => {
        eventsBeforeSnapshot = events.length;
        gotSnapshot(snap);
      });
    });
    expect((hello as { replay: boolean }).replay).toBe(true);
    const snap = await snapshotArrived;
    const replayedBytes = JSON.stringify(events.slice(0, eventsBeforeSnapshot)).length;
    expect(eventsBeforeSnapshot).toBeGreaterThan(0);
    expect(replayedBytes).toBeGreaterThan(REPLAY_BUDGET);
    expect(replayedBytes).toBeLessThan(REPLAY_BUDGET + 1_200_000);
    expect(snap.seq).toBeGreaterThanOrEqual((hello as { seq: number }).seq);
    // Live after the snapshot: a new command's events arrive.
    const t = await create('After the cut replay');
    await new Promise<void>((resolve) => {
      const check = (): void => {
        if (events.some((e) => (e.data as { number?: string }).number === t.number)) resolve();
        else socket.once('event', check);
      };
      check();
    });
    socket.disconnect();
  });

  it('GET /api/events pages by count and size with `next`, and concurrent reads from one token get 429 with Retry-After', async () => {
    const first = await server.api('GET', '/api/events?after=0&limit=5000', { token: admin });
    expect(first.status).toBe(200);
    const page = first.body as { events: Array<{ seq: number }>; more: boolean; next: number };
    expect(page.more).toBe(true);
    expect(page.next).toBe(page.events[page.events.length - 1]?.seq);
    expect(JSON.stringify(page).length).toBeLessThan(1_200_000);
    const second = await server.api('GET', `/api/events?after=${page.next}&limit=5000`, {
      token: admin,
    });
    expect((second.body as { events: Array<{ seq: number }> }).events[0]?.seq).toBe(page.next + 1);

    // Both of the session's read slots taken: the next read is refused at once, then served.
    const session = await authenticateToken(server.ctx, admin);
    const gate = server.ctx.readGate;
    const held = [
      gate.tryEnter(session?.session.id ?? ''),
      gate.tryEnter(session?.session.id ?? ''),
    ];
    expect(held.every(Boolean)).toBe(true);
    const refused = await server.api('GET', '/api/events?after=0&limit=10', { token: admin });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect((refused.body as { error: { code: string } }).error.code).toBe('rate_limited');
    for (const release of held) release?.();
    expect((await server.api('GET', '/api/events?after=0&limit=10', { token: admin })).status).toBe(
      200,
    );

    const burst = await Promise.all(
      Array.from({ length: 40 }, () =>
        server.api('GET', '/api/events?after=0&limit=5000', { token: admin }),
      ),
    );
    const limited = burst.filter((r) => r.status === 429);
    expect(burst.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(1);
    expect(limited.length + burst.filter((r) => r.status === 200).length).toBe(burst.length);
    expect(gate.peakPerKey).toBeLessThanOrEqual(server.ctx.config.readConcurrency);
    for (const r of limited) {
      expect(r.headers.get('retry-after')).toBe('1');
      expect((r.body as { error: { code: string } }).error.code).toBe('rate_limited');
    }
  });
});
