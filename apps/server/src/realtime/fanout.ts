import { rooms } from '@dutydesk/shared';
import type { AppContext } from '../context';
import type { StoredEvent } from '../features/events/events.repo';
import type { DutyServer } from './io';
import { emitBatch } from './writes';

/** The node-to-node message carrying a batch of committed events (never sent to seats). */
export const EVENTS_BATCH = 'dutydesk:events';

export interface EventFanout {
  /** Queues committed events; they reach this node's seats and every other node within a loop turn. */
  publish(events: readonly StoredEvent[]): void;
  /** Sends what is queued now (used on shutdown). */
  flush(): void;
}

/**
 * Delivers committed events to every live seat, on every node.
 *
 * Events committed during one turn of the event loop are sent as one batch: this node's seats
 * get them straight away (a local room emit; the wire protocol is unchanged, one `event` per
 * event, in seq order within the batch), and the other nodes get the batch in one message
 * through the cluster adapter (one NOTIFY per batch instead of one per event, and local
 * delivery no longer waits for it). Under load more commits land in one turn, the batches
 * grow, and the cost per event falls: each seat's frames of one batch leave in one write (see
 * writes.ts).
 */
export function createEventFanout(
  ctx: AppContext,
  io: DutyServer,
  opts: { cluster: boolean },
): EventFanout {
  let pending: StoredEvent[] = [];
  let scheduled: NodeJS.Immediate | null = null;

  const deliverLocally = (batch: readonly StoredEvent[]): void => {
    emitBatch(io, rooms.all(), 'event', batch);
  };

  const flush = (): void => {
    if (scheduled) clearImmediate(scheduled);
    scheduled = null;
    if (pending.length === 0) return;
    const batch = pending.sort((a, b) => a.seq - b.seq);
    pending = [];
    deliverLocally(batch);
    if (opts.cluster) io.serverSideEmit(EVENTS_BATCH, batch);
    ctx.metrics.eventsPublished.inc(batch.length);
  };

  if (opts.cluster) {
    io.on(EVENTS_BATCH, (batch: unknown) => {
      if (Array.isArray(batch)) deliverLocally(batch as StoredEvent[]);
    });
  }

  return {
    publish(events) {
      if (events.length === 0) return;
      for (const e of events) pending.push(e);
      scheduled ??= setImmediate(flush);
    },
    flush,
  };
}
