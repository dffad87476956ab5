import {
  checkCustomerCommand,
  CommandType,
  makeError,
  parseCommand,
  type Actor,
  type AppError,
  type Command,
  type CommandAck,
  type CommandOf,
} from '@dutydesk/shared';
import type { ServerConfig } from '../config';
import type { Clock } from '../clock';
import type { Database, Tx } from '../db/client';
import { isDataException, sqlStateOf } from '../db/errors';
import type { StoredEvent } from '../features/events/events.repo';
import type { Metrics } from '../features/health/metrics';
import type { Logger } from '../log';
import { claimCommand } from './results.repo';

/** What a command's handler did in the bus's transaction. */
export interface CommandResult {
  ack: CommandAck;
  /** The events it appended (published once the transaction commits). */
  events: StoredEvent[];
  /** Whether anything was stored: a refusal stores nothing. */
  fresh: boolean;
  /**
   * The handler's last statement committed the transaction (PostgreSQL's append with
   * `commitNow`): the command is answered then, not a round trip later.
   */
  committed?: boolean;
}

/** One feature's commands: how to check them before any transaction and how to run them in it. */
export interface CommandSpec<T extends CommandType> {
  types: readonly T[];
  /** Checks that need no transaction (the clock, references): an error refuses the command. */
  precheck?: (actor: Actor, command: CommandOf<T>) => Promise<AppError | null> | AppError | null;
  /**
   * Runs the command in the bus's transaction, after its `commandId` was claimed for this
   * actor. It stores its result for retries (`saveCommandResult`, or the append's rider).
   */
  handle: (tx: Tx, actor: Actor, command: CommandOf<T>) => Promise<CommandResult>;
  /**
   * Runs the command without a bus transaction, in a statement that claims its `commandId`
   * itself (the ticket commands' group commit, decision 56); null, or `{ transaction: true }`
   * once it failed uncommitted: this one takes `handle`'s transaction.
   */
  direct?: (actor: Actor, command: CommandOf<T>) => Promise<DirectResult> | null;
}

/**
 * What a command run outside a bus transaction answers (`CommandSpec.direct`): its result, or
 * the stored first result of its commandId, which the bus answers as a claim does.
 */
export type DirectResult =
  | CommandResult
  | { previous: { actorId: string; result: unknown } }
  /** Not committed: run it in the bus's transaction after all (`handle`). */
  | { transaction: true };

export interface CommandBus {
  /** A feature registers its command types once, at startup; a type has one handler. */
  register<T extends CommandType>(spec: CommandSpec<T>): void;
  /** Parses, limits, runs and publishes one command from a seat or a REST call; never throws an error value. */
  execute(actor: Actor, input: unknown): Promise<CommandAck>;
}

export interface CommandBusDeps {
  database: Database;
  clock: Clock;
  log: Logger;
  metrics: Metrics;
  config: Pick<ServerConfig, 'commandRate'>;
  /** Sends committed events to every seat (`AppContext.publish`). */
  publish(events: StoredEvent[]): void;
}

/** Per-actor token bucket on the server clock: a seat gone wild gets `rate_limited`, the desk keeps serving. */
export class RateLimiter {
  private buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
  ) {}
  take(key: string, nowMs: number): boolean {
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: nowMs };
    // A clock set back (a test's fake clock, an NTP step) refills nothing and takes nothing away.
    const elapsed = Math.max(0, nowMs - b.at);
    b.tokens = Math.min(this.burst, b.tokens + (elapsed / 1000) * this.perSecond);
    b.at = Math.max(b.at, nowMs);
    this.buckets.set(key, b);
    if (this.buckets.size > 10_000) this.buckets.clear();
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}

/**
 * The answer to a commandId another actor already used: a 409 conflict, never their stored
 * result (idempotency is scoped by actor: it could carry a ticket this actor may not see).
 */
export function commandIdTaken(): CommandAck {
  return {
    ok: false,
    error: makeError('conflict', 'This commandId was used by another user; generate a new one', [
      { path: 'commandId', message: 'already used' },
    ]),
  };
}

/**
 * The one command bus (socket and REST, every feature's commands): parse → wallboards refused →
 * rate limit per actor (server clock) → the feature's precheck → in one transaction: claim the
 * `commandId` (a retry by the same actor gets the stored result, another actor's id is refused)
 * and run the feature's handler → ack; then the events are published to every seat. Every
 * outcome is counted and timed by type.
 */
