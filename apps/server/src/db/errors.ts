/**
 * What the server may say about a database error, on both drivers. drizzle wraps the driver's
 * error in a `DrizzleQueryError` whose message, `query` and `params` hold the whole statement
 * and its values (a ticket's full state, a password hash), and PGlite's own error carries
 * `query` and `params` too; PostgreSQL's `detail` ("Failing row contains …") and `where`
 * ("JSON data, line 1: …") quote the data. None of that is ever logged or answered: only the
 * SQLSTATE, the server's message (capped) and the statement's first words.
 */

/** The fields of a PostgreSQL error that never quote the data. */
const SAFE_PG_FIELDS = [
  'severity',
  'schema',
  'table',
  'column',
  'dataType',
  'constraint',
  'routine',
] as const;

const MESSAGE_CAP = 200;

interface PgLikeError {
  code: string;
  message: string;
  [k: string]: unknown;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** A five-character SQLSTATE (`22P05`), as both drivers put it in `code`. */
function isSqlState(v: unknown): v is string {
  return typeof v === 'string' && /^[0-9A-Z]{5}$/.test(v);
}

/** The PostgreSQL error in an error's `cause` chain (drizzle wraps it), or null. */
export function findPgError(err: unknown): PgLikeError | null {
  let at: unknown = err;
  for (let depth = 0; depth < 5 && isObject(at); depth += 1) {
    if (isSqlState(at.code) && typeof at.message === 'string') return at as PgLikeError;
    at = at.cause;
  }
  return null;
}

/**
 * Whether the database refused a value as data (SQLSTATE class 22, "data exception": a NUL
 * in jsonb `22P05`, bad UTF-8 `22021`, bad json `22P02`, a string too long `22001` …). Such a
 * command fails the same way every time, so it is answered `invalid` (400), never
 * `unavailable` (503, "retry"), which would have a client retry it for ever.
 */
export function isDataException(err: unknown): boolean {
  const pg = findPgError(err);
  return pg !== null && pg.code.startsWith('22');
}

/** The SQLSTATE of a database error, if it is one. */
export function sqlStateOf(err: unknown): string | undefined {
  return findPgError(err)?.code;
}

/**
 * A statement's first words, cut before the first value it could hold (a `(`, a string literal or
 * a `$n` placeholder): `insert into "tickets"`, `select dutydesk_append`, `update "tickets" set
 * "number" =`.
 */
export function queryHead(query: unknown): string | undefined {
  if (typeof query !== 'string') return undefined;
  // Double-quoted names are identifiers, never data.
  const cut = query.search(/[('$]|\bvalues\b/i);
  const head = (cut === -1 ? query : query.slice(0, cut)).trim().split(/\s+/).slice(0, 6).join(' ');
  return head.slice(0, 80) || undefined;
}

function capMessage(message: string): string {
  return message.length > MESSAGE_CAP ? `${message.slice(0, MESSAGE_CAP)}…` : message;
}

/** The query text of an error's chain (drizzle's or PGlite's `query`), if any. */
function findQuery(err: unknown): unknown {
  let at: unknown = err;
  for (let depth = 0; depth < 5 && isObject(at); depth += 1) {
    if (typeof at.query === 'string') return at.query;
    at = at.cause;
  }
  return undefined;
}

/** Keys of a plain (non-database) error that are safe to log: never a body, params or rows. */
const SAFE_ERROR_KEYS = [
  'code',
  'status',
  'statusCode',
  'errno',
  'syscall',
  'address',
  'port',
] as const;

/**
 * A loggable summary of any error, safe by construction: its type, a message with no
 * statement or values in it, the stack's frames, the SQLSTATE and safe fields of a database
 * error, the statement's first words, and the same for its `cause` (a few levels). Unknown
 * properties are dropped, so a new driver field or an error carrying a request body cannot
 * leak into the log.
 */
export function summarizeError(err: unknown, depth = 0): Record<string, unknown> {
  if (!(err instanceof Error) && !isObject(err)) return { message: capMessage(String(err)) };
  const e = err as Record<string, unknown> & { message?: unknown; stack?: unknown; name?: unknown };
  const type =
    (err instanceof Error ? err.constructor.name : undefined) ??
    (typeof e.name === 'string' ? e.name : 'Error');
  const pg = isSqlState(e.code) && typeof e.message === 'string';
  const query = typeof e.query === 'string' ? e.query : findQuery(e.cause);
  const rawMessage = typeof e.message === 'string' ? e.message : '';
  // drizzle's message is `Failed query: <statement>\nparams: <values>`.
  const message = rawMessage.startsWith('Failed query:')
    ? `Failed query: ${queryHead(query) ?? '(statement withheld)'}`
    : capMessage(rawMessage);
  const out: Record<string, unknown> = { type, message };
  const head = queryHead(query);
  if (depth === 0) {
    const state = sqlStateOf(err);
    if (state) out.sqlState = state;
    if (head) out.query = head;
  }
  if (typeof e.stack === 'string') {
    const frames = e.stack.split('\n').filter((l) => /^\s+at /.test(l));
    out.stack = [`${type}: ${message}`, ...frames.slice(0, 12)].join('\n');
  }
  for (const k of SAFE_ERROR_KEYS) {
    const v = e[k];
    if (typeof v === 'string' || typeof v === 'number') out[k] = v;
  }
  // body-parser's kind of failure (`entity.parse.failed`), never its `body`.
  if (typeof e.type === 'string') out.errorType = e.type;
  if (pg) {
    for (const k of SAFE_PG_FIELDS) if (typeof e[k] === 'string') out[k] = e[k];
  }
  if (e.cause !== undefined && depth < 3) out.cause = summarizeError(e.cause, depth + 1);
  return out;
}
