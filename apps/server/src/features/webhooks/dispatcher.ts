/**
 * The outbox's delivery on one node (decision 34). The event log is the outbox: every
 * subscription has a cursor (the last seq delivered or skipped). A node's loop claims
 * subscriptions with work through a lease (the database's clock; `webhook_subscriptions`'
 * `lease_owner` / `lease_until`) and runs one stream per claimed subscription: events after
 * the cursor, in seq order, one request at a time, each signed per Standard Webhooks with a
 * message id made of the subscription, the seq (and the replay generation after a replay), so a
 * retry or a take-over sends the same id again. Progress (cursor and the attempts for the
 * delivery log) is saved every few deliveries, renewing the lease; a failed delivery saves the
 * retry instant (schedule.ts) and gives the lease up, so the retry may run on any node. After
 * 24 hours of failures the subscription is paused and the duty manager alerted.
 */
import {
  DeliveryOutcome,
  expandEventPatterns,
  type DeliveryOutcome as Outcome,
} from '@dutydesk/shared';
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { AppContext } from '../../context';
import { createBackgroundLoop } from '../../jobs/loop';
import type { EscalationEngine } from '../escalation';
import {
  buildAllowList,
  resolveTarget,
  TargetError,
  type AllowList,
  type Lookup,
  type Target,
} from './address';
import { planRetry, type RetryPolicy } from './schedule';
import { postWebhook, type SendResult } from './send';
import {
  claimSubscriptions,
  countActiveSubscriptions,
  pruneDeliveries,
  readOutbox,
  releaseLease,
  saveStreamProgress,
  type DeliveryRow,
  type OutboxEvent,
  type StreamProgress,
  type SubscriptionRecord,
} from './webhooks.repo';

/** Subscriptions one node delivers at once (one request in flight each). */
const MAX_STREAMS = 16;
/** Events read from the log per query. */
const PAGE = 200;
/** A stream saves its progress after this many deliveries or this long, whichever first. */
const SAVE_EVERY = 50;
const SAVE_AFTER_MS = 250;
/** How long a committed event waits to gather more into one claim or one read. */
const WAKE_GATHER_MS = 20;
/**
 * A caught-up stream keeps its lease this long for events committed on this node (each read
 * after one waits `STREAM_GATHER_MS` to take the others of a burst with it), rather than
 * giving it up and being claimed again for the next event: at 100 events a second that is one
 * read per subscription per gather instead of a claim, a read and a save per event.
 */
const LINGER_MS = 1_000;
const STREAM_GATHER_MS = 100;
/** The delivery log keeps a week. */
const LOG_KEEP_MS = 7 * 24 * 3_600_000;
const PRUNE_EVERY_MS = 10 * 60_000;
/** A resolved target is reused by a stream for this long, then resolved and checked again. */
const TARGET_TTL_MS = 60_000;

function createSignal(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}

/** The message id (`webhook-id`) of a subscription's event: the same on every retry. */
export function messageIdOf(
  sub: Pick<SubscriptionRecord, 'id' | 'replayGen'>,
  seq: number,
): string {
  return `msg_${sub.id}_${seq}${sub.replayGen > 0 ? `_r${sub.replayGen}` : ''}`;
}

/** The URL's origin only (a receiver's path or query may hold a token): for logs and alerts. */
export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'invalid URL';
  }
}

/** The webhook delivery of one node. */
export interface WebhookDispatcher {
  start(): void;
  /** Stops claiming, lets each stream finish its request in flight and save, gives leases up. */
  stop(): Promise<void>;
  /** Claims what is due now and waits until every stream of this node has ended (tests). */
  tick(): Promise<void>;
  /** Events committed on this node: deliver soon when some subscription is active. */
  onCommitted(events: ReadonlyArray<{ type: string }>): void;
  /** A subscription was created or resumed on this node: committed events now need the loop. */
  poke(): void;
  /** Streams running on this node now. */
  readonly streams: number;
}

export interface DispatcherOptions {
  /** How often an idle node looks for work other nodes' events made (ms). */
  intervalMs?: number;
  /** The jitter's random source (tests pass a fixed one). */
  random?: () => number;
  /** The retry schedule (default: 5 s doubling to 1 h, for 24 h). */
  retry?: RetryPolicy;
  /** DNS for the SSRF check (tests pass their own). */
  lookup?: Lookup;
  /** The `webhook-timestamp` clock: the wall clock a receiver compares it with. */
  wallClock?: () => Date;
}

