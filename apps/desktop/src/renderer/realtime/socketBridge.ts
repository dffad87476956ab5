/**
 * The one socket of the console, outside React. It parses every message with
 * the shared contract, puts events in seq order (holding early ones briefly),
 * repairs a lasting gap with `sync` (a reconnect only if that fails), keeps
 * the connection status honest, carries commands with retry and presence.
 */
import { io } from 'socket.io-client';
import type { AppStore } from '../store/appStore';
import { toAlertFromList } from '../features/alerts/alerts.slice';
import { ConnectionStatus } from '../features/connection/connection.slice';
import {
  commandAckSchema,
  eventSchema,
  helloSchema,
  openAlertSchema,
  openAlertsMessageSchema,
  presenceSchema,
  PROTOCOL_VERSION,
  snapshotSchema,
  syncAckSchema,
} from './contract';
import type { Command, CommandAck, CommandInput, DomainEvent } from './contract';
import { createReorderBuffer, MAX_HELD_EVENTS } from './sequencer';

/** The part of a socket.io client socket the bridge uses (a fake in tests). */
export interface SocketLike {
  readonly connected: boolean;
  readonly active: boolean;
  on(event: string, listener: (...args: never[]) => void): unknown;
  emit(event: string, ...args: unknown[]): unknown;
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

export const connectSocketIo: ConnectSocket = (auth) =>
  io({
    auth: (callback) => callback(auth()),
    transports: ['websocket'],
    reconnectionDelay: 500,
    reconnectionDelayMax: 10_000,
  }) as unknown as SocketLike;

export interface BridgeOptions {
  /** A `notification` message (a handoff notice for this user or their group), unparsed. */
  onNotification?: (raw: unknown) => void;
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
  const onHead = (raw: unknown): void => {
    const seq = (raw as { seq?: unknown } | null)?.seq;
    if (typeof seq === 'number' && seq > store.getState().lastSeq && reorder.size === 0)
      requestSync();
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
        const wait = (raw as { error?: { retryAfterMs?: unknown } }).error?.retryAfterMs;
        const ms = typeof wait === 'number' && wait > 0 && wait <= 60_000 ? wait : 1_000;
        setTimeout(() => {
          if (myEpoch === epoch) requestSync();
        }, ms);
        return;
      }
      if (!ack.success || !ack.data.ok) {
        resync();
        return;
      }
      const events: DomainEvent[] = [];
      for (const item of ack.data.events) {
        const event = eventSchema.safeParse(item);
        if (event.success) events.push(event.data);
      }
      deliver(events);
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
          ? (parsed.data as CommandAck)
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

  const onHello = (raw: unknown): void => {
    const hello = helloSchema.safeParse(raw);
    if (!hello.success) {
      socket?.disconnect();
      setStatus(ConnectionStatus.offline, 'The server sent an unreadable greeting');
      return;
    }
    if (hello.data.protocolVersion !== PROTOCOL_VERSION) {
      const side = hello.data.protocolVersion > PROTOCOL_VERSION ? 'clientTooOld' : 'serverTooOld';
      socket?.disconnect();
      setStatus(ConnectionStatus.offline, side);
      return;
    }
    const at = now();
    const state = store.getState();
    state.setConnection({
      serverOffsetMs: Date.parse(hello.data.serverTime) - at,
      lastEventAt: at,
    });
    if (hello.data.seq < state.lastSeq) {
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
        ? { recovered: { events: Math.max(0, hello.data.seq - state.lastSeq), at: at } }
        : {}),
    });
  };

  const onSnapshot = (raw: unknown): void => {
    const snapshot = snapshotSchema.safeParse(raw);
    if (!snapshot.success) return;
    const early = buffer;
    buffer = [];
    const state = store.getState();
    state.loadSnapshot(snapshot.data);
    state.setConnection({ lastEventAt: now() });
    // Events published while the snapshot was read: the reorder buffer drops what it covers.
    deliver(early);
  };

  const onEvent = (raw: unknown): void => {
    const event = eventSchema.safeParse(raw);
    if (event.success) enqueue(event.data);
  };

  const onPresence = (raw: unknown): void => {
    const presence = presenceSchema.safeParse(raw);
    if (presence.success) store.getState().setPresence(presence.data);
  };

  const onAlerts = (raw: unknown): void => {
    const message = openAlertsMessageSchema.safeParse(raw);
    if (!message.success) return;
    const open = [];
    for (const item of message.data.alerts) {
      const alert = openAlertSchema.safeParse(item);
      if (alert.success) open.push(toAlertFromList(alert.data));
    }
    store
      .getState()
      .mergeOpenAlerts(
        open,
        openAlertsAtConnect,
        new Date(now() + store.getState().connection.serverOffsetMs).toISOString(),
      );
  };

  const onConnect = (): void => {
    openAlertsAtConnect = Object.values(store.getState().alerts)
      .filter((a) => a.ackedAt === null)
      .map((a) => a.id);
    for (const entry of pending.values()) emitCommand(entry.command);
    for (const [ticketId, typing] of watched) socket?.emit('presence.watch', { ticketId, typing });
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
      setStatus(ConnectionStatus.offline, error.message);
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
      created.on('hello', onHello);
      created.on('event', onEvent);
      created.on('snapshot', onSnapshot);
      created.on('head', onHead);
      created.on('presence', onPresence);
      created.on('alerts', onAlerts);
      created.on('notification', (raw: unknown) => onNotification?.(raw));
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
