import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, symbols, type Logger } from 'pino';
import pretty from 'pino-pretty';
import { summarizeError } from './db/errors';

export type { Logger };

/** `DUTYDESK_LOG_FORMAT`: `json` (one object a line), `pretty` (pino-pretty), or unset (auto). */
export type LogFormat = 'json' | 'pretty';

/** What every log line written inside a request or a socket command carries (`reqId`). */
export interface LogScope {
  reqId: string;
}

/**
 * The request or socket command being handled: set by the HTTP middleware and the socket
 * command handler, read by every logger's mixin, so a line written anywhere below (the
 * command bus logs through `ctx.log`) carries the `reqId` without a logger being passed down.
 */
export const logScope = new AsyncLocalStorage<LogScope>();

export const REDACTED = '[Redacted]';

/**
 * A key whose value is never logged, at any depth: compared lowercased with `-` and `_`
 * removed, so `password`, `newPassword`, `x-api-key`, `refresh_token`, `Set-Cookie`,
 * `passwordHash`, `tokenHash`, `clientSecret`, `authorization` all match. Broad on purpose: a
 * key that merely contains `token` (`tokens`, `tokenHash`) is redacted too; a lost count is
 * cheaper than a leaked secret. Not `signature`: the audit checkpoints' Ed25519 signatures are
 * public, and a logged checkpoint is an anchor for `audit verify` (decision 19).
 */
const SECRET_KEY =
  /password|passwd|passphrase|secret|token|apikey|authorization|cookie|credential|privatekey|sessionid/;

const secretKeyCache = new Map<string, boolean>();

export function isSecretKey(key: string): boolean {
  let hit = secretKeyCache.get(key);
  if (hit === undefined) {
    hit = SECRET_KEY.test(key.toLowerCase().replace(/[-_]/g, ''));
    if (secretKeyCache.size < 10_000) secretKeyCache.set(key, hit);
  }
  return hit;
}

/** Deeper than this, an object or array is logged as `[Truncated]` (and cycles end here). */
const MAX_DEPTH = 10;

function isPlainObject(v: object): v is Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * `value` with every secret-named key's value replaced by `[Redacted]`, in plain objects and
 * arrays at any depth. Copy on write: an object without secrets is returned as it is (no
 * allocation on the common path). Class instances (an `Error`, a `Date`, a request) are left
 * alone: `err` goes through `summarizeError`, and pino-http's request and response are never
 * logged whole (server.ts logs a method, a route and a status).
 */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    if (depth >= MAX_DEPTH) return '[Truncated]';
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i += 1) {
      const item: unknown = value[i];
      const next = redactSecrets(item, depth + 1);
      if (next !== item) {
        out ??= value.slice();
        out[i] = next;
      }
    }
    return out ?? value;
  }
  if (!isPlainObject(value)) return value;
  if (depth >= MAX_DEPTH) return '[Truncated]';
  let out: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    const item = value[key];
    const next = isSecretKey(key)
      ? item === undefined
        ? undefined
        : REDACTED
      : key === 'err'
        ? item
        : redactSecrets(item, depth + 1);
    if (next !== item) {
      out ??= { ...value };
      out[key] = next;
    }
  }
  return out ?? value;
}

/** Pretty when writing to a terminal and no format is asked for; JSON otherwise. */
export function resolveLogFormat(format: LogFormat | undefined, isTTY: boolean): LogFormat {
  return format ?? (isTTY ? 'pretty' : 'json');
}

export interface LoggerOptions {
  /** Unset: pretty on a terminal, JSON otherwise (only when writing to stdout). */
  format?: LogFormat;
}

const chindingsSym = symbols.chindingsSym as unknown as string;

/**
 * Structured logs on stdout (JSON, or pino-pretty on a terminal); `silent` in tests. Secrets
 * are redacted at any depth by key (`redactSecrets`), in log objects and child bindings. Errors
 * (the `err` key) are logged through `summarizeError`: type, message, stack frames, SQLSTATE
 * and a statement's first words, never a statement's parameters, a row or a request body (a
 * failing command once wrote its whole ticket to the log twice). A line written inside a
 * request or a socket command carries its `reqId` (`logScope`).
 * @param destination where to write (tests capture it; always JSON); stdout by default
 */
export function createLogger(
  level: string,
  destination?: pino.DestinationStream,
  opts: LoggerOptions = {},
): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'dutydesk' },
    serializers: { err: (err: unknown) => summarizeError(err) },
    formatters: {
      log: (obj) => redactSecrets(obj) as Record<string, unknown>,
    },
    mixin(merge, _level, logger) {
      const scope = logScope.getStore();
      if (!scope || 'reqId' in merge) return {};
      // A child that already binds a reqId (pino-http's req.log) must not get a second one.
      const chindings = (logger as unknown as Record<string, string>)[chindingsSym] ?? '';
      return chindings.includes('"reqId":') ? {} : { reqId: scope.reqId };
    },
  };
  const stream =
    destination ??
    (resolveLogFormat(opts.format, process.stdout.isTTY === true) === 'pretty'
      ? pretty({
          // Colours where the terminal takes them (colorette: a TTY, or FORCE_COLOR). One line
          // an event; an error's stack still unfolds.
          sync: true,
          singleLine: true,
          translateTime: 'SYS:HH:MM:ss.l',
          ignore: 'pid,hostname,service',
        })
      : undefined);
  const root = stream ? pino(options, stream) : pino(options);
  // Child bindings never pass `formatters.log`, and pino resets `formatters.bindings` for
  // children: every child's bindings are redacted here instead (this own `child` is inherited,
  // a child being `Object.create(parent)`).
  const child = root.child;
  root.child = function redactedChild(this: Logger, bindings, childOptions) {
    return child.call(this, redactSecrets(bindings) as pino.Bindings, childOptions);
  } as Logger['child'];
  return root;
}
