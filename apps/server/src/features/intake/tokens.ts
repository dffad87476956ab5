/**
 * Integration tokens (decision 41): `ddi_` and 32 random bytes, shown once, stored as their
 * SHA-256. A token is not a session: `requireAuth` and the socket handshake never accept it,
 * and only the intake doors read it (`requireIntegration`).
 */
import type { RequestHandler } from 'express';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { AppContext } from '../../context';
import { bearerToken } from '../../http/auth';
import { HttpError } from '../../http/errors';
import {
  countLiveIntegrations,
  findIntegrationByHash,
  insertIntegration,
  touchIntegration,
  type IntegrationRecord,
} from './intake.repo';
import type { IntegrationView } from './intake.schemas';

/** Live integration tokens a desk may hold. */
export const MAX_INTEGRATIONS = 200;
const TOKEN_PREFIX = 'ddi_';

export function hashIntegrationToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function toIntegrationView(r: IntegrationRecord): IntegrationView {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    createdAt: r.createdAt.toISOString(),
    lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
    revokedAt: r.revokedAt?.toISOString() ?? null,
  };
}

export async function createIntegration(
  ctx: AppContext,
  input: { name: string; kind: string },
  createdBy: string,
): Promise<{ id: string; token: string }> {
  if ((await countLiveIntegrations(ctx.database.db)) >= MAX_INTEGRATIONS) {
    throw new HttpError(
      'conflict',
      `At most ${MAX_INTEGRATIONS} integration tokens; revoke one first`,
    );
  }
  const id = randomUUID();
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  await insertIntegration(ctx.database.db, {
    id,
    name: input.name,
    kind: input.kind,
    tokenHash: hashIntegrationToken(token),
    createdBy,
    createdAt: ctx.clock.now(),
    lastUsedAt: null,
    revokedAt: null,
  });
  return { id, token };
}

/** 401 unless the request carries a live integration token; keeps it on `res.locals.integration`. */
export function requireIntegration(ctx: AppContext): RequestHandler {
  const touched = new Map<string, number>();
  return async (req, res, next) => {
    try {
      const token = bearerToken(req);
      const found =
        token && token.startsWith(TOKEN_PREFIX) && token.length < 200
          ? await findIntegrationByHash(ctx.database.db, hashIntegrationToken(token))
          : null;
      if (!found || found.revokedAt) {
        next(
          new HttpError(
            'unauthorized',
            'A live integration token is required (Authorization: Bearer …; POST /api/integrations)',
          ),
        );
        return;
      }
      res.locals.integration = found;
      // Last use, at most once a minute per token (not a write per request).
      const nowMs = ctx.clock.now().getTime();
      if ((touched.get(found.id) ?? 0) + 60_000 <= nowMs) {
        touched.set(found.id, nowMs);
        if (touched.size > 1000) touched.clear();
        await touchIntegration(ctx.database.db, found.id, ctx.clock.now());
      }
      next();
    } catch (err) {
      next(err);
    }
  };
}
