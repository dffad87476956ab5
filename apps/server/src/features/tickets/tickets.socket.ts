import { makeError, PROTOCOL_VERSION, rooms, type AckError, type Actor } from '@dutydesk/shared';
import type { AppContext } from '../../context';
import { logScope } from '../../log';
import type { ConnectionHandler, DutyServer, DutySocket } from '../../realtime/io';
import { onRequest } from '../../realtime/messages';
import { asWireEvents, readCurrentSeq, readEventsAfter } from '../events';
import { actorFromUser } from './actor';
import { createPresenceHandler } from './presence.socket';
import { executeCommand } from '../../commands';
import { readSnapshot, readTicket } from './tickets.repo';
import {
  cutPage,
  estimateEventBytes,
  PAGE_MAX_BYTES,
  SYNC_PAGE_EVENTS,
} from '../../realtime/paging';
import { readKeysOf, readRefused } from '../../realtime/readGate';
import { viewEventsFromDb, viewTicket, viewTickets } from '../../realtime/visibility';
import { pageTimeline, trimTimeline } from './timeline';

/** A seat further behind than this gets a snapshot instead of a replay. */
export const REPLAY_MAX = 50_000;
const PAGE = SYNC_PAGE_EVENTS;

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
    const viewer = socket.data.user;
    const db = ctx.database.db;
    /**
     * Sends the events after `from` (up to `until`) as this seat may see them, page by page;
     * stops early (`over`) once more than `budget` bytes went out.
     */
    const sendAfter = async (
      from: number,
      until: number,
      budget = Number.POSITIVE_INFINITY,
    ): Promise<{ upTo: number; over: boolean }> => {
      let upTo = from;
      let sent = 0;
      while (upTo < until && socket.connected) {
        if (sent > budget) return { upTo, over: true };
        const read = await readEventsAfter(db, upTo, Math.min(PAGE, until - upTo));
        if (read.length === 0) break;
        const page = cutPage(read, PAGE_MAX_BYTES).events;
        for (const e of asWireEvents(await viewEventsFromDb(db, viewer, page))) {
          sent += estimateEventBytes(e);
          socket.emit('event', e);
        }
        upTo = page[page.length - 1]?.seq ?? until;
      }
      return { upTo, over: false };
    };
    const sendSnapshot = async (): Promise<number> => {
      const snapshot = await readSnapshot(db);
      // What a seat needs of each ticket: the latest entries of its logs, the rest on request.
      const keep = ctx.config.timelineCarried;
      socket.emit('snapshot', {
        seq: snapshot.seq,
        tickets: viewTickets(viewer, snapshot.tickets).map((t) => trimTimeline(t, keep)),
      });
      return snapshot.seq;
    };
    let upTo: number;
    if (!replay) {
      upTo = await sendSnapshot();
    } else {
      // A replay that grows past `replayMaxBytes` ends in a snapshot instead (seats take a
      // snapshot at any time): what one reconnect may cost the server's memory is bounded.
      const replayed = await sendAfter(lastSeq, current, ctx.config.replayMaxBytes);
      upTo = replayed.over ? await sendSnapshot() : replayed.upTo;
    }
    // Go live only now, then send what committed between the read above and the join: live
    // events cannot overtake the snapshot, and nothing falls between the two.
    await socket.join([rooms.all(), rooms.live()]);
    await sendAfter(upTo, Number.MAX_SAFE_INTEGER);
  };
}

/** Commands, gap repair (`sync`) and presence on one seat. */
export function createTicketSocketHandler(
  ctx: AppContext,
  io: () => DutyServer,
  inflight: { enter(): void; leave(): void },
): ConnectionHandler {
  const presence = createPresenceHandler(io, ctx.log);
  return (socket) => {
    /** `read()` under the read gate: refused when the gate is full. */
    const gatedRead = async <T>(
      read: () => Promise<T>,
    ): Promise<T | { ok: false; error: AckError }> => {
      const release = ctx.readGate.tryEnter(...readKeysOf(socket.data.auth));
      if (!release) return { ok: false, error: readRefused() };
      try {
        return await read();
      } finally {
        release();
      }
    };

    // Each command's log lines carry `reqId` `<socket id>.<n>` (logScope), as a request's do.
    let commands = 0;
    onRequest(socket, ctx.log, 'command', async (payload) => {
      inflight.enter();
      commands += 1;
      const reqId = `${socket.id}.${commands}`;
      try {
        return await logScope.run({ reqId }, () => executeCommand(ctx, actorOf(socket), payload));
      } finally {
        inflight.leave();
      }
    });

    onRequest(socket, ctx.log, 'sync', ({ after }) =>
      gatedRead(async () => {
        const read = await readEventsAfter(ctx.database.db, after, PAGE);
        const page = cutPage(read, PAGE_MAX_BYTES);
        const events = await viewEventsFromDb(ctx.database.db, socket.data.user, page.events);
        return { ok: true, events: asWireEvents(events), more: page.cut || read.length === PAGE };
      }),
    );

    // Older entries of one log, as over REST.
    onRequest(socket, ctx.log, 'timeline', ({ ticketId, log, before, limit }) =>
      gatedRead(async () => {
        const ticket = await readTicket(ctx.database.db, ticketId);
        if (!ticket) return { ok: false, error: makeError('not_found', `No ticket ${ticketId}`) };
        return {
          ok: true,
          ...pageTimeline(viewTicket(socket.data.user, ticket), log, before, limit),
        };
      }),
    );

    presence(socket);
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
