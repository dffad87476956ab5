import { toFieldErrors } from '@dutydesk/shared';
import express, { type Request, type RequestHandler } from 'express';
import type { z } from 'zod';
import { HttpError } from './errors';

/** Request bodies larger than this answer 413. */
export const BODY_LIMIT = '1mb';
/** Arrays and objects nested deeper than this answer 400 (no payload needs more than a few). */
export const MAX_JSON_DEPTH = 32;

/** Media types a route may read besides JSON (the calendar import reads iCalendar text). */
const TEXT_TYPES = ['text/calendar', 'text/plain'];

/** Depth of nested arrays/objects, walked without recursion so a deep body cannot overflow. */
export function measureJsonDepth(value: unknown, stopAt: number): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (node === null || typeof node !== 'object') continue;
    const here = depth + 1;
    if (here > max) max = here;
    if (max > stopAt) return max;
    for (const child of Object.values(node as object)) {
      if (child !== null && typeof child === 'object') stack.push([child, here]);
    }
  }
  return max;
}

function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
  const length = headers['content-length'];
  if (headers['transfer-encoding'] !== undefined) return true;
  return length !== undefined && length !== '0';
}

/**
 * The API's body handling: JSON up to {@link BODY_LIMIT} and {@link MAX_JSON_DEPTH} levels
 * deep; iCalendar or plain text left for the route that reads it; any other media type with a
 * body answers 415. Errors from the parser (malformed JSON, a body that does not decode as its
 * `Content-Encoding` says, too large) reach the error handler as 4xx.
 */
export function createBodyParsing(): RequestHandler[] {
  const json = express.json({ limit: BODY_LIMIT, strict: true });
  const mediaType: RequestHandler = (req, _res, next) => {
    if (!hasBody(req.headers) || req.is(['json', '+json', ...TEXT_TYPES])) {
      next();
      return;
    }
    next(
      new HttpError(
        'invalid',
        'Unsupported Content-Type: send application/json',
        [{ path: 'content-type', message: 'expected application/json' }],
        undefined,
        415,
      ),
    );
  };
  const depth: RequestHandler = (req, _res, next) => {
    const body: unknown = req.body;
    if (
      body !== null &&
      typeof body === 'object' &&
      measureJsonDepth(body, MAX_JSON_DEPTH) > MAX_JSON_DEPTH
    ) {
      next(
        new HttpError('invalid', `JSON nested deeper than ${MAX_JSON_DEPTH} levels`, [
          { path: '', message: `at most ${MAX_JSON_DEPTH} levels of arrays and objects` },
        ]),
      );
      return;
    }
    next();
  };
  return [mediaType, json, depth];
}

/**
 * A request body checked against its schema, or a 400 `invalid` naming the first field at fault
 * (every field in the error's `fields`). `what` names the body in the message: "webhook".
 */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const r = schema.safeParse(body ?? {});
  if (!r.success) {
    const fields = toFieldErrors(r.error.issues);
    const first = fields[0];
    throw new HttpError(
      'invalid',
      first
        ? `Invalid ${what}: ${first.path ? `${first.path}: ` : ''}${first.message}`
        : `Invalid ${what}`,
      fields,
    );
  }
  return r.data;
}

/** The request's query parameters, each given once (a repeated one answers 400 naming it). */
export function singleQuery(req: Request): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(req.query)) {
    if (Array.isArray(v))
      throw new HttpError('invalid', `Give ${k} once`, [{ path: k, message: 'repeated' }]);
    out[k] = v;
  }
  return out;
}
