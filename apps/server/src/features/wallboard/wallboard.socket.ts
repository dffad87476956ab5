import { rooms, type RoleName } from '@dutydesk/shared';
import type { AppContext } from '../../context';
import type { ConnectionHandler, DutyServer } from '../../realtime/io';
import { onNotice, onRequest } from '../../realtime/messages';
import { loadDeskMetrics, type DeskMetrics, type OnDutyPerson } from './metrics.service';

/** Coalescing window: every change inside it is covered by one computation. */
export const METRICS_DEBOUNCE_MS = 250;
/** Time-driven refresh (targets crossing 75 %, breaches, the day rolling over) while anyone watches. */
export const METRICS_REFRESH_MS = 30_000;

/** Event types that can move a number on the wallboard (all of them, today). */
function isRelevant(type: string): boolean {
  return (
    type.startsWith('ticket.') ||
    type.startsWith('sla.') ||
    type.startsWith('alert.') ||
    type.startsWith('survey.')
  );
}

export interface WallboardHub {
  /** Connection handler: wallboards get the metrics at once; staff seats on `wallboard.subscribe`. */
  readonly handler: ConnectionHandler;
  /** Called with every published batch of events. */
  notify(events: ReadonlyArray<{ type: string }>): void;
  /** The current metrics (cached while nothing changed). */
  current(): Promise<DeskMetrics>;
  /** How many times the metrics were computed (for tests and /metrics). */
  readonly computations: number;
  stop(): void;
}

/** Users with a live socket, read through the adapter so every node's seats count. */
async function listPresence(io: DutyServer): Promise<OnDutyPerson[]> {
  const sockets = await io.fetchSockets();
  const out = new Map<string, OnDutyPerson>();
  for (const s of sockets) {
    const u = (s.data as { user?: { id: string; displayName: string; roles: RoleName[] } }).user;
    if (u && !u.roles.includes('wallboard')) {
      out.set(u.id, { userId: u.id, displayName: u.displayName, roles: u.roles });
    }
  }
  return [...out.values()];
}

function withoutStamp(m: DeskMetrics): string {
  return JSON.stringify({ ...m, generatedAt: '' });
}

/**
 * Pushes `wallboard.metrics` to room `wallboard`: computed once per node per change (events
 * are coalesced for {@link METRICS_DEBOUNCE_MS}), never per socket, and re-sent only when a
 * number moved.
 */
export function createWallboardHub(ctx: AppContext, io: () => DutyServer): WallboardHub {
  let cached: DeskMetrics | null = null;
  // What the room last got; `cached` may be newer (a connect or REST read computed it).
  let emitted = '';
  let dirty = true;
  let running: Promise<DeskMetrics> | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  let computations = 0;

  const compute = (): Promise<DeskMetrics> => {
    if (running) return running;
    dirty = false;
    computations += 1;
    running = loadDeskMetrics(ctx, () => listPresence(io()))
      .then((m) => {
        cached = m;
        return m;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };

  const hasWatchers = (): boolean =>
    (io().sockets.adapter.rooms.get(rooms.wallboard())?.size ?? 0) > 0;
  /** A wallboard (or subscribed seat) on any node: only the room's sockets cross nodes. */
  const hasWatchersAnywhere = async (): Promise<boolean> =>
    hasWatchers() || (await io().in(rooms.wallboard()).fetchSockets()).length > 0;

  const flush = async (): Promise<void> => {
    timer = null;
    if (stopped) return;
    try {
      // Nobody watches: computing would read every seat's presence (across nodes, all of their
      // socket data) for nothing, on every change. Stay dirty; a watcher or a REST read computes.
      if (!(await hasWatchersAnywhere())) {
        dirty = true;
        return;
      }
      const m = await compute();
      const stamp = withoutStamp(m);
      if (!stopped && stamp !== emitted) {
        emitted = stamp;
        io().to(rooms.wallboard()).emit('wallboard.metrics', m);
      }
    } catch (err) {
      ctx.log.error({ err }, 'wallboard metrics failed');
      dirty = true;
    }
    if (dirty && !stopped) schedule();
  };

  function schedule(): void {
    dirty = true;
    if (timer || stopped) return;
    timer = setTimeout(() => void flush(), METRICS_DEBOUNCE_MS);
  }

  const refresh = setInterval(() => {
    if (hasWatchers()) schedule();
  }, METRICS_REFRESH_MS);
  refresh.unref();

  const current = async (): Promise<DeskMetrics> => {
    if (cached && !dirty) return cached;
    return compute();
  };

  const sendTo = async (socket: Parameters<ConnectionHandler>[0]): Promise<void> => {
    try {
      const m = await current();
      if (socket.connected) socket.emit('wallboard.metrics', m);
    } catch (err) {
      ctx.log.error({ err }, 'wallboard metrics failed');
    }
  };

  const handler: ConnectionHandler = (socket) => {
    const roles = socket.data.user.roles;
    if (roles.includes('wallboard')) {
      void sendTo(socket);
      return;
    }
    // A staff seat changes who is on duty.
    schedule();
    socket.once('disconnect', () => schedule());
    onRequest(socket, ctx.log, 'wallboard.subscribe', async () => {
      await socket.join(rooms.wallboard());
      // After the ack: the metrics follow it.
      setImmediate(() => void sendTo(socket));
      return { ok: true };
    });
    onNotice(socket, ctx.log, 'wallboard.unsubscribe', async () => {
      await socket.leave(rooms.wallboard());
    });
  };

  return {
    handler,
    notify(events) {
      if (events.some((e) => isRelevant(e.type))) schedule();
    },
    current,
    get computations() {
      return computations;
    },
    stop() {
      stopped = true;
      clearInterval(refresh);
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
