import type { ServerConfig } from './config';
import type { Clock } from './clock';
import type { Database } from './db/client';
import type { Logger } from './log';
import type { Metrics } from './features/health/metrics';

/** What every feature gets: the database, the clock, the logger, metrics and hooks into the realtime layer. */
export interface AppContext {
  readonly database: Database;
  readonly clock: Clock;
  readonly log: Logger;
  readonly config: ServerConfig;
  readonly metrics: Metrics;
  /** Disconnects every socket of these sessions, on every node. */
  dropSessions(sessionIds: string[]): void;
}
