import { handshakeAuthSchema, PROTOCOL_VERSION, rooms, type PublicUser } from '@dutydesk/shared';
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

/* eslint-disable @typescript-eslint/no-explicit-any -- event maps are validated at runtime with the shared zod schemas */
export type DutyServer = Server<
  Record<string, (...args: any[]) => void>,
  Record<string, (...args: any[]) => void>,
  NodeEvents,
  SocketData
>;
export type DutySocket = Socket<
  Record<string, (...args: any[]) => void>,
  Record<string, (...args: any[]) => void>,
  NodeEvents,
  SocketData
>;
/* eslint-enable @typescript-eslint/no-explicit-any */

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

  io.use(async (socket, next) => {
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
          new Error('unauthorized: the session token is unknown, expired or revoked; log in again'),
        );
        return;
      }
      socket.data = { auth, user: toPublicUser(auth.user), lastSeq: parsed.data.lastSeq };
      next();
    } catch (err) {
      ctx.log.error({ err }, 'handshake failed');
      next(new Error('unavailable: the server could not check the token; retry'));
    }
  });

  io.on('connection', async (socket) => {
    ctx.metrics.sockets.inc();
    const { auth, user } = socket.data;
    const expiresIn = auth.session.expiresAt.getTime() - ctx.clock.now().getTime();
    const expiry = setTimeout(
      () => socket.disconnect(true),
      Math.max(0, Math.min(expiresIn, MAX_TIMER_MS)),
    );
    socket.once('disconnect', () => {
      clearTimeout(expiry);
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
