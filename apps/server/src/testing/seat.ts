import {
  applyEvent,
  eventSchema,
  type AckError,
  type CommandAck,
  type DomainEvent,
  type Ticket,
} from '@dutydesk/shared';
import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import type { TestServer } from './harness';

/**
 * A command's ack as a test reads it: the shared protocol's `CommandAck` with the fields of
 * both branches optional, so a test can look at `ticket` or `error` without narrowing first.
 */
export type Ack = { ok: boolean } & Partial<Omit<Extract<CommandAck, { ok: true }>, 'ok'>> & {
    error?: AckError;
  };

/**
 * A desk's tickets as a seat keeps them: a snapshot, then events applied in seq order through
 * the shared reducer; a duplicate is dropped and an event ahead of the next seq waits for the
 * ones before it. Shared by the test seats here and the fault tests' seats.
 */
export class SeatLedger {
  readonly tickets = new Map<string, Ticket>();
  lastSeq = 0;
  /** Every seq applied, in order: contiguous and unique when the stream was sound. */
  readonly applied: number[] = [];
  private buffer = new Map<number, DomainEvent>();
  private waiters: Array<{ seq: number; resolve: () => void }> = [];

  /** Events held back for a missing earlier one. */
  get waiting(): number {
    return this.buffer.size;
  }

  /** Replaces the tickets with a snapshot taken at `seq`. */
  reset(seq: number, tickets: Iterable<Ticket>): void {
    this.tickets.clear();
    for (const t of tickets) this.tickets.set(t.id, t);
    this.lastSeq = seq;
    this.buffer.clear();
    this.release();
  }

  /**
   * Takes one event: applies it and any held back after it, in seq order. Returns the lowest
   * seq still held back (a gap before it), or null.
   */
  offer(e: DomainEvent): number | null {
    if (e.seq > this.lastSeq) this.buffer.set(e.seq, e);
    for (
      let next = this.buffer.get(this.lastSeq + 1);
      next;
      next = this.buffer.get(this.lastSeq + 1)
    ) {
      this.buffer.delete(next.seq);
      if (next.ticketId) {
        const t = applyEvent(this.tickets.get(next.ticketId) ?? null, next);
        if (t) this.tickets.set(t.id, t);
      }
      this.lastSeq = next.seq;
      this.applied.push(next.seq);
    }
    this.release();
    return this.buffer.size > 0 ? Math.min(...this.buffer.keys()) : null;
  }

  /** Resolves once every event up to `seq` has been applied; rejects after `ms` if given. */
  waitForSeq(seq: number, ms?: number): Promise<void> {
    if (this.lastSeq >= seq) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer =
        ms === undefined
          ? undefined
          : setTimeout(() => reject(new Error(`seat stuck at ${this.lastSeq}, head ${seq}`)), ms);
      this.waiters.push({
        seq,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  private release(): void {
    this.waiters = this.waiters.filter((w) => {
      if (this.lastSeq < w.seq) return true;
      w.resolve();
      return false;
    });
  }
}

/**
 * A test seat: a real socket.io-client that keeps the desk's tickets the way the console does
 * ({@link SeatLedger}), and records every seq it received and every gap it saw.
 */
export class TestSeat {
  readonly ledger = new SeatLedger();
  readonly received: number[] = [];
  readonly gaps: Array<{ expected: number; got: number }> = [];
  socket!: Socket;

  private constructor(
    private readonly server: TestServer,
    readonly token: string,
  ) {}

  get tickets(): Map<string, Ticket> {
    return this.ledger.tickets;
  }

  get lastSeq(): number {
    return this.ledger.lastSeq;
  }

  /** Connects (fresh, or resuming from `lastSeq`) and waits for hello. */
  static async open(server: TestServer, token: string, resumeFrom?: TestSeat): Promise<TestSeat> {
    const seat = new TestSeat(server, token);
    if (resumeFrom) seat.ledger.reset(resumeFrom.lastSeq, resumeFrom.tickets.values());
    await seat.connect(resumeFrom ? { lastSeq: seat.lastSeq } : {});
    return seat;
  }

  private async connect(extra: Record<string, unknown>): Promise<void> {
    // Listeners go on before the handshake completes: snapshot and replay follow hello at once.
    const { socket, hello } = await this.server.connect(this.token, extra, (s) => {
      s.on('snapshot', (snap: { seq: number; tickets: Ticket[] }) =>
        this.ledger.reset(snap.seq, snap.tickets),
      );
      s.on('event', (e: unknown) => this.onEvent(e));
    });
    this.socket = socket;
    await this.waitForSeq((hello as { seq: number }).seq);
  }

  private onEvent(raw: unknown): void {
    const e = eventSchema.parse(raw);
    this.received.push(e.seq);
    if (e.seq <= this.lastSeq) return;
    const held = this.ledger.offer(e);
    if (held !== null) this.gaps.push({ expected: this.lastSeq + 1, got: held });
  }

  /** Resolves once every event up to `seq` has been applied. */
  waitForSeq(seq: number): Promise<void> {
    return this.ledger.waitForSeq(seq);
  }

  /** Sends a command over the socket with a fresh commandId (or the given one) and returns the ack. */
  command(body: Record<string, unknown>, commandId: string = randomUUID()): Promise<Ack> {
    return new Promise((resolve) =>
      this.socket.emit('command', { commandId, ...body }, (ack: Ack) => resolve(ack)),
    );
  }

  close(): void {
    this.socket.disconnect();
  }
}

/**
 * A whole ticket (`GET /api/tickets/:id`) as a seat holds it: a seat that started from a
 * snapshot's cut copy lacks each log's oldest `omitted` entries (decision 20); compare with this.
 */
export function asSeatHolds(whole: Ticket, held: Ticket | undefined): Ticket {
  const omitted = held?.omitted;
  if (!omitted) return whole;
  return {
    ...whole,
    comments: whole.comments.slice(omitted.comments),
    executionLog: whole.executionLog.slice(omitted.executionLog),
    supervisionLog: whole.supervisionLog.slice(omitted.supervisionLog),
    omitted,
  };
}

/** The highest seq in an ack. */
export function maxSeq(ack: Ack): number {
  return Math.max(0, ...(ack.events ?? []).map((e) => e.seq));
}
