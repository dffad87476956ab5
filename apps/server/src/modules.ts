import type { RequestHandler } from 'express';
import type { IncomingMessage } from 'node:http';
import type { CommandBus } from './commands/bus';
import type { StoredEvent } from './features/events/events.repo';
import type { ApiOperation } from './features/openapi/spec';
import type { ConnectionHandler } from './realtime/io';

/**
 * What one server feature brings: its routes, socket handlers, commands, committed-event
 * listener, periodic jobs and start/stop. `server.ts` composes the features' modules in a
 * fixed order; a feature reaches another only through what the other's index exports.
 */
export interface FeatureModule {
  readonly name: string;
  /**
   * Routers and where they mount; `/api` ones come after the JSON body parser, unless
   * `readsOwnBody` (a streamed upload parses its own multipart body).
   */
  readonly http?: ReadonlyArray<{ path: string; handler: RequestHandler; readsOwnBody?: boolean }>;
  /**
   * The OpenAPI description of every route in `http` (`<feature>.openapi.ts`, `defineApi`):
   * `GET /api/openapi.json` is built from these, and a test fails for a route without one.
   */
  readonly openapi?: readonly ApiOperation[];
  /**
   * Requests with `Expect: 100-continue` this feature answers itself (after checking their
   * headers, so a refused upload is never sent); the server sends 100 Continue for all others.
   */
  answersExpectContinue?(req: IncomingMessage): boolean;
  /** Called for every authenticated connection, before the seat's replay (listeners first). */
  readonly socket?: ConnectionHandler;
  /** Called after the seat's hello and replay or snapshot (what must come after them). */
  readonly afterResume?: ConnectionHandler;
  /** Registers the feature's commands on the bus (once, before anything runs). */
  registerCommands?(bus: CommandBus): void;
  /** Periodic jobs, run at the end of every escalation run (handover reports, root causes). */
  readonly jobs?: ReadonlyArray<(now: Date) => Promise<void>>;
  /** Events committed on this node, after they were published to every seat. Must not throw. */
  onCommitted?(events: StoredEvent[]): void;
  /**
   * One-off data steps after the migrations and the SLA settings are loaded, before the server
   * listens (the free-text customers' move to records): in module order, awaited.
   */
  prepare?(): Promise<void>;
  /** Starts background work once the server listens. */
  start?(): void;
  /** Stops background work, waiting for what is in flight (called in reverse order). */
  stop?(): Promise<void> | void;
}
