/**
 * The one socket of the console and the wallboard, outside React. Every server message is
 * parsed with the shared protocol (`serverMessageSchemas`) and handled in one exhaustive
 * switch; events are put in seq order (early ones held briefly), a lasting gap is repaired
 * with `sync` (a reconnect only if that fails), the connection status stays honest, commands
 * are carried with retry, presence and the wallboard subscription survive reconnects.
 */
import { io, type Socket } from 'socket.io-client';
import type { AppStore } from '../store/appStore';
import { toAlertFromList } from '../features/alerts/alerts.slice';
import { ConnectionStatus } from '../features/connection/connection.slice';
import {
  commandAckSchema,
  PROTOCOL_VERSION,
  SERVER_MESSAGES,
  serverMessageSchemas,
  syncAckSchema,
} from './contract';
import type {
  ClientNoticeName,
  ClientNoticePayload,
  ClientRequestName,
  ClientRequestPayload,
  ClientToServerEvents,
  Command,
  CommandAck,
  CommandInput,
  DomainEvent,
  HandoffNotification,
  Hello,
  ServerMessage,
  ServerMessageName,
  ServerToClientEvents,
  Snapshot,
} from './contract';
import { createReorderBuffer, MAX_HELD_EVENTS } from './sequencer';

/** socket.io's own events on a client socket. */
interface ReservedEvents {
  connect: () => void;
  disconnect: (reason: string) => void;
  connect_error: (error: { message: string; data?: unknown }) => void;
}

/**
 * The part of a socket.io client socket the bridge uses (a fake in tests), typed by the
 * protocol's names and payloads. What arrives is `unknown` until the bridge has parsed it.
 */
export interface SocketLike {
  readonly connected: boolean;
  readonly active: boolean;
  on<K extends keyof ReservedEvents>(event: K, listener: ReservedEvents[K]): unknown;
  on(event: ServerMessageName, listener: (raw: unknown) => void): unknown;
  emit<K extends ClientRequestName>(
    event: K,
    payload: ClientRequestPayload<K>,
    ack: (raw: unknown) => void,
  ): unknown;
  emit<K extends ClientNoticeName>(event: K, payload: ClientNoticePayload<K>): unknown;
  connect(): unknown;
  disconnect(): unknown;
}

/** What the server gets at every (re)connect; read fresh each time. */
export interface HandshakeAuth {
  token: string;
  lastSeq: number;
  protocolVersion: number;
}

export type ConnectSocket = (auth: () => HandshakeAuth) => SocketLike;

export const connectSocketIo: ConnectSocket = (auth) => {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
    auth: (callback) => callback(auth()),
    transports: ['websocket'],
    reconnectionDelay: 500,
    reconnectionDelayMax: 10_000,
  });
  // The bridge reads every payload as `unknown` and parses it: a wider view of the same socket.
  return socket as unknown as SocketLike;
};

/** Reconnect delay after a refusal the socket does not retry by itself: 1 s doubling to 30 s, ±25 %. */
export const BACKOFF = { initialMs: 1_000, maxMs: 30_000 } as const;

/**
 * The n-th retry delay: exponential, capped, ±25 % jitter.
 * @example computeBackoff(10, () => 0.5) // 30000
 */
export function computeBackoff(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(BACKOFF.maxMs, BACKOFF.initialMs * 2 ** Math.min(attempt, 16));
  return Math.round(base * (0.75 + random() * 0.5));
}

/** A handshake refused for the protocol: which side must be updated. */
function readIncompatible(message: string): 'clientTooOld' | 'serverTooOld' | null {
  const m = /^incompatible: (clientTooOld|serverTooOld)/.exec(message);
  return m ? (m[1] as 'clientTooOld' | 'serverTooOld') : null;
}

