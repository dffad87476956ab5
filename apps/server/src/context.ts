import type { Actor } from '@dutydesk/shared';
import type { ServerConfig } from './config';
import type { Clock } from './clock';
import type { Database } from './db/client';
import type { Logger } from './log';
import type { Metrics } from './features/health/metrics';
import type { StoredEvent } from './features/events/events.repo';
import type { SlaSettings } from './features/sla/settings';
import type { CommandAck } from './features/tickets/tickets.commands';

/** A command handled outside the ticket bus (`alert.ack`). */
export type CommandHandler = (
  actor: Actor,
  command: { commandId: string; type: string } & Record<string, unknown>,
) => Promise<CommandAck>;

/** What every feature gets: the database, the clock, the logger, metrics and hooks into the realtime layer. */
export interface AppContext {
  readonly database: Database;
  readonly clock: Clock;
  readonly log: Logger;
  readonly config: ServerConfig;
  readonly metrics: Metrics;
  /** SLA policy and calendars in force. */
  sla: SlaSettings;
  /** Handlers for commands that are not ticket commands, by type. */
  readonly commandHandlers: Map<string, CommandHandler>;
  /** Disconnects every socket of these sessions, on every node. */
  dropSessions(sessionIds: string[]): void;
  /** Sends committed events to every seat that may see them, on every node, then tells `committedListeners`. */
  publish(events: StoredEvent[]): void;
  /**
   * Called on the node that committed them, after publishing: features that react to events
   * (escalation on `sla.breached`, wallboard metrics) subscribe here. A listener must not throw.
   */
  readonly committedListeners: Array<(events: StoredEvent[]) => void>;
}
