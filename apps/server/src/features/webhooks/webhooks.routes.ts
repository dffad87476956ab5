import {
  webhookCreateSchema,
  webhookReplaySchema,
  webhookUpdateSchema,
  type Webhook,
  type WebhookWithSecret,
} from '@dutydesk/shared';
import { Router, type Request } from 'express';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AppContext } from '../../context';
import { authOf, requireAuth, requireRole } from '../../http/auth';
import { parseBody } from '../../http/body';
import { HttpError } from '../../http/errors';
import { readCurrentSeq } from '../events';
import { buildAllowList, resolveTarget, TargetError, type Lookup } from './address';
import type { WebhookDispatcher } from './dispatcher';
import {
  countSubscriptions,
  deleteSubscription,
  findMissingGroups,
  insertSubscription,
  listDeliveries,
  listSubscriptions,
  readSubscription,
  updateSubscription,
  type SubscriptionRecord,
} from './webhooks.repo';

/** Subscriptions a desk may hold. */
export const MAX_SUBSCRIPTIONS = 200;
/** After a rotation, deliveries are signed with the old secret too for this long. */
export const PREVIOUS_SECRET_MS = 24 * 3_600_000;

/** A new signing secret: `whsec_` and 32 random bytes in base64 (Standard Webhooks' form). */
export function generateSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** A subscription as an admin reads it: never its secrets. */
export function toWebhookView(s: SubscriptionRecord, now: Date): Webhook {
  return {
    id: s.id,
    url: s.url,
    events: s.events,
    groupIds: s.groupIds,
    organisations: s.organisations,
    description: s.description,
    status: s.status,
    pausedReason: s.pausedReason,
    cursorSeq: s.cursorSeq,
    failing:
      s.attempts > 0 && s.failingSince
        ? {
            attempts: s.attempts,
            since: s.failingSince.toISOString(),
            nextAttemptAt: s.nextAttemptAt?.toISOString() ?? null,
            lastError: s.lastError ?? '',
          }
        : null,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
    previousSecretExpiresAt:
      s.previousSecret && s.previousSecretUntil && s.previousSecretUntil > now
        ? s.previousSecretUntil.toISOString()
        : null,
  };
}

/**
 * Webhook subscriptions over REST (admins only): create (answers the secret once), list, read,
 * change, pause, resume, delete, rotate the secret, the delivery log, replay from a seq.
 * A URL whose host is not public (after DNS) is refused unless the operator allows it.
 */
