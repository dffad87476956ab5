import type { Request } from 'express';
import { HttpError } from './errors';

/** The earliest instant a query may name: before it nothing of the desk's can exist. */
export const MIN_QUERY_INSTANT = Date.UTC(1970, 0, 1);
/** The latest instant a query may name (PostgreSQL and every ISO-8601 reader agree up to here). */
export const MAX_QUERY_INSTANT = Date.UTC(2200, 0, 1);

const ISO_INSTANT =
  /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/;

/**
 * Reads an ISO-8601 instant (`2026-03-02T02:00:00Z`, an offset, or a bare date read as UTC
 * midnight) from the query string. Anything else, a repeated parameter, or an instant outside
 * 1970–2200 answers 400 naming the parameter; absent gives `fallback`, or 400 without one.
 * Every route that takes a date in its query reads it here.
 */
export function readInstantParam(req: Request, name: string, fallback?: Date): Date {
  const raw = req.query[name];
  if (raw === undefined && fallback !== undefined) return fallback;
  const text = typeof raw === 'string' ? raw.trim() : '';
  const ms = ISO_INSTANT.test(text) ? Date.parse(text) : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new HttpError('invalid', `${name} must be an ISO-8601 instant`, [
      { path: name, message: 'expected an ISO-8601 instant like 2026-03-02T02:00:00Z' },
    ]);
  }
  if (ms < MIN_QUERY_INSTANT || ms >= MAX_QUERY_INSTANT) {
    throw new HttpError('invalid', `${name} must be between 1970 and 2200`, [
      { path: name, message: 'out of range (1970-01-01 to 2200-01-01)' },
    ]);
  }
  return new Date(ms);
}
