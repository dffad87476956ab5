/**
 * The one socket of the console, outside React. It parses every message with
 * the contract, feeds events through the sequencer into the store, resyncs on
 * gaps, keeps the connection status honest and carries commands with retry.
 */
import { io } from 'socket.io-client';
import type { AppStore } from '../store/appStore';
import { ConnectionStatus } from '../store/slices/connection';
import {
  commandAckSchema,
  eventSchema,
  helloSchema,
  presenceSchema,
  PROTOCOL_VERSION,
  snapshotSchema,
} from './contract';
import type { Command, CommandAck, CommandInput, DomainEvent } from './contract';
import { sequenceEvents } from './sequencer';

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
  store: AppStore;
  connect?: ConnectSocket;
  now?: () => number;
  newId?: () => string;
  /** How long a command may wait for an answer, across reconnects. */
  commandTimeoutMs?: number;
  /** Runs a batch flush; defaults to the next task so bursts apply in one store update. */
  schedule?: (flush: () => void) => void;
  /** Browser network status events; absent outside a browser. */
  network?: Pick<Window, 'addEventListener' | 'removeEventListener'> & {
    navigator: { onLine: boolean };
  };
  /** The server refused the token: the session is over. */
  onUnauthorized?: (message: string) => void;
}

export interface RealtimeBridge {
  start(token: string): void;
  stop(): void;
  /** Sends a command; resolves with the ack (errors are values, never rejections). */
  sendCommand(input: CommandInput & { commandId?: string }): Promise<CommandAck>;
  /** Drops the connection and resumes from the last applied seq. */
  resync(): void;
}

interface PendingCommand {
  command: Command;
  resolve(ack: CommandAck): void;
  timer: ReturnType<typeof setTimeout>;
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
  } = options;

  let socket: SocketLike | null = null;
  let token: string | null = null;
  let everLive = false;
  let buffer: DomainEvent[] = [];
  let flushScheduled = false;
  const pending = new Map<string, PendingCommand>();

  const setStatus = (status: ConnectionStatus, error: string | null = null): void =>
    store.getState().setConnection({ status, error });

  const flush = (): void => {
    flushScheduled = false;
    if (buffer.length === 0) return;
    const events = buffer;
    buffer = [];
    const state = store.getState();
    const batch = sequenceEvents(state.lastSeq, events);
    if (batch.apply.length > 0) {
      state.applyEvents(batch.apply);
      state.setConnection({ lastEventAt: now() });
    }
    if (batch.gap) resync();
  };

  const enqueue = (event: DomainEvent): void => {
    buffer.push(event);
    if (!flushScheduled) {
      flushScheduled = true;
      schedule(flush);
    }
  };

  const emitCommand = (command: Command): void => {
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
    clearTimeout(entry.timer);
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
    setStatus(ConnectionStatus.live);
  };

  const onSnapshot = (raw: unknown): void => {
    const snapshot = snapshotSchema.safeParse(raw);
    if (!snapshot.success) return;
    flush();
    const state = store.getState();
    state.loadSnapshot(snapshot.data);
    state.setConnection({ lastEventAt: now() });
  };

  const onEvent = (raw: unknown): void => {
    const event = eventSchema.safeParse(raw);
    if (event.success) enqueue(event.data);
  };

  const onPresence = (raw: unknown): void => {
    const presence = presenceSchema.safeParse(raw);
    if (presence.success) store.getState().setPresence(presence.data);
  };

  const onConnect = (): void => {
    for (const entry of pending.values()) emitCommand(entry.command);
  };

  const onDisconnect = (reason: string): void => {
    buffer = [];
    if (!socket) return;
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

  const onOffline = (): void => setStatus(ConnectionStatus.offline);
  const onOnline = (): void => {
    if (!socket) return;
    setStatus(everLive ? ConnectionStatus.reconnecting : ConnectionStatus.connecting);
    if (!socket.active) socket.connect();
  };

  function resync(): void {
    if (!socket) return;
    buffer = [];
    socket.disconnect();
    setStatus(everLive ? ConnectionStatus.reconnecting : ConnectionStatus.connecting);
    socket.connect();
  }

  function stop(): void {
    const current = socket;
    socket = null;
    token = null;
    buffer = [];
    everLive = false;
    network?.removeEventListener('offline', onOffline);
    network?.removeEventListener('online', onOnline);
    current?.disconnect();
    for (const id of [...pending.keys()]) {
      settle(id, { ok: false, error: { code: 'unavailable', message: 'Signed out' } });
    }
    store.getState().setConnection({ status: ConnectionStatus.idle, error: null });
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
      created.on('presence', onPresence);
      created.on('disconnect', onDisconnect);
      created.on('connect_error', onConnectError);
      network?.addEventListener('offline', onOffline);
      network?.addEventListener('online', onOnline);
      if (network && !network.navigator.onLine) setStatus(ConnectionStatus.offline);
    },
    stop,
    resync,
    sendCommand(input) {
      const command: Command = { ...input, commandId: input.commandId ?? newId() };
      return new Promise<CommandAck>((resolve) => {
        const timer = setTimeout(
          () =>
            settle(command.commandId, {
              ok: false,
              error: { code: 'unavailable', message: 'No answer from the server' },
            }),
          commandTimeoutMs,
        );
        pending.set(command.commandId, { command, resolve, timer });
        if (socket?.connected) emitCommand(command);
      });
    },
  };
}
