import { PROTOCOL_VERSION, rooms, type Actor, type Presence } from '@dutydesk/shared';
import type { AppContext } from '../../context';
import type { ConnectionHandler, DutyServer, DutySocket } from '../../realtime/io';
import { readCurrentSeq, readEventsAfter } from '../events/events.repo';
import { actorFromUser } from './actor';
import { executeCommand } from './tickets.commands';
import { readSnapshot } from './tickets.repo';

/** A seat further behind than this gets a snapshot instead of a replay. */
export const REPLAY_MAX = 50_000;
const PAGE = 2_000;
const MAX_WATCHED = 20;

function actorOf(socket: DutySocket): Actor {
  return actorFromUser(socket.data.user);
}

/** hello, then replay from the database (or a snapshot), then live: the resume path of every seat. */
export function createResumeHandler(ctx: AppContext): ConnectionHandler {
  return async (socket) => {
    const lastSeq = socket.data.lastSeq;
    const current = await readCurrentSeq(ctx.database.db);
    // A seat that has applied nothing (`lastSeq` 0) gets the snapshot: the open tickets are far
    // less than the whole history of the desk.
    const replay =
      lastSeq !== undefined && lastSeq > 0 && lastSeq <= current && current - lastSeq <= REPLAY_MAX;
    socket.emit('hello', {
      protocolVersion: PROTOCOL_VERSION,
      serverTime: ctx.clock.now().toISOString(),
      seq: current,
      user: socket.data.user,
      replay,
    });
    let upTo: number;
    if (!replay) {
      const snapshot = await readSnapshot(ctx.database.db);
      socket.emit('snapshot', snapshot);
      upTo = snapshot.seq;
    } else {
      upTo = lastSeq;
      while (upTo < current && socket.connected) {
        const page = await readEventsAfter(ctx.database.db, upTo, Math.min(PAGE, current - upTo));
        if (page.length === 0) break;
        for (const e of page) socket.emit('event', e);
        upTo = page[page.length - 1]?.seq ?? current;
      }
    }
    // Go live only now, then send what committed between the read above and the join: live
    // events cannot overtake the snapshot, and nothing falls between the two.
    await socket.join([rooms.all(), rooms.live()]);
    for (;;) {
      const page = await readEventsAfter(ctx.database.db, upTo, PAGE);
      for (const e of page) socket.emit('event', e);
      if (page.length < PAGE || !socket.connected) break;
      upTo = page[page.length - 1]?.seq ?? upTo;
    }
  };
}

/** Commands, gap repair (`sync`) and presence on one seat. */
export function createTicketSocketHandler(
  ctx: AppContext,
  io: () => DutyServer,
  inflight: { enter(): void; leave(): void },
): ConnectionHandler {
  return (socket) => {
    socket.on('command', async (payload: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      inflight.enter();
      try {
        ack(await executeCommand(ctx, actorOf(socket), payload));
      } catch (err) {
        ctx.log.error({ err }, 'command crashed');
        ack({ ok: false, error: { code: 'internal', message: 'Internal error' } });
      } finally {
        inflight.leave();
      }
    });

    socket.on('sync', async (payload: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      const after = Number((payload as { after?: unknown } | null)?.after);
      if (!Number.isInteger(after) || after < 0) {
        ack({ ok: false, error: { code: 'invalid', message: 'sync needs { after: seq }' } });
        return;
      }
      const events = await readEventsAfter(ctx.database.db, after, PAGE);
      ack({ ok: true, events, more: events.length === PAGE });
    });

    const watched = new Set<string>();
    const typing = new Set<string>();
    const broadcastPresence = async (ticketId: string): Promise<void> => {
      const sockets = await io().in(rooms.ticket(ticketId)).fetchSockets();
      const byUser = new Map<string, Presence['viewers'][number]>();
      for (const s of sockets) {
        const data = s.data as { user: { id: string; displayName: string }; typing?: string[] };
        const prev = byUser.get(data.user.id);
        const isTyping = (data.typing ?? []).includes(ticketId) || (prev?.typing ?? false);
        byUser.set(data.user.id, {
          userId: data.user.id,
          displayName: data.user.displayName,
          typing: isTyping,
        });
      }
      const presence: Presence = { ticketId, viewers: [...byUser.values()] };
      io().to(rooms.ticket(ticketId)).emit('presence', presence);
    };
    const syncTyping = (): void => {
      (socket.data as unknown as { typing: string[] }).typing = [...typing];
    };

    socket.on('presence.watch', async (payload: unknown) => {
      const p = payload as { ticketId?: unknown; typing?: unknown } | null;
      if (typeof p?.ticketId !== 'string' || p.ticketId.length > 64) return;
      if (!watched.has(p.ticketId) && watched.size >= MAX_WATCHED) return;
      watched.add(p.ticketId);
      if (p.typing === true) typing.add(p.ticketId);
      else typing.delete(p.ticketId);
      syncTyping();
      await socket.join(rooms.ticket(p.ticketId));
      await broadcastPresence(p.ticketId);
    });
    socket.on('presence.leave', async (payload: unknown) => {
      const id = (payload as { ticketId?: unknown } | null)?.ticketId;
      if (typeof id !== 'string' || !watched.has(id)) return;
      watched.delete(id);
      typing.delete(id);
      syncTyping();
      await socket.leave(rooms.ticket(id));
      await broadcastPresence(id);
    });
    socket.on('disconnect', () => {
      for (const id of watched) void broadcastPresence(id).catch(() => {});
    });
  };
}

/** How often every node tells its own seats the head of the log. */
export const HEAD_INTERVAL_MS = 2_000;

/**
 * Every few seconds each node sends its local seats `head { seq }`, read from the database.
 * A cross-node message lost while the adapter reconnects (a database restart) leaves no gap
 * for a seat to notice if it was the last one; a seat behind the head asks `sync`. Skipped
 * when this node has itself delivered to its live seats every event since the previous head
 * (`deliveredAll`): none of them can be behind then, and at 1 000 seats the beacon is a burst
 * of 1 000 writes that holds up the commands in flight. Returns stop.
 */
export function startHeadBeacon(
  ctx: AppContext,
  io: DutyServer,
  deliveredAll: (after: number, upTo: number) => boolean = () => false,
): () => void {
  let running = false;
  let previous = 0;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    readCurrentSeq(ctx.database.db)
      .then((seq) => {
        const covered = previous > 0 && deliveredAll(previous, seq);
        previous = Math.max(previous, seq);
        if (!covered) io.local.to(rooms.live()).emit('head', { seq });
      })
      .catch(() => {})
      .finally(() => {
        running = false;
      });
  }, HEAD_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
