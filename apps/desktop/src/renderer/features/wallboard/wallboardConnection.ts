import { io, type Socket } from 'socket.io-client';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { wallboardMetricsSchema, type WallboardMetrics } from './metrics';

export const WallboardStatus = {
  connecting: 'connecting',
  live: 'live',
  reconnecting: 'reconnecting',
  unauthorized: 'unauthorized',
} as const;
export type WallboardStatus = (typeof WallboardStatus)[keyof typeof WallboardStatus];

/** Everything the wallboard shows: the latest metrics only, never a growing history. */
export interface WallboardState {
  status: WallboardStatus;
  metrics: WallboardMetrics | null;
  /** Local time the latest metrics arrived. */
  receivedAt: number | null;
  /** Server clock minus local clock, from the latest metrics. */
  serverOffsetMs: number;
}

/** Reconnect backoff: 1 s doubling to 30 s, with jitter; forever. */
export const BACKOFF = { initialMs: 1_000, maxMs: 30_000 } as const;

/**
 * Computes the n-th retry delay: exponential, capped, ±25 % jitter.
 * @example computeBackoff(10, () => 0.5) // 30000
 */
export function computeBackoff(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(BACKOFF.maxMs, BACKOFF.initialMs * 2 ** Math.min(attempt, 16));
  return Math.round(base * (0.75 + random() * 0.5));
}

export interface WallboardConnection {
  readonly store: StoreApi<WallboardState>;
  stop(): void;
}

export interface ConnectOptions {
  token: string;
  /** Staff sessions must ask for the metrics; device sessions get them by role. */
  subscribe: boolean;
  url?: string;
  connect?: typeof io;
}

/**
 * One socket for the wallboard: metrics pushed by the server, no polling. Network drops
 * reconnect forever with capped exponential backoff; a refused token (revoked, expired)
 * clears the board and keeps retrying slowly, in case an administrator restores it.
 */
export function startWallboardConnection(opts: ConnectOptions): WallboardConnection {
  const store = createStore<WallboardState>()(() => ({
    status: WallboardStatus.connecting,
    metrics: null,
    receivedAt: null,
    serverOffsetMs: 0,
  }));
  const connect = opts.connect ?? io;
  const socket: Socket = connect(opts.url ?? '', {
    auth: { token: opts.token },
    transports: ['websocket', 'polling'],
    reconnection: true,
    reconnectionAttempts: Infinity,
    reconnectionDelay: BACKOFF.initialMs,
    reconnectionDelayMax: BACKOFF.maxMs,
    randomizationFactor: 0.25,
  });
  let retry: ReturnType<typeof setTimeout> | null = null;
  let attempt = 0;
  let stopped = false;

  const retryLater = (): void => {
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = null;
      if (!stopped && !socket.connected) socket.connect();
    }, computeBackoff(attempt++));
  };

  socket.on('connect', () => {
    attempt = 0;
    if (opts.subscribe) socket.emit('wallboard.subscribe', {});
  });
  socket.on('hello', () => {
    store.setState({ status: WallboardStatus.live });
  });
  socket.on('wallboard.metrics', (payload: unknown) => {
    const parsed = wallboardMetricsSchema.safeParse(payload);
    if (!parsed.success) return;
    const now = Date.now();
    store.setState({
      status: WallboardStatus.live,
      metrics: parsed.data,
      receivedAt: now,
      serverOffsetMs: Date.parse(parsed.data.generatedAt) - now,
    });
  });
  socket.on('disconnect', (reason) => {
    if (stopped) return;
    if (store.getState().status !== WallboardStatus.unauthorized) {
      store.setState({ status: WallboardStatus.reconnecting });
    }
    // The server hung up (revocation, expiry, restart): socket.io leaves that to us.
    if (reason === 'io server disconnect') retryLater();
  });
  socket.on('connect_error', (err: Error) => {
    if (stopped) return;
    if (/^unauthorized/.test(err.message)) {
      store.setState({ status: WallboardStatus.unauthorized, metrics: null, receivedAt: null });
    } else if (store.getState().status !== WallboardStatus.unauthorized) {
      store.setState({
        status: store.getState().metrics
          ? WallboardStatus.reconnecting
          : WallboardStatus.connecting,
      });
    }
    // Middleware refusals do not auto-reconnect; transport failures do.
    if (!socket.active) retryLater();
  });

  return {
    store,
    stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
      socket.removeAllListeners();
      socket.disconnect();
    },
  };
}
