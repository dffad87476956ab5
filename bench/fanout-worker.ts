/**
 * A fan-out bench worker (forked by bench/fanout.ts): holds a share of the simulated seats as
 * socket.io-client websocket connections, records for each received event the fan-out latency
 * (receive time − the writer's send time carried in the payload, on the machine's shared clock)
 * and each seat's seq stream (duplicates, gaps).
 */
import { io, type Socket } from 'socket.io-client';

/** Shared clock of every process on this machine. */
const now = (): number => performance.timeOrigin + performance.now();

export type WorkerRequest =
  | {
      type: 'connect';
      urls: string[];
      tokens: string[];
      first: number;
      count: number;
      /**
       * The message after which a seat counts as connected: `snapshot` for Dutydesk (a new seat
       * joins the live stream right after its snapshot, so an earlier start would deliver events
       * both in the snapshot's catch-up and live), `hello` for the bare baseline.
       */
      ready: 'hello' | 'snapshot';
    }
  | { type: 'reset' }
  | { type: 'collect' }
  | { type: 'progress' }
  | { type: 'disconnect' };

export interface WorkerResult {
  type: 'result';
  latencies: number[];
  /** sentAt → latest receive time among this worker's seats. */
  lastBySent: Array<[number, number]>;
  received: number;
  duplicates: number;
  /** Seqs never received, summed over seats (at collect time). */
  gaps: number;
}

interface SeatState {
  socket: Socket;
  /** Highest seq received. */
  lastSeq: number;
  /** Seqs below lastSeq not received yet (events of commands that commit close together may arrive swapped). */
  missing: Set<number>;
}

let seats: SeatState[] = [];
let latencies: number[] = [];
let lastBySent = new Map<number, number>();
let received = 0;
let duplicates = 0;
let gaps = 0;

function sentAtOf(e: { data?: { body?: unknown } }): number {
  const body = e.data?.body;
  return typeof body === 'string' && body.startsWith('bench ') ? Number(body.slice(6)) : Number.NaN;
}

function onEvent(seat: SeatState, e: { seq: number; data?: { body?: unknown } }): void {
  const t = now();
  if (e.seq <= seat.lastSeq) {
    if (!seat.missing.delete(e.seq)) {
      duplicates += 1;
      return;
    }
  } else {
    for (let s = seat.lastSeq + 1; s < e.seq; s += 1) seat.missing.add(s);
    seat.lastSeq = e.seq;
  }
  const sentAt = sentAtOf(e);
  if (Number.isNaN(sentAt)) return;
  received += 1;
  latencies.push(t - sentAt);
  const prev = lastBySent.get(sentAt);
  if (prev === undefined || t > prev) lastBySent.set(sentAt, t);
}

function connectOne(url: string, token: string, ready: 'hello' | 'snapshot'): Promise<SeatState> {
  return new Promise((resolve, reject) => {
    const socket = io(url, {
      transports: ['websocket'],
      auth: { token },
      reconnection: false,
      timeout: 30_000,
    });
    const seat: SeatState = { socket, lastSeq: 0, missing: new Set() };
    socket.on('hello', (h: { seq?: number }) => {
      seat.lastSeq = h.seq ?? 0;
      if (ready === 'hello') resolve(seat);
    });
    socket.on('snapshot', (s: { seq: number }) => {
      seat.lastSeq = Math.max(seat.lastSeq, s.seq);
      if (ready === 'snapshot') resolve(seat);
    });
    socket.on('event', (e: { seq: number; data?: { body?: unknown } }) => onEvent(seat, e));
    socket.on('connect_error', (err) => reject(err));
  });
}

async function connectAll(req: Extract<WorkerRequest, { type: 'connect' }>): Promise<void> {
  const queue = Array.from({ length: req.count }, (_, i) => req.first + i);
  // At most 25 handshakes in flight per worker: a login storm is not what this bench measures.
  await Promise.all(
    Array.from({ length: 25 }, async () => {
      for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
        const url = req.urls[i % req.urls.length] ?? '';
        const token = req.tokens[i % req.tokens.length] ?? '';
        seats.push(await connectOne(url, token, req.ready));
      }
    }),
  );
}

function send(msg: unknown): void {
  process.send?.(msg);
}

process.on('message', (raw: unknown) => {
  const req = raw as WorkerRequest;
  if (req.type === 'connect') {
    connectAll(req).then(
      () => send({ type: 'connected', count: seats.length }),
      (err: unknown) => send({ type: 'error', message: String(err) }),
    );
  } else if (req.type === 'reset') {
    for (const seat of seats) seat.missing.clear();
    latencies = [];
    lastBySent = new Map();
    received = 0;
    duplicates = 0;
    gaps = 0;
    send({ type: 'reset' });
  } else if (req.type === 'progress') {
    send({ type: 'progress', received });
  } else if (req.type === 'collect') {
    for (const seat of seats) gaps += seat.missing.size;
    const result: WorkerResult = {
      type: 'result',
      latencies,
      lastBySent: [...lastBySent.entries()],
      received,
      duplicates,
      gaps,
    };
    send(result);
  } else if (req.type === 'disconnect') {
    for (const s of seats) s.socket.disconnect();
    seats = [];
    send({ type: 'disconnected' });
  }
});
// The parent's death ends the worker.
process.on('disconnect', () => process.exit(0));
