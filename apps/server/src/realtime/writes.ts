import type { ServerMessageName, ServerMessageOf } from '@dutydesk/shared';
import type { DutyServer } from './io';

/**
 * Fewer syscalls per seat. At 1 000 seats the fan-out is dominated by one `writev` per frame
 * per seat (docs/performance.md: ~60 % of the server's time at 100 events/s). engine.io writes
 * a websocket's first packet at once and queues what follows until that write completes; two
 * things here let a batch of events leave each seat's socket in one write instead of one per
 * event, with the same frames in the same order (the wire protocol is unchanged):
 * - `coalesceWebSocketWrites` corks the TCP socket while engine.io flushes its queue, so the
 *   queued frames go out in one `writev` instead of one each;
 * - `emitBatch` holds each websocket of the room while the batch is emitted, so every event of
 *   it is queued, then flushes them together.
 * Both touch engine.io internals that have been stable since engine.io 4 (`transport.send`,
 * `transport.writable`, `Socket#flush`); `writes.test.ts` pins the behaviour.
 */

/** The parts of engine.io's websocket transport used here. */
interface EngineTransport {
  name: string;
  writable: boolean;
  send(packets: unknown[]): void;
  socket?: { _socket?: { cork?: () => void; uncork?: () => void } };
}
/** The parts of engine.io's socket (socket.io's `socket.conn`) used here. */
interface EngineSocket {
  transport: EngineTransport;
  readyState: string;
  flush?: () => void;
  on(event: 'upgrade', fn: (transport: EngineTransport) => void): void;
}

const corked = new WeakSet<EngineTransport>();

function corkFlushes(transport: EngineTransport): void {
  if (transport.name !== 'websocket' || corked.has(transport)) return;
  corked.add(transport);
  const send = transport.send.bind(transport);
  transport.send = (packets) => {
    const tcp = transport.socket?._socket;
    if (packets.length < 2 || typeof tcp?.cork !== 'function' || typeof tcp.uncork !== 'function') {
      send(packets);
      return;
    }
    tcp.cork();
    try {
      send(packets);
    } finally {
      tcp.uncork();
    }
  };
}

/** Corks every websocket's TCP socket while engine.io flushes several queued packets at once. */
export function coalesceWebSocketWrites(io: DutyServer): void {
  const engine = io.engine as unknown as {
    on(event: 'connection', fn: (socket: EngineSocket) => void): void;
  };
  engine.on('connection', (socket) => {
    corkFlushes(socket.transport);
    socket.on('upgrade', (transport) => corkFlushes(transport));
  });
}

/**
 * Emits `event` once per payload, in order, to the given sockets of this node (socket ids: each
 * socket is in the room of its own id, so this is one encoding per payload as for a room);
 * each websocket that is idle gets the whole batch in one write (see above). A socket already
 * writing gets it queued behind that write and flushed as one, as engine.io does anyway.
 */
export function emitBatch<K extends ServerMessageName>(
  io: DutyServer,
  socketIds: readonly string[],
  event: K,
  payloads: ReadonlyArray<ServerMessageOf<K>>,
): void {
  if (socketIds.length === 0) return;
  const target = io.local.to([...socketIds]);
  // socket.io's emit does not narrow on a generic message name; the signature above does.
  const send = target.emit.bind(target) as (name: K, payload: ServerMessageOf<K>) => boolean;
  if (payloads.length < 2) {
    for (const p of payloads) send(event, p);
    return;
  }
  const held: EngineSocket[] = [];
  const nsp = io.of('/');
  for (const id of socketIds) {
    const conn = nsp.sockets.get(id)?.conn as unknown as EngineSocket | undefined;
    const transport = conn?.transport;
    if (
      conn?.readyState === 'open' &&
      transport?.name === 'websocket' &&
      transport.writable &&
      typeof conn.flush === 'function'
    ) {
      transport.writable = false;
      held.push(conn);
    }
  }
  try {
    for (const p of payloads) send(event, p);
  } finally {
    for (const conn of held) {
      conn.transport.writable = true;
      conn.flush?.();
    }
  }
}
