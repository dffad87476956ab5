import { rooms } from '@dutydesk/shared';
import type { AppContext } from '../context';
import { asWireEvents, type StoredEvent } from '../features/events/events.repo';
import type { DutyServer } from './io';
import { isDeviceViewer, isRestrictedEvent, seesEverything, viewEvent } from './visibility';
import { emitBatch } from './writes';

/** The node-to-node message carrying a batch of committed events (never sent to seats). */
export const EVENTS_BATCH = 'dutydesk:events';

export interface EventFanout {
  /** Queues committed events; they reach this node's seats and every other node within a loop turn. */
  publish(events: readonly StoredEvent[]): void;
  /** Starts delivering what is queued now (used on shutdown). */
  flush(): void;
  /**
   * Whether every seq in (after, upTo] was delivered (or is being delivered) to this node's
   * live seats; forgets what is at or below `after`.
   */
  deliveredAll(after: number, upTo: number): boolean;
}

/** The longest a batch waits for the previous one's fan-out to be paid back (see below). */
export const MAX_PACING_MS = 50;
/** Seats written per slice of a delivery; the event loop runs other work between slices. */
export const SEATS_PER_SLICE = 100;

/**
 * Delivers committed events to every live seat, on every node.
 *
 * Events are sent in batches: this node's seats get them by local emits (the wire protocol is
 * unchanged, one `event` per event, in seq order within the batch), and the other nodes get the
 * batch in one message through the cluster adapter (one NOTIFY per batch instead of one per
 * event, and local delivery does not wait for it); batches from other nodes join this node's
 * next local delivery.
 *
 * A batch goes out on the next loop turn, unless the previous delivery was recent: after a
 * delivery that took d ms of this process's time (at 1 000 seats, mostly one write per seat)
 * the next one waits until d ms have passed (at most {@link MAX_PACING_MS}). So fan-out takes
 * at most about half of the event loop whatever the rate, and under load the batches grow
 * instead of the queue: each seat's frames of one batch leave in one write (writes.ts), so the
 * cost per event falls as the rate rises. When idle, an event goes out on the next turn.
 * A delivery is written {@link SEATS_PER_SLICE} seats at a time with a loop turn between
 * slices, so commands' database replies are not held up behind a whole fan-out; each seat
 * gets a batch whole and batches in order (the next delivery starts after the last slice).
 */
export function createEventFanout(
  ctx: AppContext,
  io: DutyServer,
  opts: { cluster: boolean },
): EventFanout {
  /** Committed on this node: to this node's seats and to the other nodes. */
  let own: StoredEvent[] = [];
  /** From other nodes: to this node's seats only. */
  let remote: StoredEvent[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  let immediate: ReturnType<typeof setImmediate> | null = null;
  /** A delivery is being written slice by slice. */
  let delivering = false;
  /** performance.now() before which the next delivery waits. */
  let readyAt = 0;
  /** performance.now() when the delivery being written left the queue (for its duration). */
  let flushedAt = 0;
  /** Seqs delivered since the last `deliveredAll` (a few seconds of events). */
  let delivered = new Set<number>();

  const schedule = (): void => {
    if (timer || immediate || delivering) return;
    const wait = readyAt - performance.now();
    if (wait > 1) timer = setTimeout(flush, wait);
    else immediate = setImmediate(flush);
  };

  /**
   * Writes `batch` to `ids` from `from` on, one slice per loop turn; `spent`: time so far.
   * Each seat gets the batch as it may see it (realtime/visibility): seats that see it whole
   * share one emit; the others (wallboard devices, and staff when the batch holds alerts or QA
   * verdicts not for everyone) get their view, computed once per distinct user of the slice.
   */
  const deliver = (batch: StoredEvent[], ids: string[], from: number, spent: number): void => {
    const started = performance.now();
    const whole: string[] = [];
    const byView = new Map<string, { ids: string[]; events: StoredEvent[] }>();
    const nsp = io.of('/');
    const restricted = batch.some((e) => isRestrictedEvent(e.type));
    for (const id of ids.slice(from, from + SEATS_PER_SLICE)) {
      const user = nsp.sockets.get(id)?.data.user;
      if (!user) continue;
      if (!isDeviceViewer(user) && (!restricted || seesEverything(user))) {
        whole.push(id);
        continue;
      }
      const key = isDeviceViewer(user) ? 'device' : `user:${user.id}:${user.roles.join(',')}`;
      let view = byView.get(key);
      if (!view) {
        view = { ids: [], events: batch.map((e) => viewEvent(user, e)) };
        byView.set(key, view);
      }
      view.ids.push(id);
    }
    emitBatch(io, whole, 'event', asWireEvents(batch));
    for (const view of byView.values()) emitBatch(io, view.ids, 'event', asWireEvents(view.events));
    const total = spent + (performance.now() - started);
    const next = from + SEATS_PER_SLICE;
    if (next < ids.length) {
      setImmediate(() => deliver(batch, ids, next, total));
      return;
    }
    delivering = false;
    const finished = performance.now();
    ctx.metrics.fanoutSeconds.observe((finished - flushedAt) / 1000);
    readyAt = finished + Math.min(total, MAX_PACING_MS);
    if (own.length > 0 || remote.length > 0) schedule();
  };

  function flush(): void {
    if (timer) clearTimeout(timer);
    if (immediate) clearImmediate(immediate);
    timer = null;
    immediate = null;
    if (delivering || (own.length === 0 && remote.length === 0)) return;
    const mine = own.sort((a, b) => a.seq - b.seq);
    const batch = remote.length === 0 ? mine : [...mine, ...remote].sort((a, b) => a.seq - b.seq);
    own = [];
    remote = [];
    if (opts.cluster && mine.length > 0) io.serverSideEmit(EVENTS_BATCH, mine);
    ctx.metrics.eventsPublished.inc(mine.length);
    delivering = true;
    for (const e of batch) delivered.add(e.seq);
    const seats = [...(io.of('/').adapter.rooms.get(rooms.all()) ?? [])];
    ctx.metrics.fanoutBatchEvents.observe(batch.length);
    ctx.metrics.fanoutBatchSeats.observe(seats.length);
    flushedAt = performance.now();
    deliver(batch, seats, 0, 0);
  }

  if (opts.cluster) {
    io.on(EVENTS_BATCH, (batch: unknown) => {
      if (!Array.isArray(batch) || batch.length === 0) return;
      for (const e of batch as StoredEvent[]) remote.push(e);
      schedule();
    });
  }

  return {
    publish(events) {
      if (events.length === 0) return;
      for (const e of events) own.push(e);
      schedule();
    },
    flush,
    deliveredAll(after, upTo) {
      let all = true;
      for (let seq = after + 1; seq <= upTo && all; seq += 1) all = delivered.has(seq);
      const kept = new Set<number>();
      for (const seq of delivered) if (seq > after) kept.add(seq);
      delivered = kept;
      return all;
    },
  };
}