export interface BridgeOptions {
  /** A `notification` message (a handoff notice for this user or their group). */
  onNotification?: (notification: HandoffNotification) => void;
  /**
   * A wallboard keeps trying after the server refused its token (revoked, expired) or its
   * protocol, with {@link computeBackoff}, in case an administrator restores it or the server
   * is rolled back; a console signs out instead. Default false.
   */
  retryRefused?: boolean;
  store: AppStore;
  connect?: ConnectSocket;
  now?: () => number;
  newId?: () => string;
  /**
   * How long a sent command may wait for its answer while connected. The wait starts again at
   * each (re-)send; offline, a command waits in the outbox without a deadline.
   */
  commandTimeoutMs?: number;
  /** Runs a batch flush; defaults to the next task so bursts apply in one store update. */
  schedule?: (flush: () => void) => void;
  /** Browser network status events; absent outside a browser. */
  network?: Pick<Window, 'addEventListener' | 'removeEventListener'> & {
    navigator: { onLine: boolean };
  };
  /** The server refused the token: the session is over. */
  onUnauthorized?: (message: string) => void;
  /** How long an early event waits for the missing seq before `sync` is asked. */
  gapWaitMs?: number;
  /** How long a `sync` may take before the bridge reconnects instead. */
  syncTimeoutMs?: number;
}

export interface RealtimeBridge {
  start(token: string): void;
  stop(): void;
  /** Sends a command; resolves with the ack (errors are values, never rejections). */
  sendCommand(input: CommandInput & { commandId?: string }): Promise<CommandAck>;
  /** Drops the connection and resumes from the last applied seq. */
  resync(): void;
  /** Tells the server this seat views a ticket (and whether it types); kept across reconnects. */
  watchTicket(ticketId: string, typing?: boolean): void;
  /** Stops viewing a ticket. */
  leaveTicket(ticketId: string): void;
  /** A staff seat follows (or stops following) `wallboard.metrics`; kept across reconnects. */
  followWallboard(on: boolean): void;
}

interface PendingCommand {
  command: Command;
  resolve(ack: CommandAck): void;
  /** Runs while the command is out on a live socket; none while it waits offline. */
  timer: ReturnType<typeof setTimeout> | null;
}

const isUnauthorized = (error: { message: string; data?: unknown }): boolean => {
  const code = (error.data as { code?: unknown } | undefined)?.code;
  return code === 'unauthorized' || /unauthori[sz]ed|token/i.test(error.message);
};