export function createWebhookDispatcher(
  ctx: AppContext,
  deps: { escalation: EscalationEngine },
  options: DispatcherOptions = {},
): WebhookDispatcher {
  const node = randomUUID();
  const random = options.random ?? Math.random;
  const wallClock = options.wallClock ?? (() => new Date());
  const allow: AllowList = buildAllowList(ctx.config.webhookAllowHosts);
  const timeoutMs = ctx.config.webhookTimeoutMs;
  const leaseMs = ctx.config.webhookLeaseMs;
  const running = new Map<string, Promise<void>>();
  let stopping = false;
  let active = 1;
  /** Resolved when events commit on this node (then replaced). */
  let committed = createSignal();
  /** Resolved by stop() and tick(): lingering streams end now (then replaced). */
  let drain = createSignal();
  /** tick() calls in progress: streams do not linger meanwhile (a test waits for them to end). */
  let draining = 0;
  let lastPrune = 0;

  const loop = createBackgroundLoop({
    name: 'webhooks',
    intervalMs: options.intervalMs ?? 500,
    run: () => runOnce(),
    log: ctx.log,
  });

  async function runOnce(): Promise<void> {
    if (stopping) return;
    const now = ctx.clock.now();
    if (now.getTime() - lastPrune >= PRUNE_EVERY_MS) {
      lastPrune = now.getTime();
      await pruneDeliveries(ctx.database.db, new Date(now.getTime() - LOG_KEEP_MS));
    }
    active = await countActiveSubscriptions(ctx.database.db);
    if (active === 0) return;
    const free = MAX_STREAMS - running.size;
    if (free <= 0) return;
    const owner = `${node}:${randomUUID()}`;
    const claimed = await claimSubscriptions(ctx.database.db, owner, now, leaseMs, free, [
      ...running.keys(),
    ]);
    for (const sub of claimed) {
      const stream = runStream(sub, owner)
        .catch((err: unknown) => {
          ctx.log.error({ err, webhookId: sub.id }, 'webhook stream failed');
          return releaseLease(ctx.database.db, sub.id, owner).catch(() => undefined);
        })
        .finally(() => {
          running.delete(sub.id);
          ctx.metrics.webhookStreams.set(running.size);
          // More may have come in while it ran (the loop does not wait for streams).
          if (!stopping) loop.wake(WAKE_GATHER_MS);
        });
      running.set(sub.id, stream);
    }
    ctx.metrics.webhookStreams.set(running.size);
  }

  /** Signs and posts one event; never throws. */
  async function deliver(
    sub: SubscriptionRecord,
    url: URL,
    target: () => Promise<Target>,
    signers: Webhook[],
    event: OutboxEvent,
  ): Promise<SendResult> {
    let pinned: Target;
    try {
      pinned = await target();
    } catch (err) {
      if (!(err instanceof TargetError)) throw err;
      return {
        outcome: err.kind === 'refused' ? DeliveryOutcome.refused : DeliveryOutcome.network,
        httpStatus: null,
        durationMs: 0,
        error: err.message,
      };
    }
    const body = JSON.stringify({ type: event.type, timestamp: event.at, data: event });
    const id = messageIdOf(sub, event.seq);
    const sentAt = wallClock();
    const signature = signers.map((s) => s.sign(id, sentAt, body)).join(' ');
    return postWebhook(
      url,
      pinned,
      {
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
        'webhook-signature': signature,
      },
      body,
      timeoutMs,
    );
  }

  function record(outcome: Outcome, result: SendResult, event: OutboxEvent): void {
    const m = ctx.metrics;
    m.webhookDeliveries.inc({ outcome });
    m.webhookDeliverySeconds.observe({ outcome }, result.durationMs / 1000);
    if (outcome === DeliveryOutcome.delivered)
      m.webhookLagSeconds.observe(
        Math.max(0, (ctx.clock.now().getTime() - Date.parse(event.at)) / 1000),
      );
  }

  /** Alerts the duty manager that a subscription was paused after a day of failures. */
  async function alertPaused(
    sub: SubscriptionRecord,
    lastError: string,
    seq: number,
  ): Promise<void> {
    const origin = originOf(sub.url);
    ctx.log.warn({ webhookId: sub.id, origin, seq }, 'webhook paused after 24 h of failures');
    await deps.escalation.raise([
      {
        ticket: null,
        stepKey: `webhooks/paused:${sub.id}`,
        kind: 'webhook.paused',
        severity: 'warning',
        message: `Webhook to ${origin} paused: deliveries failed for 24 h (${lastError})`.slice(
          0,
          2_000,
        ),
        levels: [{ notify: 'duty_manager', ackMinutes: null }],
        data: { webhookId: sub.id, origin, seq },
      },
    ]);
  }

  /** Delivers one claimed subscription's events in order until caught up, failing, or stopped. */
  async function runStream(claimed: SubscriptionRecord, owner: string): Promise<void> {
    const db = ctx.database.db;
    const sub = claimed;
    const types = expandEventPatterns(sub.events);
    const url = new URL(sub.url);
    const now = ctx.clock.now();
    const signers = [new Webhook(sub.secret)];
    if (sub.previousSecret && sub.previousSecretUntil && sub.previousSecretUntil > now)
      signers.push(new Webhook(sub.previousSecret));
    let cached: { target: Target; until: number } | null = null;
    const target = async (): Promise<Target> => {
      if (cached && cached.until > performance.now()) return cached.target;
      const t = await resolveTarget(url, allow, options.lookup);
      cached = { target: t, until: performance.now() + TARGET_TTL_MS };
      return t;
    };

    let cursor = sub.cursorSeq;
    let attempts = sub.attempts;
    let failingSince = sub.failingSince;
    let pending: DeliveryRow[] = [];
    // The lease as this node counts it (its own monotonic clock, from before the claim's
    // answer): no request starts that could outlast it.
    let leaseEnds = performance.now() + leaseMs - 1_000;
    let lastSave = performance.now();
    let released = false;

    const save = async (
      progress: Omit<StreamProgress, 'cursorSeq'>,
    ): Promise<'go' | 'stop' | 'lost'> => {
      const started = performance.now();
      const rows = pending;
      pending = [];
      const saved = await saveStreamProgress(
        db,
        owner,
        sub,
        { ...progress, cursorSeq: cursor },
        rows,
        leaseMs,
      );
      lastSave = performance.now();
      if (progress.release || !saved) released = true;
      if (!saved) return 'lost';
      leaseEnds = started + leaseMs - 1_000;
      return saved.revision === sub.revision && saved.status === 'active' ? 'go' : 'stop';
    };

    try {
      for (;;) {
        if (stopping) {
          await save({ failure: null, pause: false, release: true });
          return;
        }
        const page = await readOutbox(db, sub, types, cursor, PAGE);
        if (page.events.length === 0) {
          cursor = Math.max(cursor, page.readTo);
          const next =
            draining > 0
              ? 'end'
              : await Promise.race([
                  committed.promise.then(() => 'events' as const),
                  drain.promise.then(() => 'end' as const),
                  delay(LINGER_MS).then(() => 'end' as const),
                ]);
          if (next === 'end' || stopping) {
            await save({ failure: null, pause: false, release: true });
            return;
          }
          await delay(STREAM_GATHER_MS);
          if (performance.now() - lastSave >= SAVE_AFTER_MS || pending.length > 0)
            if ((await save({ failure: null, pause: false, release: false })) !== 'go') return;
          continue;
        }
        for (const event of page.events) {
          if (stopping) {
            await save({ failure: null, pause: false, release: true });
            return;
          }
          if (performance.now() + timeoutMs >= leaseEnds) {
            if ((await save({ failure: null, pause: false, release: false })) !== 'go') return;
          }
          const attempt = attempts + 1;
          const result = await deliver(sub, url, target, signers, event);
          const at = ctx.clock.now();
          pending.push({
            messageId: messageIdOf(sub, event.seq),
            seq: event.seq,
            eventType: event.type,
            attempt,
            outcome: result.outcome,
            httpStatus: result.httpStatus,
            durationMs: result.durationMs,
            error: result.error,
            at,
          });
          record(result.outcome, result, event);
          if (result.outcome !== DeliveryOutcome.delivered) {
            const since = failingSince ?? at;
            const next = planRetry(since, attempt, at, random, options.retry);
            const lastError = result.error ?? result.outcome;
            const outcome = await save({
              failure: { attempts: attempt, since, nextAttemptAt: next, lastError },
              pause: next === null,
              release: true,
            });
            // Paused by this save (not if the lease was lost meanwhile: then another node decides).
            if (next === null && outcome !== 'lost') await alertPaused(sub, lastError, event.seq);
            return;
          }
          cursor = event.seq;
          attempts = 0;
          failingSince = null;
          if (pending.length >= SAVE_EVERY || performance.now() - lastSave >= SAVE_AFTER_MS) {
            if ((await save({ failure: null, pause: false, release: false })) !== 'go') return;
          }
        }
        cursor = Math.max(cursor, page.readTo);
      }
    } finally {
      if (!released) await releaseLease(db, sub.id, owner);
    }
  }

  return {
    start() {
      stopping = false;
      loop.start();
    },
    async stop() {
      stopping = true;
      drain.resolve();
      drain = createSignal();
      await loop.stop();
      await Promise.all(running.values());
    },
    async tick() {
      draining += 1;
      drain.resolve();
      drain = createSignal();
      try {
        await loop.tick();
        while (running.size > 0) await Promise.all(running.values());
      } finally {
        draining -= 1;
      }
    },
    onCommitted(events) {
      if (active === 0 || events.length === 0) return;
      committed.resolve();
      committed = createSignal();
      // Lingering streams heard it; the loop only when some active subscription has none here.
      if (running.size < active) loop.wake(WAKE_GATHER_MS);
    },
    poke() {
      active = Math.max(active, 1);
      loop.wake(WAKE_GATHER_MS);
    },
    get streams() {
      return running.size;
    },
  };
}
