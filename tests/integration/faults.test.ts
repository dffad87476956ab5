/**
 * Fault tests (bounded, loopback only): real Dutydesk server processes on a throwaway PostgreSQL
 * cluster of their own. A node killed with SIGKILL during a command burst; PostgreSQL restarted
 * under load; a reconnect storm of every seat at once. Each ends with every seat's tickets equal
 * to the server's and its seq stream applied exactly once, with no hole.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { type DomainEvent, type Ticket } from '@dutydesk/shared';
import { io, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { asSeatHolds, SeatLedger } from '../../apps/server/src/testing/seat';
import { startPostgresCluster, type PostgresCluster } from '../support/postgres';
import { spawnServerProcess } from '../support/serverProcess';
import type { Ack as ServerAck } from '../../apps/server/src/testing/seat';

const ADMIN_PASSWORD = 'faults-admin-1';
const PASSWORD = 'faults-password-1';

/** The server's ack, or what this seat makes of a send that got none. */
type Ack =
  | ServerAck
  | {
      ok: false;
      ticket?: undefined;
      events?: undefined;
      error: { code: 'disconnected' | 'timeout'; message: string };
    };

interface Node {
  url: string;
  child: ChildProcess;
}

const children: ChildProcess[] = [];

/** Starts `node --import tsx apps/server/src/main.ts` (no wrapper process, so SIGKILL hits the server itself). */
async function startNode(databaseUrl: string): Promise<Node> {
  const { url, child } = await spawnServerProcess({
    DATABASE_URL: databaseUrl,
    DUTYDESK_ADMIN_PASSWORD: ADMIN_PASSWORD,
    DUTYDESK_COMMAND_RATE: '100000',
    LOG_LEVEL: 'silent',
  });
  children.push(child);
  return { url, child };
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function stopAll(): Promise<void> {
  await Promise.all(
    children.splice(0).map((c) => {
      const done = exited(c);
      c.kill('SIGKILL');
      return done;
    }),
  );
}

async function api<T>(
  base: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(base + path, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

async function login(base: string, username: string, password = PASSWORD): Promise<string> {
  const res = await api<{ token: string }>(base, 'POST', '/api/auth/login', undefined, {
    username,
    password,
  });
  expect(res.status).toBe(200);
  return res.body.token;
}

/** Creates users (role per name) and returns a token for each. */
async function users(base: string, names: Array<[string, string]>): Promise<string[]> {
  const admin = await login(base, 'admin', ADMIN_PASSWORD);
  const out: string[] = [];
  for (const [username, role] of names) {
    const res = await api(base, 'POST', '/api/users', admin, {
      username,
      password: PASSWORD,
      displayName: username,
      roles: [role],
    });
    expect(res.status).toBe(201);
    out.push(await login(base, username));
  }
  return out;
}

/**
 * A seat as the console keeps it: snapshot or replay, events applied in seq order through the
 * shared reducer, duplicates dropped, a gap repaired with `sync` after 300 ms; on a dropped
 * connection it reconnects with `lastSeq` to the next node that answers.
 */
class Seat {
  private readonly ledger = new SeatLedger();
  reconnects = 0;
  socket: Socket | undefined;
  private syncTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private firstSeq: number | undefined;

  constructor(
    private urls: () => string[],
    private readonly token: string,
    private index: number,
  ) {}

  get tickets(): Map<string, Ticket> {
    return this.ledger.tickets;
  }

  get lastSeq(): number {
    return this.ledger.lastSeq;
  }

  /** Every seq applied, in order: must be contiguous and unique. */
  get applied(): number[] {
    return this.ledger.applied;
  }

  /** Connects to urls()[index] (resuming from lastSeq after the first time) and waits for hello. */
  async connect(): Promise<void> {
    for (let attempt = 0; attempt < 50 && !this.closed; attempt += 1) {
      const list = this.urls();
      const url = list[(this.index + attempt) % list.length] ?? '';
      try {
        await this.open(url);
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 100)); // bounded back-off before the next node
      }
    }
    throw new Error('seat could not reconnect');
  }

  private open(url: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const resume = this.firstSeq !== undefined;
      const s = io(url, {
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
        timeout: 10_000,
        auth: resume ? { token: this.token, lastSeq: this.lastSeq } : { token: this.token },
      });
      s.on('hello', (h: { seq: number; replay: boolean }) => {
        this.socket = s;
        if (this.firstSeq === undefined && h.replay) this.firstSeq = this.lastSeq;
        resolve();
      });
      s.on('snapshot', (snap: { seq: number; tickets: Ticket[] }) => {
        this.firstSeq ??= snap.seq;
        this.ledger.reset(snap.seq, snap.tickets);
      });
      s.on('event', (e: DomainEvent) => this.onEvent(e));
      // Behind the head with nothing buffered (a lost tail): repair with sync, as the console does.
      s.on('head', (h: { seq: number }) => {
        if (h.seq <= this.lastSeq) return;
        s.emit('sync', { after: this.lastSeq }, (r: { ok: boolean; events?: DomainEvent[] }) => {
          for (const ev of r.events ?? []) this.onEvent(ev);
        });
      });
      s.on('connect_error', (err) => {
        s.close();
        reject(err);
      });
      s.on('disconnect', (reason) => {
        if (this.closed || reason === 'io client disconnect') return;
        this.reconnects += 1;
        void this.connect().catch(() => {});
      });
    });
  }

  private onEvent(e: DomainEvent): void {
    this.ledger.offer(e);
    if (this.ledger.waiting > 0 && !this.syncTimer) {
      this.syncTimer = setTimeout(() => {
        this.syncTimer = undefined;
        if (this.ledger.waiting === 0) return;
        this.socket?.emit(
          'sync',
          { after: this.lastSeq },
          (r: { ok: boolean; events?: DomainEvent[] }) => {
            for (const ev of r.events ?? []) this.onEvent(ev);
          },
        );
      }, 300);
    }
  }

  waitForSeq(seq: number, ms = 20_000): Promise<void> {
    return this.ledger.waitForSeq(seq, ms);
  }

  /** Drops the transport the way a network cut does (the seat then reconnects by itself). */
  drop(): void {
    this.socket?.io.engine.close();
  }

  command(body: Record<string, unknown>, commandId: string = randomUUID()): Promise<Ack> {
    return new Promise((resolve) => {
      const s = this.socket;
      if (!s?.connected) {
        resolve({ ok: false, error: { code: 'disconnected', message: 'not connected' } });
        return;
      }
      s.timeout(10_000).emit('command', { commandId, ...body }, (err: Error | null, ack: Ack) =>
        resolve(err ? { ok: false, error: { code: 'timeout', message: err.message } } : ack),
      );
    });
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.syncTimer);
    this.socket?.disconnect();
  }
}

