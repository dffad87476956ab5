import type { ServerConfig } from './config';
import type { Clock } from './clock';
import type { Database } from './db/client';
import type { Logger } from './log';
import type { Metrics } from './features/health/metrics';
import type { StoredEvent } from './features/events/events.repo';
import type { SlaSettings } from './features/sla/settings';
import type { CommandBus } from './commands/bus';
import type { ReadGate } from './realtime/readGate';
import type { SlaRuntime } from './features/sla/runtime';

/** What every feature gets: the database, the clock, the logger, metrics and hooks into the realtime layer. */
export interface AppContext {
  readonly database: Database;
  readonly clock: Clock;
  readonly log: Logger;
  readonly config: ServerConfig;
  readonly metrics: Metrics;
  /** SLA policy and calendars in force. */
  sla: SlaSettings;
  /** The SLA feature's state on this node (re-plan runs, threshold listeners, the scheduler's wake-up). */
  readonly slaRuntime: SlaRuntime;
  /** The one command bus: every feature registers its commands here, every caller executes through it. */
  readonly commands: CommandBus;
  /** Heavy reads in flight, per session token and on this node. */
  readonly readGate: ReadGate;
  /** Disconnects every socket of these sessions, on every node. */
  dropSessions(sessionIds: string[]): void;
  /**
   * Sends committed events to every seat that may see them, on every node, then to the
   * features' committed-event listeners (their modules' `onCommitted`, on this node only).
   */
  publish(events: StoredEvent[]): void;
}