export function createWebhooksRouter(
  ctx: AppContext,
  dispatcher: () => WebhookDispatcher,
  options: { lookup?: Lookup } = {},
): Router {
  const r = Router();
  const allow = buildAllowList(ctx.config.webhookAllowHosts);
  r.use('/webhooks', requireAuth(ctx), requireRole('admin'));

  async function checkUrl(url: string): Promise<void> {
    try {
      await resolveTarget(new URL(url), allow, options.lookup);
    } catch (err) {
      if (!(err instanceof TargetError)) throw err;
      throw new HttpError('invalid', `Invalid webhook: url: ${err.message}`, [
        { path: 'url', message: err.message },
      ]);
    }
  }

  async function checkGroups(ids: readonly string[] | undefined): Promise<void> {
    const missing = await findMissingGroups(ctx.database.db, ids ?? []);
    if (missing.length > 0)
      throw new HttpError(
        'invalid',
        `Invalid webhook: groupIds: no group ${missing.join(', ')}`,
        missing.map((id) => ({ path: 'groupIds', message: `no group ${id}` })),
      );
  }

  async function load(req: Request): Promise<SubscriptionRecord> {
    const s = await readSubscription(ctx.database.db, String(req.params.id));
    if (!s) throw new HttpError('not_found', 'No such webhook');
    return s;
  }

  r.post('/webhooks', async (req, res) => {
    const body = parseBody(webhookCreateSchema, req.body, 'webhook');
    await checkUrl(body.url);
    await checkGroups(body.groupIds);
    if ((await countSubscriptions(ctx.database.db)) >= MAX_SUBSCRIPTIONS)
      throw new HttpError('conflict', `At most ${MAX_SUBSCRIPTIONS} webhooks; delete one first`);
    const secret = generateSecret();
    const now = ctx.clock.now();
    const created = await insertSubscription(ctx.database.db, {
      id: randomUUID(),
      url: body.url,
      events: [...new Set(body.events)],
      groupIds: [...new Set(body.groupIds ?? [])],
      organisations: [...new Set(body.organisations ?? [])],
      description: body.description ?? '',
      secret,
      // New events only: what happened before is there to replay.
      cursorSeq: await readCurrentSeq(ctx.database.db),
      createdBy: authOf(res).user.id,
      createdAt: now,
    });
    dispatcher().poke();
    const answer: WebhookWithSecret = { ...toWebhookView(created, now), secret };
    res.status(201).location(`/api/webhooks/${created.id}`).json(answer);
  });

  r.get('/webhooks', async (_req, res) => {
    const now = ctx.clock.now();
    const list = await listSubscriptions(ctx.database.db);
    res.json({ webhooks: list.map((s) => toWebhookView(s, now)) });
  });

  r.get('/webhooks/:id', async (req, res) => {
    res.json(toWebhookView(await load(req), ctx.clock.now()));
  });

  r.patch('/webhooks/:id', async (req, res) => {
    await load(req);
    const body = parseBody(webhookUpdateSchema, req.body, 'webhook');
    if (body.url !== undefined) await checkUrl(body.url);
    await checkGroups(body.groupIds);
    const now = ctx.clock.now();
    const updated = await updateSubscription(
      ctx.database.db,
      String(req.params.id),
      {
        ...(body.url !== undefined ? { url: body.url } : {}),
        ...(body.events !== undefined ? { events: [...new Set(body.events)] } : {}),
        ...(body.groupIds !== undefined ? { groupIds: [...new Set(body.groupIds)] } : {}),
        ...(body.organisations !== undefined
          ? { organisations: [...new Set(body.organisations)] }
          : {}),
        ...(body.description !== undefined ? { description: body.description } : {}),
      },
      now,
    );
    if (!updated) throw new HttpError('not_found', 'No such webhook');
    res.json(toWebhookView(updated, now));
  });

  r.post('/webhooks/:id/pause', async (req, res) => {
    await load(req);
    const now = ctx.clock.now();
    const updated = await updateSubscription(
      ctx.database.db,
      String(req.params.id),
      { status: 'paused', pausedReason: 'admin' },
      now,
    );
    if (!updated) throw new HttpError('not_found', 'No such webhook');
    res.json(toWebhookView(updated, now));
  });

  r.post('/webhooks/:id/resume', async (req, res) => {
    await load(req);
    const now = ctx.clock.now();
    // A fresh start: the head event is tried at once, with a new day of retries.
    const updated = await updateSubscription(
      ctx.database.db,
      String(req.params.id),
      {
        status: 'active',
        pausedReason: null,
        attempts: 0,
        failingSince: null,
        nextAttemptAt: null,
        lastError: null,
      },
      now,
    );
    if (!updated) throw new HttpError('not_found', 'No such webhook');
    dispatcher().poke();
    res.json(toWebhookView(updated, now));
  });

  r.delete('/webhooks/:id', async (req, res) => {
    if (!(await deleteSubscription(ctx.database.db, String(req.params.id))))
      throw new HttpError('not_found', 'No such webhook');
    res.status(204).end();
  });

  r.post('/webhooks/:id/rotate-secret', async (req, res) => {
    const current = await load(req);
    const now = ctx.clock.now();
    const secret = generateSecret();
    const updated = await updateSubscription(
      ctx.database.db,
      current.id,
      {
        secret,
        previousSecret: current.secret,
        previousSecretUntil: new Date(now.getTime() + PREVIOUS_SECRET_MS),
      },
      now,
    );
    if (!updated) throw new HttpError('not_found', 'No such webhook');
    const answer: WebhookWithSecret = { ...toWebhookView(updated, now), secret };
    res.json(answer);
  });

  r.get('/webhooks/:id/deliveries', async (req, res) => {
    await load(req);
    const limit = readIntParam(req.query.limit, 'limit', 1, 500) ?? 100;
    const before = readIntParam(req.query.before, 'before', 1, Number.MAX_SAFE_INTEGER);
    const rows = await listDeliveries(ctx.database.db, String(req.params.id), limit, before);
    const last = rows[rows.length - 1];
    res.json({
      deliveries: rows.map(({ n: _n, ...d }) => d),
      next: rows.length === limit && last ? `?before=${last.n}&limit=${limit}` : null,
    });
  });

  r.post('/webhooks/:id/replay', async (req, res) => {
    await load(req);
    const body = parseBody(webhookReplaySchema, req.body, 'replay');
    const head = await readCurrentSeq(ctx.database.db);
    if (body.fromSeq > head + 1)
      throw new HttpError('invalid', `Invalid replay: fromSeq: the log ends at seq ${head}`, [
        { path: 'fromSeq', message: `the log ends at seq ${head}` },
      ]);
    const now = ctx.clock.now();
    // A new replay generation: the replayed events get new message ids (receivers that drop
    // repeats by id take them), and a stream still delivering the old cursor stops.
    const updated = await updateSubscription(
      ctx.database.db,
      String(req.params.id),
      {
        cursorSeq: body.fromSeq - 1,
        attempts: 0,
        failingSince: null,
        nextAttemptAt: null,
        lastError: null,
        bumpReplay: true,
      },
      now,
    );
    if (!updated) throw new HttpError('not_found', 'No such webhook');
    dispatcher().poke();
    res.status(202).json(toWebhookView(updated, now));
  });

  return r;
}

function readIntParam(raw: unknown, name: string, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = typeof raw === 'string' && /^\d{1,16}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max)
    throw new HttpError('invalid', `${name} must be a whole number from ${min} to ${max}`, [
      { path: name, message: `a whole number from ${min} to ${max}` },
    ]);
  return n;
}
