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
  ) {
    super(message);
  }
  get status(): number {
    return statusOf[this.code];
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
    const e = err as { type?: string; status?: number; message?: string };
    if (e.type === 'entity.parse.failed') {
      res.status(400).json({ error: { code: 'invalid', message: 'Malformed JSON body' } });
      return;
    }
    if (e.type === 'entity.too.large') {
      res.status(413).json({
        error: { code: 'payload_too_large', message: 'Request body too large (limit 1 MB)' },
      });
      return;
    }
    if (e.type === 'charset.unsupported' || e.type === 'encoding.unsupported') {
      res
        .status(415)
        .json({ error: { code: 'invalid', message: e.message ?? 'Unsupported encoding' } });
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