/** Asserts every seat applied a contiguous, duplicate-free seq run up to the head and holds the server's tickets. */
async function expectSeatsEqualServer(base: string, token: string, seats: Seat[]): Promise<void> {
  const head = (
    await api<{ events: DomainEvent[] }>(base, 'GET', '/api/events?after=0&limit=5000', token)
  ).body.events;
  const headSeq = head.at(-1)?.seq ?? 0;
  await Promise.all(seats.map((s) => s.waitForSeq(headSeq)));
  const listed = (await api<{ tickets: Ticket[] }>(base, 'GET', '/api/tickets?limit=10000', token))
    .body.tickets;
  // Lists carry cut copies (decision 20): the truth is each ticket read whole.
  const truth = await Promise.all(
    listed.map(async (t) => (await api<Ticket>(base, 'GET', `/api/tickets/${t.id}`, token)).body),
  );
  const byId = new Map(truth.map((t) => [t.id, t]));
  for (const seat of seats) {
    expect(seat.lastSeq).toBe(headSeq);
    const first = seat.applied[0] ?? headSeq + 1;
    expect(seat.applied).toEqual(Array.from({ length: headSeq - first + 1 }, (_, i) => first + i));
    for (const [id, t] of byId) {
      const held = seat.tickets.get(id);
      expect(held).toEqual(asSeatHolds(t, held));
    }
  }
}

