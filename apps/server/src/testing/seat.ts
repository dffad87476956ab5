import { applyEvent, eventSchema, type DomainEvent, type Ticket } from '@dutydesk/shared';
import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import type { TestServer } from './harness';

export interface Ack {
  ok: boolean;
  ticket?: Ticket;
  events?: Array<{ seq: number }>;
  error?: { code: string; message: string; fields?: unknown[]; ticket?: Ticket };
}

/**
 * A test seat: a real socket.io-client that keeps the desk's tickets the way the console does
 * (snapshot, then events in seq order through the shared reducer; duplicates dropped, gaps
 * detected), and records every seq it received.
 */
export class TestSeat {
  readonly tickets = new Map<string, Ticket>();
  lastSeq = 0;
  readonly received: number[] = [];
  readonly gaps: Array<{ expected: number; got: number }> = [];
  private buffer = new Map<number, DomainEvent>();
  private waiters: Array<{ seq: number; resolve: () => void }> = [];
  socket!: Socket;

  private constructor(
    private readonly server: TestServer,
    readonly token: string,
  ) {}

  /** Connects (fresh, or resuming from `lastSeq`) and waits for hello. */
  static async open(server: TestServer, token: string, resumeFrom?: TestSeat): Promise<TestSeat> {
    const seat = new TestSeat(server, token);
    if (resumeFrom) {
      for (const [k, v] of resumeFrom.tickets) seat.tickets.set(k, v);
      seat.lastSeq = resumeFrom.lastSeq;
    }
    await seat.connect(resumeFrom ? { lastSeq: seat.lastSeq } : {});
    return seat;
  }

  private async connect(extra: Record<string, unknown>): Promise<void> {
    // Listeners go on before the handshake completes: snapshot and replay follow hello at once.
    const { socket, hello } = await this.server.connect(this.token, extra, (s) => {
      s.on('snapshot', (snap: { seq: number; tickets: Ticket[] }) => this.onSnapshot(snap));
      s.on('event', (e: unknown) => this.onEvent(e));
    });
    this.socket = socket;
    await this.waitForSeq((hello as { seq: number }).seq);
  }

  private onSnapshot(s: { seq: number; tickets: Ticket[] }): void {
    this.tickets.clear();
    for (const t of s.tickets) this.tickets.set(t.id, t);
    this.lastSeq = s.seq;
    this.buffer.clear();
    this.release();
  }

  private onEvent(raw: unknown): void {
    const e = eventSchema.parse(raw);
    this.received.push(e.seq);
    if (e.seq <= this.lastSeq) return;
    this.buffer.set(e.seq, e);
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
    }
    if (this.buffer.size > 0) {
      const min = Math.min(...this.buffer.keys());
      this.gaps.push({ expected: this.lastSeq + 1, got: min });
    }
    this.release();
  }

  private release(): void {
    this.waiters = this.waiters.filter((w) => {
      if (this.lastSeq >= w.seq) {
        w.resolve();
        return false;
      }
      return true;
    });
  }

  /** Resolves once every event up to `seq` has been applied. */
  waitForSeq(seq: number): Promise<void> {
    if (this.lastSeq >= seq) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ seq, resolve }));
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

/** The highest seq in an ack. */
export function maxSeq(ack: Ack): number {
  return Math.max(0, ...(ack.events ?? []).map((e) => e.seq));
}