export function createRealtimeBridge(options: BridgeOptions): RealtimeBridge {
  const {
    store,
    connect = connectSocketIo,
    now = () => Date.now(),
    newId = () => crypto.randomUUID(),
    commandTimeoutMs = 30_000,
    schedule = (flush) => setTimeout(flush, 0),
    network,
    onUnauthorized,
    onNotification,
    retryRefused = false,
    gapWaitMs = 500,
    syncTimeoutMs = 5_000,
  } = options;

  let socket: SocketLike | null = null;
  let token: string | null = null;
  let everLive = false;
  let buffer: DomainEvent[] = [];
  let flushScheduled = false;
  const pending = new Map<string, PendingCommand>();
  const reorder = createReorderBuffer<DomainEvent>();
  let gapTimer: ReturnType<typeof setTimeout> | null = null;
  let syncing = false;
  /** Bumped on every (dis)connect so a late sync answer from an old socket is ignored. */
  let epoch = 0;
  const watched = new Map<string, boolean>();
  /** Alerts open on this seat when the socket (re)connected, for the server's `alerts` list. */
  let openAlertsAtConnect: string[] = [];
  /** Whether this seat follows `wallboard.metrics` (staff seats ask; wallboard devices get them). */
  let wallboardWanted = false;
  let refusedRetry: ReturnType<typeof setTimeout> | null = null;
  let refusedAttempts = 0;

  const setStatus = (status: ConnectionStatus, error: string | null = null): void =>
    store.getState().setConnection({ status, error });

  const clearGap = (): void => {
    if (gapTimer !== null) clearTimeout(gapTimer);
    gapTimer = null;
  };

  /** Feeds events through the reorder buffer into the store; waits, then syncs, on a gap. */
  const deliver = (events: readonly DomainEvent[]): void => {
    const state = store.getState();
    const result = reorder.push(state.lastSeq, events);
    if (result.apply.length > 0) {
      state.applyEvents(result.apply);
      state.setConnection({ lastEventAt: now() });
    }
    if (result.missing === null) {
      clearGap();
      return;
    }
    if (result.held > MAX_HELD_EVENTS) {
      clearGap();
      requestSync();
      return;
    }
    if (gapTimer === null && !syncing) gapTimer = setTimeout(onGapTimeout, gapWaitMs);
  };

  /** The server's periodic `head { seq }`: behind it with nothing buffered means a lost tail. */
  const onHead = (seq: number): void => {
    if (seq > store.getState().lastSeq && reorder.size === 0) requestSync();
  };

  const onGapTimeout = (): void => {
    gapTimer = null;
    if (reorder.size > 0) requestSync();
  };

  /** Asks the server for the events after our seq on the same socket; reconnects if that fails. */
  function requestSync(): void {
    const current = socket;
    if (!current?.connected || syncing) return;
    syncing = true;
    const myEpoch = epoch;
    let answered = false;
    const timer = setTimeout(() => {
      if (answered || myEpoch !== epoch) return;
      answered = true;
      syncing = false;
      resync();
    }, syncTimeoutMs);
    current.emit('sync', { after: store.getState().lastSeq }, (raw: unknown) => {
      if (answered || myEpoch !== epoch) return;
      answered = true;
      clearTimeout(timer);
      syncing = false;
      const ack = syncAckSchema.safeParse(raw);
      if (ack.success && !ack.data.ok && ack.data.error.code === 'rate_limited') {
        // The server bounds reads per sign-in (another window of it may be reading): ask again
        // after the delay it gives, on the same socket, instead of reconnecting.
        const wait = ack.data.error.retryAfterMs;
        const ms = wait !== undefined && wait > 0 && wait <= 60_000 ? wait : 1_000;
        setTimeout(() => {
          if (myEpoch === epoch) requestSync();
        }, ms);
        return;
      }
      if (!ack.success || !ack.data.ok) {
        resync();
        return;
      }
      deliver(ack.data.events);
      if (ack.data.more) requestSync();
      else if (reorder.size > 0) {
        // The server has nothing between our seq and what we hold: start over from it.
        clearGap();
        resync();
      }
    });
  }

  const flush = (): void => {
    flushScheduled = false;
    if (buffer.length === 0) return;
    const events = buffer;
    buffer = [];
    deliver(events);
  };

  const enqueue = (event: DomainEvent): void => {
    buffer.push(event);
    if (!flushScheduled) {
      flushScheduled = true;
      schedule(flush);
    }
  };

  /** Puts a command the server has not answered in the visible outbox (once). */
  const queueOffline = (command: Command): void => {
    store.getState().queueOutbox({
      commandId: command.commandId,
      type: command.type,
      ticketId:
        'ticketId' in command && typeof command.ticketId === 'string' ? command.ticketId : null,
      queuedAt: now(),
    });
  };

  const emitCommand = (command: Command): void => {
    const entry = pending.get(command.commandId);
    if (entry) {
      if (entry.timer !== null) clearTimeout(entry.timer);
      entry.timer = setTimeout(
        () =>
          settle(command.commandId, {
            ok: false,
            error: { code: 'unavailable', message: 'No answer from the server' },
          }),
        commandTimeoutMs,
      );
    }
    socket?.emit('command', command, (raw: unknown) => {
      const parsed = commandAckSchema.safeParse(raw);
      settle(
        command.commandId,
        parsed.success
          ? parsed.data
          : { ok: false, error: { code: 'invalid', message: 'Malformed answer from the server' } },
      );
    });
  };

  const settle = (commandId: string, ack: CommandAck): void => {
    const entry = pending.get(commandId);
    if (!entry) return;
    pending.delete(commandId);
    if (entry.timer !== null) clearTimeout(entry.timer);
    store.getState().removeOutbox(commandId);
    entry.resolve(ack);
  };

  const onHello = (hello: Hello): void => {
    if (hello.protocolVersion !== PROTOCOL_VERSION) {
      const side = hello.protocolVersion > PROTOCOL_VERSION ? 'clientTooOld' : 'serverTooOld';
      socket?.disconnect();
      store.getState().setConnection({ incompatible: side });
      setStatus(ConnectionStatus.offline, side);
      return;
    }
    const at = now();
    const state = store.getState();
    state.setConnection({
      serverOffsetMs: Date.parse(hello.serverTime) - at,
      lastEventAt: at,
      incompatible: null,
    });
    refusedAttempts = 0;
    if (hello.seq < state.lastSeq) {
      // The server's history ends before ours (restored database): start over.
      state.resetSeq();
      resync();
      return;
    }
    everLive = true;
    const lostAt = state.connection.lostAt;
    state.setConnection({
      status: ConnectionStatus.live,
      error: null,
      lostAt: null,
      ...(lostAt !== null
        ? { recovered: { events: Math.max(0, hello.seq - state.lastSeq), at: at } }
        : {}),
    });
  };

  const onSnapshot = (snapshot: Snapshot): void => {
    const early = buffer;
    buffer = [];
    const state = store.getState();
    state.loadSnapshot(snapshot);
    state.setConnection({ lastEventAt: now() });
    // Events published while the snapshot was read: the reorder buffer drops what it covers.
    deliver(early);
  };

  const serverNowIso = (): string =>
    new Date(now() + store.getState().connection.serverOffsetMs).toISOString();

  /** Every server message, parsed, in one place: a new message type fails `tsc` here. */
  const receive = (message: ServerMessage): void => {
    switch (message.type) {
      case 'hello':
        onHello(message.data);
        return;
      case 'snapshot':
        onSnapshot(message.data);
        return;
      case 'event':
        enqueue(message.data);
        return;
      case 'head':
        onHead(message.data.seq);
        return;
      case 'presence':
        store.getState().setPresence(message.data);
        return;
      case 'alerts':
        // The open alerts this seat may see, after every connect: the ones it held that are
        // not listed any more were acknowledged meanwhile.
        store
          .getState()
          .mergeOpenAlerts(
            message.data.alerts.map(toAlertFromList),
            openAlertsAtConnect,
            serverNowIso(),
          );
        return;
      case 'alert':
        // One alert raised, climbed or grown (a digest): the event log carries raises too, the
        // push carries climbs, which are not events.
        if (message.data.status === 'open')
          store.getState().mergeOpenAlerts([toAlertFromList(message.data)], [], serverNowIso());
        return;
      case 'notification':
        onNotification?.(message.data);
        return;
      case 'wallboard.metrics':
        store.getState().setDeskMetrics(message.data, now());
        return;
      default: {
        const unhandled: never = message;
        throw new Error(`unhandled server message ${(unhandled as { type: string }).type}`);
      }
    }
  };

  /** Parses one message against the protocol; an unreadable greeting ends the connection. */
  const listen = (target: SocketLike, name: ServerMessageName): void => {
    const schema = serverMessageSchemas[name];
    target.on(name, (raw: unknown) => {
      if (target !== socket) return;
      const parsed = schema.safeParse(raw);
      if (!parsed.success) {
        if (name === 'hello') {
          target.disconnect();
          setStatus(ConnectionStatus.offline, 'The server sent an unreadable greeting');
        }
        return;
      }
      receive({ type: name, data: parsed.data } as ServerMessage);
    });
  };

  const subscribeWallboard = (): void => {
    socket?.emit('wallboard.subscribe', {}, () => {});
  };

  const onConnect = (): void => {
    openAlertsAtConnect = Object.values(store.getState().alerts)
      .filter((a) => a.ackedAt === null)
      .map((a) => a.id);
    for (const entry of pending.values()) emitCommand(entry.command);
    for (const [ticketId, typing] of watched) socket?.emit('presence.watch', { ticketId, typing });
    if (wallboardWanted) subscribeWallboard();
  };

  const forgetStream = (): void => {
    epoch += 1;
    buffer = [];
    reorder.clear();
    clearGap();
    syncing = false;
  };

  /**
   * The live link is gone: note when (the offline banner counts from it), and move every
   * unanswered command to the outbox with its deadline stopped; the next connect sends them
   * again under the same commandId.
   */
  const markLost = (): void => {
    for (const entry of pending.values()) {
      if (entry.timer !== null) clearTimeout(entry.timer);
      entry.timer = null;
      queueOffline(entry.command);
    }
    if (everLive && store.getState().connection.lostAt === null)
      store.getState().setConnection({ lostAt: now() });
  };

  const onDisconnect = (reason: string): void => {
    forgetStream();
    if (!socket) return;
    markLost();
    if (network && !network.navigator.onLine) {
      setStatus(ConnectionStatus.offline);
      return;
    }
    setStatus(everLive ? ConnectionStatus.reconnecting : ConnectionStatus.connecting);
    // The server closed on purpose (restart, revocation): ask again, the
    // handshake tells us which.
    if (reason === 'io server disconnect') socket.connect();
  };

  const onConnectError = (error: { message: string; data?: unknown }): void => {
    if (!socket) return;
    if (!socket.active) {
      // Refused by the server's handshake (token, protocol, quota): socket.io does not retry.
      const incompatible = readIncompatible(error.message);
      store.getState().setConnection({ incompatible });
      setStatus(ConnectionStatus.offline, incompatible ?? error.message);
      if (retryRefused) {
        const current = socket;
        if (refusedRetry !== null) clearTimeout(refusedRetry);
        refusedRetry = setTimeout(() => {
          refusedRetry = null;
          if (socket === current && !current.connected) current.connect();
        }, computeBackoff(refusedAttempts++));
      }
      if (isUnauthorized(error)) onUnauthorized?.(error.message);
      return;
    }
    setStatus(everLive ? ConnectionStatus.reconnecting : ConnectionStatus.connecting);
  };

  const onOffline = (): void => {
    markLost();
    setStatus(ConnectionStatus.offline);
  };
  const onOnline = (): void => {
    if (!socket) return;
    setStatus(everLive ? ConnectionStatus.reconnecting : ConnectionStatus.connecting);
    if (!socket.active) socket.connect();
  };

  function resync(): void {
    if (!socket) return;
    forgetStream();
    socket.disconnect();
    setStatus(everLive ? ConnectionStatus.reconnecting : ConnectionStatus.connecting);
    socket.connect();
  }

  function stop(): void {
    const current = socket;
    socket = null;
    token = null;
    forgetStream();
    watched.clear();
    wallboardWanted = false;
    if (refusedRetry !== null) clearTimeout(refusedRetry);
    refusedRetry = null;
    refusedAttempts = 0;
    everLive = false;
    network?.removeEventListener('offline', onOffline);
    network?.removeEventListener('online', onOnline);
    current?.disconnect();
    for (const id of [...pending.keys()]) {
      settle(id, { ok: false, error: { code: 'unavailable', message: 'Signed out' } });
    }
    store
      .getState()
      .setConnection({ status: ConnectionStatus.idle, error: null, lostAt: null, recovered: null });
  }

  return {
    start(nextToken) {
      if (socket && token === nextToken) return;
      stop();
      token = nextToken;
      setStatus(ConnectionStatus.connecting);
      const created = connect(() => ({
        token: nextToken,
        lastSeq: store.getState().lastSeq,
        protocolVersion: PROTOCOL_VERSION,
      }));
      socket = created;
      created.on('connect', onConnect);
      for (const name of SERVER_MESSAGES) listen(created, name);
      created.on('disconnect', onDisconnect);
      created.on('connect_error', onConnectError);
      network?.addEventListener('offline', onOffline);
      network?.addEventListener('online', onOnline);
      if (network && !network.navigator.onLine) setStatus(ConnectionStatus.offline);
    },
    stop,
    resync,
    watchTicket(ticketId, typing = false) {
      if (watched.get(ticketId) === typing) return;
      watched.set(ticketId, typing);
      if (socket?.connected) socket.emit('presence.watch', { ticketId, typing });
    },
    leaveTicket(ticketId) {
      if (!watched.delete(ticketId)) return;
      if (socket?.connected) socket.emit('presence.leave', { ticketId });
    },
    followWallboard(on) {
      if (wallboardWanted === on) return;
      wallboardWanted = on;
      if (!socket?.connected) return;
      if (on) subscribeWallboard();
      else socket.emit('wallboard.unsubscribe', {});
    },
    sendCommand(input) {
      const command: Command = { ...input, commandId: input.commandId ?? newId() };
      return new Promise<CommandAck>((resolve) => {
        const existing = pending.get(command.commandId);
        if (existing) {
          // The same command again (a retry of an unanswered send): one entry, both answered.
          const first = existing.resolve;
          existing.resolve = (ack) => {
            first(ack);
            resolve(ack);
          };
          return;
        }
        pending.set(command.commandId, { command, resolve, timer: null });
        if (socket?.connected && store.getState().connection.status === ConnectionStatus.live)
          emitCommand(command);
        else {
          queueOffline(command);
          if (socket?.connected) emitCommand(command);
        }
      });
    },
  };
}
