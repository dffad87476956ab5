import type { AppError, ErrorCode, FieldError } from '@dutydesk/shared';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { isDataException, sqlStateOf } from '../db/errors';
import type { Logger } from '../log';

const statusOf: Record<ErrorCode, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

/** An error that answers as `{ error: { code, message, fields? } }` with the matching status. */
export class HttpError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: FieldError[],
    readonly headers?: Record<string, string>,
    /** A status other than the code's own (415 for a wrong media type, which is `invalid`). */
    private readonly statusOverride?: number,
  ) {
    super(message);
  }
  get status(): number {
    return this.statusOverride ?? statusOf[this.code];
  }
}

/** The HTTP status for an error value (commands answered over REST). */
export function statusForError(error: AppError): number {
  return statusOf[error.code];
}

export const notFoundHandler: RequestHandler = (req, res) => {
  res
    .status(404)
    .json({ error: { code: 'not_found', message: `No route ${req.method} ${req.path}` } });
};

/** Fixed messages for the request errors Express and body-parser raise (`err.type`). */
const clientMessages: Record<string, string> = {
  'entity.parse.failed': 'Malformed JSON body',
  'entity.too.large': 'Request body too large (limit 1 MB)',
  'entity.verify.failed': 'Request body refused',
  'request.aborted': 'The request body was cut short',
  'request.size.invalid': 'The request body does not match its Content-Length',
  'charset.unsupported': 'Unsupported charset: send UTF-8',
  'encoding.unsupported': 'Unsupported Content-Encoding: send identity, gzip, deflate or br',
  'parameters.too.many': 'Too many parameters',
};

const codeByStatus: Partial<Record<number, ErrorCode>> = {
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  413: 'payload_too_large',
  429: 'rate_limited',
};

/**
 * A 4xx raised by the HTTP layer itself (body-parser, raw-body, the router's URL decoding, a
 * body that does not decompress as its `Content-Encoding` says) as a clear answer instead of a
 * 500. Their own messages are not echoed (a zlib or parser message says nothing useful and may
 * quote the body); a fixed one per kind is.
 */
function describeClientError(
  err: unknown,
): { status: number; code: ErrorCode; message: string } | null {
  const e = err as { type?: unknown; status?: unknown; statusCode?: unknown; code?: unknown };
  const status = typeof e.status === 'number' ? e.status : e.statusCode;
  if (typeof status !== 'number' || status < 400 || status > 499) return null;
  const type = typeof e.type === 'string' ? e.type : '';
  const zlib = typeof e.code === 'string' && e.code.startsWith('Z_');
  const message =
    clientMessages[type] ??
    (zlib ? 'The body does not decode as its Content-Encoding says' : 'Bad request');
  return { status, code: codeByStatus[status] ?? 'invalid', message };
}

/** Last middleware: every error becomes JSON, never an HTML page or a stack trace. */
export function createErrorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    if (err instanceof HttpError) {
      if (err.headers) res.set(err.headers);
      const body: AppError = err.fields
        ? { code: err.code, message: err.message, fields: err.fields }
        : { code: err.code, message: err.message };
      res.status(err.status).json({ error: body });
      return;
    }
    const client = describeClientError(err);
    if (client) {
      res.status(client.status).json({ error: { code: client.code, message: client.message } });
      return;
    }
    if (isDataException(err)) {
      // The database refused a value as data (SQLSTATE class 22): the same request fails the
      // same way again, so it is the caller's 400, not a 500.
      log.warn({ err, path: req.path }, 'request refused by the database as data');
      res.status(400).json({
        error: {
          code: 'invalid',
          message: `The database cannot store a value of this request (SQLSTATE ${sqlStateOf(err) ?? '22000'})`,
        },
      });
      return;
    }
    log.error({ err, path: req.path }, 'unhandled error');
    res.status(500).json({ error: { code: 'internal', message: 'Internal error' } });
  };
}