async function createTickets(seat: Seat, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 1) {
    const ack = await seat.command({
      type: 'ticket.create',
      title: `F${i}`,
      description: 'fault test',
      channel: 'api',
      priority: 'P2',
    });
    expect(ack.ok).toBe(true);
    ids.push((ack.ticket as Ticket).id);
  }
  return ids;
}

describe('faults', () => {
  let cluster: PostgresCluster | undefined;
  const seats: Seat[] = [];

  afterEach(async () => {
    for (const s of seats.splice(0)) s.close();
    await stopAll();
    await cluster?.stop();
    cluster = undefined;
  });

  /** A throwaway PostgreSQL cluster of the test's own (one test may restart it). */
  async function database(): Promise<string> {
    cluster = await startPostgresCluster();
    return cluster.url;
  }

  it('kill -9 of a node during a command burst: every acknowledged command is in the log; seats move to the survivor and end equal', async () => {
    const dbUrl = await database();
    const a = await startNode(dbUrl);
    const b = await startNode(dbUrl);
    let alive = [a.url, b.url];
    const [dm, ...agents] = await users(a.url, [
      ['dm', 'duty_manager'],
      ...Array.from({ length: 10 }, (_, i): [string, string] => [`agent${i}`, 'agent']),
    ]);
    for (let i = 0; i < 20; i += 1) {
      const seat = new Seat(() => alive, agents[i % agents.length] ?? '', i);
      await seat.connect();
      seats.push(seat);
    }
    const writer = new Seat(() => [a.url], dm ?? '', 0);
    await writer.connect();
    seats.push(writer);
    const ids = await createTickets(writer, 5);

    const acked: DomainEvent[] = [];
    let sent = 0;
    const burst = (async () => {
      // 8 commands in flight on node A until it dies.
      await Promise.all(
        Array.from({ length: 8 }, async (_, k) => {
          while (writer.socket?.connected && sent < 2000) {
            sent += 1;
            const ack = await writer.command({
              type: 'ticket.comment',
              ticketId: ids[k % ids.length],
              body: `burst ${sent}`,
            });
            if (ack.ok) acked.push(...(ack.events ?? []));
          }
        }),
      );
    })();
    while (acked.length < 100) await new Promise((r) => setTimeout(r, 10)); // bounded by the test timeout
    alive = [b.url];
    const died = exited(a.child);
    a.child.kill('SIGKILL');
    await died;
    writer.close();
    await burst;
    expect(acked.length).toBeGreaterThanOrEqual(100);

    const log = (
      await api<{ events: DomainEvent[] }>(b.url, 'GET', '/api/events?after=0&limit=5000', dm)
    ).body.events;
    const bySeq = new Map(log.map((e) => [e.seq, e]));
    for (const e of acked) expect(bySeq.get(e.seq)).toEqual(e);

    // One more command through the survivor: seats must be live there.
    const survivor = new Seat(() => [b.url], dm ?? '', 0);
    await survivor.connect();
    seats.push(survivor);
    expect(
      (await survivor.command({ type: 'ticket.comment', ticketId: ids[0], body: 'after the kill' }))
        .ok,
    ).toBe(true);
    const tracked = seats.filter((s) => s !== writer);
    await expectSeatsEqualServer(b.url, dm ?? '', tracked);
    expect(tracked.slice(0, 20).filter((s) => s.reconnects > 0).length).toBeGreaterThan(0);
  });

  it('PostgreSQL restart under load: commands fail with unavailable meanwhile, none lost; the server serves again and seats end equal', async () => {
    const dbUrl = await database();
    const a = await startNode(dbUrl);
    const b = await startNode(dbUrl);
    const urls = [a.url, b.url];
    const [dm, ...agents] = await users(a.url, [
      ['dm', 'duty_manager'],
      ...Array.from({ length: 5 }, (_, i): [string, string] => [`agent${i}`, 'agent']),
    ]);
    for (let i = 0; i < 20; i += 1) {
      const seat = new Seat(() => urls, agents[i % agents.length] ?? '', i);
      await seat.connect();
      seats.push(seat);
    }
    const writer = new Seat(() => urls, dm ?? '', 0);
    await writer.connect();
    seats.push(writer);
    const ids = await createTickets(writer, 3);

    const outcomes = new Map<string, Ack>();
    let stop = false;
    let restarted = false;
    let okAfterRestart = 0;
    const load = (async () => {
      let n = 0;
      while (!stop) {
        n += 1;
        const commandId = randomUUID();
        const ack = await writer.command(
          { type: 'ticket.comment', ticketId: ids[n % ids.length], body: `load ${n}` },
          commandId,
        );
        outcomes.set(commandId, ack);
        if (ack.ok && restarted) okAfterRestart += 1;
        if (!ack.ok) await new Promise((r) => setTimeout(r, 50)); // pace retries while the database is away
      }
    })();
    while ([...outcomes.values()].filter((o) => o.ok).length < 30)
      await new Promise((r) => setTimeout(r, 10));
    await cluster?.restart();
    restarted = true;
    const until = Date.now() + 30_000;
    while (okAfterRestart < 20 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    stop = true;
    await load;
    const codes = [...outcomes.values()].map((o) => (o.ok ? 'ok' : o.error?.code));
    expect(
      okAfterRestart,
      `outcomes in order: ${codes.join(',').slice(-400)}`,
    ).toBeGreaterThanOrEqual(20);

    const failures = [...outcomes.entries()].filter(([, o]) => !o.ok);
    for (const [, o] of failures)
      expect(['unavailable', 'disconnected', 'timeout']).toContain(o.error?.code);
    // A failed command retried with its commandId either stores it now or returns the first result: never lost.
    for (const [commandId, o] of failures) {
      const retry = await writer.command(
        { type: 'ticket.comment', ticketId: ids[0], body: 'retry' },
        commandId,
      );
      expect(retry.ok, JSON.stringify({ first: o, retry })).toBe(true);
      outcomes.set(commandId, retry);
    }
    const log = (
      await api<{ events: DomainEvent[] }>(b.url, 'GET', '/api/events?after=0&limit=5000', dm)
    ).body.events;
    const bySeq = new Map(log.map((e) => [e.seq, e]));
    const ackedSeqs = [...outcomes.values()].flatMap((o) => (o.events ?? []).map((e) => e.seq));
    for (const seq of ackedSeqs) expect(bySeq.has(seq)).toBe(true);
    expect(new Set(ackedSeqs).size).toBe(ackedSeqs.length);
    await expectSeatsEqualServer(a.url, dm ?? '', seats);
  });

  it('reconnect storm: 200 seats drop and reconnect at once with lastSeq while commands flow; each ends equal', async () => {
    const dbUrl = await database();
    const a = await startNode(dbUrl);
    const b = await startNode(dbUrl);
    const urls = [a.url, b.url];
    const [dm, ...agents] = await users(a.url, [
      ['dm', 'duty_manager'],
      ...Array.from({ length: 10 }, (_, i): [string, string] => [`agent${i}`, 'agent']),
    ]);
    const storm: Seat[] = [];
    for (let i = 0; i < 200; i += 1)
      storm.push(new Seat(() => urls, agents[i % agents.length] ?? '', i));
    await Promise.all(storm.map((s) => s.connect()));
    seats.push(...storm);
    const writer = new Seat(() => [a.url], dm ?? '', 0);
    await writer.connect();
    seats.push(writer);
    const ids = await createTickets(writer, 5);
    for (let i = 0; i < 20; i += 1) {
      expect(
        (
          await writer.command({
            type: 'ticket.comment',
            ticketId: ids[i % 5],
            body: `before ${i}`,
          })
        ).ok,
      ).toBe(true);
    }
    // Every seat drops at once; commands keep flowing while they come back.
    for (const s of storm) s.drop();
    const during = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        writer.command({ type: 'ticket.comment', ticketId: ids[i % 5], body: `during ${i}` }),
      ),
    );
    expect(during.every((d) => d.ok)).toBe(true);
    await expectSeatsEqualServer(a.url, dm ?? '', storm);
    expect(storm.every((s) => s.reconnects === 1)).toBe(true);
  });
});
