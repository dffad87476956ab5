import type { Response } from 'express';
import type { AppContext } from '../context';
import { readKeysOf, readRefused } from '../realtime/readGate';
import { authOf } from './auth';
import { HttpError } from './errors';

/** A slot of the read gate for this request's session, or a 429 with `Retry-After`. */
export function enterReadSlot(ctx: AppContext, res: Response): () => void {
  const release = ctx.readGate.tryEnter(...readKeysOf(authOf(res)));
  if (release) return release;
  const refused = readRefused();
  throw new HttpError('rate_limited', refused.message, undefined, {
    'Retry-After': String(Math.ceil(refused.retryAfterMs / 1000)),
  });
}

/** Runs a heavy read in a slot of the read gate (a 429 with `Retry-After` when none is free). */
export async function withReadSlot<T>(
  ctx: AppContext,
  res: Response,
  work: () => Promise<T>,
): Promise<T> {
  const release = enterReadSlot(ctx, res);
  try {
    return await work();
  } finally {
    release();
  }
}
