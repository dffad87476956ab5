import type { StateCreator } from 'zustand';
import type { AppState } from '../../store/appStore';

/**
 * `idle`: not signed in. `connecting`: first attempt. `live`: hello received,
 * events flow. `reconnecting`: lost, retrying. `offline`: the browser has no
 * network or the server refused us (see `error`).
 */
export const ConnectionStatus = {
  idle: 'idle',
  connecting: 'connecting',
  live: 'live',
  reconnecting: 'reconnecting',
  offline: 'offline',
} as const;
export type ConnectionStatus = (typeof ConnectionStatus)[keyof typeof ConnectionStatus];

export interface ConnectionState {
  status: ConnectionStatus;
  /** Server clock minus local clock, measured from `hello.serverTime`. */
  serverOffsetMs: number;
  /** Local time of the last event, snapshot or hello received. */
  lastEventAt: number | null;
  /** Why we are offline (refused token, protocol mismatch), if known. */
  error: string | null;
  /**
   * The server speaks another protocol version: `clientTooOld` (this page must be reloaded to
   * get the server's console) or `serverTooOld` (the server must be updated).
   */
  incompatible: 'clientTooOld' | 'serverTooOld' | null;
  /** Local time the live connection was lost; null while live or before the first hello. */
  lostAt: number | null;
  /** The last return after a loss: how many events the server had for us, and when. */
  recovered: { events: number; at: number } | null;
}

export interface ConnectionSlice {
  connection: ConnectionState;
  setConnection(patch: Partial<ConnectionState>): void;
}

export const createConnectionSlice: StateCreator<AppState, [], [], ConnectionSlice> = (set) => ({
  connection: {
    status: ConnectionStatus.idle,
    serverOffsetMs: 0,
    lastEventAt: null,
    error: null,
    incompatible: null,
    lostAt: null,
    recovered: null,
  },
  setConnection: (patch) => set((state) => ({ connection: { ...state.connection, ...patch } })),
});
