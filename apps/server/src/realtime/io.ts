import {
  handshakeAuthSchema,
  PROTOCOL_VERSION,
  rooms,
  type ClientToServerEvents,
  type PublicUser,
  type ServerToClientEvents,
} from '@dutydesk/shared';
import type { Server as HttpServer } from 'node:http';
import { Server, type ServerOptions, type Socket } from 'socket.io';
import type { AppContext } from '../context';
import { authenticateToken, type Authenticated } from '../features/auth/auth.service';
import { toPublicUser } from '../features/auth/auth.repo';
import type { StoredEvent } from '../features/events/events.repo';
import { coalesceWebSocketWrites } from './writes';

export interface SocketData {
  auth: Authenticated;
  user: PublicUser;
  lastSeq: number | undefined;
}

/** Messages between nodes (through the cluster adapter), never sent to seats. */
export interface NodeEvents {
  'dutydesk:events': (events: StoredEvent[]) => void;
}

export type DutyServer = Server<ClientToServerEvents, ServerToClientEvents, NodeEvents, SocketData>;
export type DutySocket = Socket<ClientToServerEvents, ServerToClientEvents, NodeEvents, SocketData>;

/** A feature's part of the realtime layer: called for every authenticated connection. */
export type ConnectionHandler = (socket: DutySocket) => void | Promise<void>;

/** The rooms a user's seat joins on connect, by role and group. */
export function roomsFor(user: PublicUser, sessionId: string): string[] {
  const list = [rooms.session(sessionId), rooms.user(user.id)];
  for (const role of user.roles) list.push(rooms.role(role));
  // Every seat gets the whole desk's event stream (seq gap detection needs a complete stream),
  // but joins `rooms.all()` only once its snapshot or replay is sent (tickets.socket.ts), so a
  // live event can never overtake the snapshot it comes after.
  if (user.roles.includes('wallboard')) list.push(rooms.wallboard());
  if (user.roles.includes('agent') || user.roles.includes('engineer')) {
    list.push(rooms.intake());
    for (const g of user.groupIds) list.push(rooms.queue(g));
  }
  return list;
}

/**
 * Counts each user's connected sockets on this node and refuses one more than
 * `DUTYDESK_MAX_SOCKETS_PER_USER` at the handshake. Wallboard devices share one account, so a
 * device session counts on its own. A socket admitted by the handshake is `pending` for the one
 * tick until its `connection` (socket.io connects it on the next tick, or drops it silently if
 * the client left meanwhile), so parallel handshakes cannot all pass on the same count.
 */
export class SocketQuota {
  private readonly connected = new Map<string, Set<string>>();
  private readonly pending = new Map<string, number>();

  constructor(readonly max: number) {}

  static keyOf(auth: Authenticated): string {
    return auth.session.kind === 'device' ? `session:${auth.session.id}` : `user:${auth.user.id}`;
  }

  /** Admits one more socket for `key`, or returns false when it already has `max`. */
  admit(key: string): boolean {
    const used = (this.connected.get(key)?.size ?? 0) + (this.pending.get(key) ?? 0);
    if (used >= this.max) return false;
    this.pending.set(key, (this.pending.get(key) ?? 0) + 1);
    // socket.io connects (or drops) the socket in a nextTick queued when the handshake calls
    // next(), just after this: a tick queued from a tick runs after it.
    process.nextTick(() =>
      process.nextTick(() => {
        const n = (this.pending.get(key) ?? 1) - 1;
        if (n > 0) this.pending.set(key, n);
        else this.pending.delete(key);
      }),
    );
    return true;
  }

  connect(key: string, socketId: string): void {
    const set = this.connected.get(key) ?? new Set<string>();
    set.add(socketId);
    this.connected.set(key, set);
  }

  disconnect(key: string, socketId: string): void {
    const set = this.connected.get(key);
    set?.delete(socketId);
    if (set?.size === 0) this.connected.delete(key);
  }
}

/** Maximum socket message size: larger frames are refused by the transport. */
export const MAX_SOCKET_PAYLOAD = 1_000_000;
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Socket.IO on the HTTP server: token handshake, rooms by role, session expiry, then each feature's handler. */
export function createRealtime(
  ctx: AppContext,
  http: HttpServer,
  adapter: ServerOptions['adapter'] | undefined,
  handlers: ConnectionHandler[],
): DutyServer {
  const io: DutyServer = new Server(http, {
    maxHttpBufferSize: MAX_SOCKET_PAYLOAD,
    serveClient: false,
    pingInterval: 10_000,
    pingTimeout: 8_000,
    ...(adapter ? { adapter } : {}),
  });

  coalesceWebSocketWrites(io);
  const quota = new SocketQuota(ctx.config.maxSocketsPerUser);

  // socket.io ignores what a middleware returns: the check runs to its own `next`.
  io.use((socket, next) => {
    void (async () => {
      const parsed = handshakeAuthSchema.safeParse(socket.handshake.auth ?? {});
      if (!parsed.success) {
        next(new Error('unauthorized: send auth { token, lastSeq? } in the handshake'));
        return;
      }
      if (
        parsed.data.protocolVersion !== undefined &&
        parsed.data.protocolVersion !== PROTOCOL_VERSION
      ) {
        const reason =
          parsed.data.protocolVersion < PROTOCOL_VERSION ? 'clientTooOld' : 'serverTooOld';
        next(new Error(`incompatible: ${reason} (server speaks protocol ${PROTOCOL_VERSION})`));
        return;
      }
      try {
        const auth = await authenticateToken(ctx, parsed.data.token);
        if (!auth) {
          next(
            new Error(
              'unauthorized: the session token is unknown, expired or revoked; log in again',
            ),
          );
          return;
        }
        if (!quota.admit(SocketQuota.keyOf(auth))) {
          next(
            new Error(
              `rate_limited: this user already has ${quota.max} connections open to this server; close another window or tab`,
            ),
          );
          return;
        }
        socket.data = { auth, user: toPublicUser(auth.user), lastSeq: parsed.data.lastSeq };
        next();
      } catch (err) {
        ctx.log.error({ err }, 'handshake failed');
        next(new Error('unavailable: the server could not check the token; retry'));
      }
    })();
  });

  io.on('connection', async (socket) => {
    ctx.metrics.sockets.inc();
    const { auth, user } = socket.data;
    const quotaKey = SocketQuota.keyOf(auth);
    quota.connect(quotaKey, socket.id);
    const expiresIn = auth.session.expiresAt.getTime() - ctx.clock.now().getTime();
    const expiry = setTimeout(
      () => socket.disconnect(true),
      Math.max(0, Math.min(expiresIn, MAX_TIMER_MS)),
    );
    socket.once('disconnect', () => {
      clearTimeout(expiry);
      quota.disconnect(quotaKey, socket.id);
      ctx.metrics.sockets.dec();
    });
    await socket.join(roomsFor(user, auth.session.id));
    for (const handler of handlers) {
      try {
        await handler(socket);
      } catch (err) {
        ctx.log.error({ err }, 'connection handler failed');
        socket.disconnect(true);
        return;
      }
    }
  });
  return io;
}