export function createCommandBus(deps: CommandBusDeps): CommandBus {
  const specs = new Map<CommandType, CommandSpec<CommandType>>();
  const limiter = new RateLimiter(deps.config.commandRate, deps.config.commandRate * 4);

  const finish = (type: string, started: number, ack: CommandAck): CommandAck => {
    deps.metrics.commands.inc({ type, outcome: ack.ok ? 'ok' : ack.error.code });
    deps.metrics.commandSeconds.observe({ type }, (performance.now() - started) / 1000);
    return ack;
  };

  async function run(actor: Actor, command: Command, started: number): Promise<CommandAck> {
    const spec = specs.get(command.type);
    if (!spec) {
      return finish(command.type, started, {
        ok: false,
        error: makeError('unavailable', `No handler for ${command.type} on this server`),
      });
    }
    if (actor.roles.includes('wallboard') && actor.roles.length === 1) {
      return finish(command.type, started, {
        ok: false,
        error: makeError('forbidden', 'Wallboards are read-only'),
      });
    }
    // A customer (decision 52) sends only the customer's commands, in the customer's form.
    const notForCustomers = checkCustomerCommand(actor, command);
    if (notForCustomers)
      return finish(command.type, started, { ok: false, error: notForCustomers });
    if (!limiter.take(actor.id, deps.clock.now().getTime())) {
      return finish(command.type, started, {
        ok: false,
        error: makeError('rate_limited', 'Too many commands; slow down'),
      });
    }
    const refused = spec.precheck ? await spec.precheck(actor, command) : null;
    if (refused) return finish(command.type, started, { ok: false, error: refused });
    let published: StoredEvent[] = [];
    let ack: CommandAck;
    // The transaction path: claim the commandId, run the handler, commit.
    const runInTransaction = async (): Promise<CommandAck> => {
      let committed: (ack: CommandAck) => void = () => {};
      let answeredEarly = false;
      const early = new Promise<CommandAck>((resolve) => (committed = resolve));
      const done = deps.database.db.transaction(async (tx) => {
        // Retries of one commandId wait for each other here, then find the first result.
        const previous = await claimCommand(tx, command.commandId);
        if (previous)
          return previous.actorId === actor.id ? (previous.result as CommandAck) : commandIdTaken();
        const r = await spec.handle(tx, actor, command);
        published = r.fresh ? r.events : [];
        if (r.committed) {
          answeredEarly = true;
          committed(r.ack);
        }
        return r.ack;
      });
      // Only a failure after the early answer is news here; any other is logged once below.
      done.catch((err: unknown) => {
        if (answeredEarly) deps.log.warn({ err }, 'closing a command transaction failed');
      });
      return Promise.race([done, early]);
    };
    try {
      const direct = spec.direct ? spec.direct(actor, command) : null;
      if (direct) {
        const r = await direct;
        if ('transaction' in r) ack = await runInTransaction();
        else if ('previous' in r) {
          ack =
            r.previous.actorId === actor.id ? (r.previous.result as CommandAck) : commandIdTaken();
        } else {
          ack = r.ack;
          published = r.fresh ? r.events : [];
        }
      } else ack = await runInTransaction();
    } catch (err) {
      // Logged through the logger's err serializer: SQLSTATE and the statement's first words,
      // never its parameters (the ticket's whole state) nor the command's payload.
      if (isDataException(err)) {
        deps.log.warn({ err, type: command.type }, 'command refused by the database as data');
        return finish(command.type, started, {
          ok: false,
          error: makeError(
            'invalid',
            `The database cannot store a value of this command (SQLSTATE ${sqlStateOf(err) ?? '22000'}); it was not stored, and sending it again will fail the same way`,
          ),
        });
      }
      deps.log.error({ err, type: command.type }, 'command failed');
      return finish(command.type, started, {
        ok: false,
        error: makeError(
          'unavailable',
          'The command could not be stored; retry with the same commandId',
        ),
      });
    }
    if (published.length > 0) deps.publish(published);
    return finish(command.type, started, ack);
  }

  return {
    register(spec) {
      for (const type of spec.types) {
        if (specs.has(type)) throw new Error(`command ${type} registered twice`);
        specs.set(type, spec as unknown as CommandSpec<CommandType>);
      }
    },
    async execute(actor, input) {
      const started = performance.now();
      const parsed = parseCommand(input);
      if (!parsed.ok) return finish('unknown', started, { ok: false, error: parsed.error });
      try {
        return await run(actor, parsed.command, started);
      } catch (err) {
        // A throw (a precheck's database read, a handler's bug) is counted, then left to the
        // caller (the socket answers `internal`, REST a 500).
        const type = parsed.command.type;
        const label = (CommandType as readonly string[]).includes(type) ? type : 'unknown';
        deps.metrics.commands.inc({ type: label, outcome: 'crashed' });
        deps.metrics.commandSeconds.observe({ type: label }, (performance.now() - started) / 1000);
        throw err;
      }
    },
  };
}
