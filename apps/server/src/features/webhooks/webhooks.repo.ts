import type { DeliveryOutcome, Webhook, WebhookDelivery } from '@dutydesk/shared';
import { and, asc, desc, eq, inArray, isNull, lt, lte, notInArray, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { queryRows } from '../../db/client';
import { groups, webhookDeliveries, webhookSubscriptions } from '../../db/schema/index';

type Row = typeof webhookSubscriptions.$inferSelect;

/** A stored subscription, secrets included (never logged, never answered over the API). */
export interface SubscriptionRecord {
  id: string;
  url: string;
  events: string[];
  groupIds: string[];
  organisations: string[];
  description: string;
  status: Webhook['status'];
  pausedReason: Webhook['pausedReason'];
  secret: string;
  previousSecret: string | null;
  previousSecretUntil: Date | null;
  cursorSeq: number;
  replayGen: number;
  revision: number;
  attempts: number;
  failingSince: Date | null;
  nextAttemptAt: Date | null;
  lastError: string | null;
  leaseOwner: string | null;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

function toRecord(r: Row): SubscriptionRecord {
  return {
    id: r.id,
    url: r.url,
    events: r.events as string[],
    groupIds: r.groupIds as string[],
    organisations: r.organisations as string[],
    description: r.description,
    status: r.status as Webhook['status'],
    pausedReason: r.pausedReason as Webhook['pausedReason'],
    secret: r.secret,
    previousSecret: r.previousSecret,
    previousSecretUntil: r.previousSecretUntil,
    cursorSeq: r.cursorSeq,
    replayGen: r.replayGen,
    revision: r.revision,
    attempts: r.attempts,
    failingSince: r.failingSince,
    nextAttemptAt: r.nextAttemptAt,
    lastError: r.lastError,
    leaseOwner: r.leaseOwner,
    createdBy: r.createdBy,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

/** What a new subscription stores. */
export type NewSubscription = Pick<
  SubscriptionRecord,
  | 'id'
  | 'url'
  | 'events'
  | 'groupIds'
  | 'organisations'
  | 'description'
  | 'secret'
  | 'cursorSeq'
  | 'createdBy'
  | 'createdAt'
>;

/** Stores a new active subscription whose cursor is `cursorSeq` (the log's head: new events only). */
export async function insertSubscription(db: Db, s: NewSubscription): Promise<SubscriptionRecord> {
  const [row] = await db
    .insert(webhookSubscriptions)
    .values({ ...s, status: 'active', updatedAt: s.createdAt })
    .returning();
  if (!row) throw new Error('insert returned nothing');
  return toRecord(row);
}

export async function countSubscriptions(db: Db): Promise<number> {
  const rows = await queryRows<{ n: string | number }>(
    db,
    sql`select count(*) as n from webhook_subscriptions`,
  );
  return Number(rows[0]?.n ?? 0);
}

/** Active subscriptions (the dispatcher's hint whether committed events may need it). */
export async function countActiveSubscriptions(db: Db): Promise<number> {
  const rows = await queryRows<{ n: string | number }>(
    db,
    sql`select count(*) as n from webhook_subscriptions where status = 'active'`,
  );
  return Number(rows[0]?.n ?? 0);
}

export async function listSubscriptions(db: Db): Promise<SubscriptionRecord[]> {
  const rows = await db
    .select()
    .from(webhookSubscriptions)
    .orderBy(asc(webhookSubscriptions.createdAt), asc(webhookSubscriptions.id));
  return rows.map(toRecord);
}

export async function readSubscription(db: Db, id: string): Promise<SubscriptionRecord | null> {
  const [row] = await db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, id));
  return row ? toRecord(row) : null;
}

/** The fields an admin change may set. */
export type SubscriptionChange = Partial<
  Pick<
    SubscriptionRecord,
    | 'url'
    | 'events'
    | 'groupIds'
    | 'organisations'
    | 'description'
    | 'status'
    | 'pausedReason'
    | 'secret'
    | 'previousSecret'
    | 'previousSecretUntil'
    | 'cursorSeq'
    | 'attempts'
    | 'failingSince'
    | 'nextAttemptAt'
    | 'lastError'
  >
> & { bumpReplay?: boolean };

/**
 * An admin change: the fields, a new `revision` (a node delivering with the old settings stops
 * at its next save) and, for a replay, a new `replay_gen` (its saves are refused: the cursor
 * it would write is the old stream's). Null when there is no such subscription.
 */
export async function updateSubscription(
  db: Db,
  id: string,
  change: SubscriptionChange,
  now: Date,
): Promise<SubscriptionRecord | null> {
  const { bumpReplay, ...fields } = change;
  const [row] = await db
    .update(webhookSubscriptions)
    .set({
      ...fields,
      updatedAt: now,
      revision: sql`${webhookSubscriptions.revision} + 1`,
      ...(bumpReplay ? { replayGen: sql`${webhookSubscriptions.replayGen} + 1` } : {}),
    })
    .where(eq(webhookSubscriptions.id, id))
    .returning();
  return row ? toRecord(row) : null;
}

export async function deleteSubscription(db: Db, id: string): Promise<boolean> {
  const rows = await db
    .delete(webhookSubscriptions)
    .where(eq(webhookSubscriptions.id, id))
    .returning({ id: webhookSubscriptions.id });
  return rows.length > 0;
}

/** The ids of `ids` that name no group. */
export async function findMissingGroups(db: Db, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ id: groups.id })
    .from(groups)
    .where(inArray(groups.id, [...ids]));
  const found = new Set(rows.map((r) => r.id));
  return ids.filter((id) => !found.has(id));
}

const leaseFor = (ms: number) => sql`clock_timestamp() + make_interval(secs => ${ms / 1000})`;

/**
 * Claims for `owner` (`<node>:<claim>`) up to `limit` active subscriptions with events after
 * their cursor, due (no retry waiting past `now`) and not leased (no lease, or one expired by
 * the database's clock, so nodes whose clocks disagree agree on it), other than `running`
 * (this node's own streams). One statement: the inner select locks what it picks and skips
 * what another node is claiming at the same moment.
 */
export async function claimSubscriptions(
  db: Db,
  owner: string,
  now: Date,
  leaseMs: number,
  limit: number,
  running: readonly string[],
): Promise<SubscriptionRecord[]> {
  const s = webhookSubscriptions;
  const free = db
    .select({ id: s.id })
    .from(s)
    .where(
      and(
        eq(s.status, 'active'),
        or(isNull(s.leaseOwner), lt(s.leaseUntil, sql`clock_timestamp()`)),
        or(isNull(s.nextAttemptAt), lte(s.nextAttemptAt, now)),
        sql`${s.cursorSeq} < (select coalesce(max(seq), 0) from events)`,
        running.length > 0 ? notInArray(s.id, [...running]) : undefined,
      ),
    )
    .orderBy(asc(s.id))
    .limit(limit)
    .for('update', { skipLocked: true });
  const rows = await db
    .update(s)
    .set({ leaseOwner: owner, leaseUntil: leaseFor(leaseMs) })
    .where(inArray(s.id, free))
    .returning();
  return rows.map(toRecord);
}

/** An event as a delivery carries it (the log's row, as on the wire). */
export interface OutboxEvent {
  seq: number;
  id: string;
  type: string;
  ticketId: string | null;
  at: string;
  actorId: string | null;
  data: unknown;
}

/**
 * Events after `after` that a subscription gets, in seq order (at most `limit`), and how far
 * the log was read: to the head when fewer matched, else to the last one returned. Seqs are
 * gap-free in commit order (decision 3), so everything up to the head read in the same
 * statement is visible. One round trip (the head and the page): every stream runs this
 * several times a second. Group and organisation filters read the ticket's current row.
 */
export async function readOutbox(
  db: Db,
  sub: Pick<SubscriptionRecord, 'groupIds' | 'organisations'>,
  types: readonly string[],
  after: number,
  limit: number,
): Promise<{ events: OutboxEvent[]; readTo: number }> {
  if (types.length === 0) return { events: [], readTo: after };
  const list = (values: readonly string[]) =>
    sql.join(
      values.map((v) => sql`${v}`),
      sql`, `,
    );
  const byGroup = sub.groupIds.length > 0 ? sql`and t.group_id in (${list(sub.groupIds)})` : sql``;
  const byOrg =
    sub.organisations.length > 0
      ? sql`and t.state -> 'customer' ->> 'org' in (${list(sub.organisations)})`
      : sql``;
  const needsTicket = sub.groupIds.length > 0 || sub.organisations.length > 0;
  const rows = await queryRows<{
    head: string | number | null;
    seq: string | number | null;
    id: string | null;
    type: string | null;
    ticket_id: string | null;
    at: string | Date | null;
    actor_id: string | null;
    data: unknown;
  }>(
    db,
    sql`select h.head, p.seq, p.id, p.type, p.ticket_id, p.at, p.actor_id, p.data
        from (select coalesce(max(seq), 0) as head from events) h
        left join lateral (
          select e.seq, e.id, e.type, e.ticket_id, e.at, e.actor_id, e.data
          from events e
          ${needsTicket ? sql`join tickets t on t.id = e.ticket_id` : sql``}
          where e.seq > ${after} and e.seq <= h.head and e.type in (${list(types)})
            ${byGroup} ${byOrg}
          order by e.seq
          limit ${limit}
        ) p on true
        order by p.seq`,
  );
  const head = Number(rows[0]?.head ?? 0);
  const events: OutboxEvent[] = [];
  for (const r of rows) {
    if (r.seq === null || r.id === null || r.type === null || r.at === null) continue;
    events.push({
      seq: Number(r.seq),
      id: r.id,
      type: r.type,
      ticketId: r.ticket_id,
      at: new Date(r.at).toISOString(),
      actorId: r.actor_id,
      data: typeof r.data === 'string' ? (JSON.parse(r.data) as unknown) : r.data,
    });
  }
  const last = events[events.length - 1];
  return {
    events,
    readTo: events.length < limit || !last ? Math.max(after, head) : last.seq,
  };
}

/** One attempt for the delivery log. */
export interface DeliveryRow {
  messageId: string;
  seq: number;
  eventType: string;
  attempt: number;
  outcome: DeliveryOutcome;
  httpStatus: number | null;
  durationMs: number;
  error: string | null;
  at: Date;
}

/** What a stream saves: its cursor and, after a failure, the retry state (or the pause). */
export interface StreamProgress {
  cursorSeq: number;
  failure: {
    attempts: number;
    since: Date;
    nextAttemptAt: Date | null;
    lastError: string;
  } | null;
  /** The head event failed for 24 h: pause (`failing`). */
  pause: boolean;
  /** Give the lease up (the stream ends); else renew it. */
  release: boolean;
}

/**
 * Saves a stream's progress and its attempts in one transaction while `owner` holds the lease
 * and no replay started since (`replayGen`); renews or releases the lease. Null when the lease
 * is lost (another node took it over), the subscription was replayed or deleted: the stream
 * stops, and what it delivered since its last save is delivered again (same message ids).
 * Otherwise the subscription's current revision and status (an admin change stops the stream).
 */
export async function saveStreamProgress(
  db: Db,
  owner: string,
  sub: Pick<SubscriptionRecord, 'id' | 'replayGen'>,
  progress: StreamProgress,
  deliveries: readonly DeliveryRow[],
  leaseMs: number,
): Promise<{ revision: number; status: string } | null> {
  const s = webhookSubscriptions;
  return db.transaction(async (tx) => {
    const f = progress.failure;
    const [row] = await tx
      .update(s)
      .set({
        cursorSeq: progress.cursorSeq,
        attempts: f?.attempts ?? 0,
        failingSince: f?.since ?? null,
        nextAttemptAt: f?.nextAttemptAt ?? null,
        lastError: f?.lastError ?? null,
        ...(progress.pause ? { status: 'paused', pausedReason: 'failing' } : {}),
        leaseOwner: progress.release ? null : owner,
        leaseUntil: progress.release ? null : leaseFor(leaseMs),
      })
      .where(and(eq(s.id, sub.id), eq(s.leaseOwner, owner), eq(s.replayGen, sub.replayGen)))
      .returning({ revision: s.revision, status: s.status });
    if (!row) return null;
    if (deliveries.length > 0)
      await tx
        .insert(webhookDeliveries)
        .values(deliveries.map((d) => ({ ...d, subscriptionId: sub.id })));
    return row;
  });
}

/** Gives a lease up (a stream that ends without a save, or whose save found a change). */
export async function releaseLease(db: Db, id: string, owner: string): Promise<void> {
  await db
    .update(webhookSubscriptions)
    .set({ leaseOwner: null, leaseUntil: null })
    .where(and(eq(webhookSubscriptions.id, id), eq(webhookSubscriptions.leaseOwner, owner)));
}

/** A subscription's latest attempts, newest first, before the attempt number `before` when given. */
export async function listDeliveries(
  db: Db,
  subscriptionId: string,
  limit: number,
  before?: number,
): Promise<Array<WebhookDelivery & { n: number }>> {
  const d = webhookDeliveries;
  const rows = await db
    .select()
    .from(d)
    .where(and(eq(d.subscriptionId, subscriptionId), before ? lt(d.n, before) : undefined))
    .orderBy(desc(d.n))
    .limit(limit);
  return rows.map((r) => ({
    n: r.n,
    id: r.messageId,
    seq: r.seq,
    eventType: r.eventType,
    attempt: r.attempt,
    outcome: r.outcome as DeliveryOutcome,
    httpStatus: r.httpStatus,
    durationMs: r.durationMs,
    error: r.error,
    at: r.at.toISOString(),
  }));
}

/** Drops delivery-log rows older than `before`. */
export async function pruneDeliveries(db: Db, before: Date): Promise<void> {
  await db.delete(webhookDeliveries).where(lt(webhookDeliveries.at, before));
}

/** Per subscription, for the metrics: status, whether it is failing, and how far behind it is. */
export interface BacklogRow {
  status: string;
  pausedReason: string | null;
  failing: boolean;
  behind: number;
  /** When the first event it has not passed yet was committed (null: caught up). */
  oldestAt: Date | null;
}

/** The outbox's backlog, one row per subscription (for `/metrics`; the same on every node). */
export async function readWebhookBacklog(db: Db): Promise<BacklogRow[]> {
  const rows = await queryRows<{
    status: string;
    paused_reason: string | null;
    attempts: number | string;
    behind: number | string;
    oldest_at: string | Date | null;
  }>(
    db,
    sql`select s.status, s.paused_reason, s.attempts,
          greatest(0, (select coalesce(max(seq), 0) from events) - s.cursor_seq) as behind,
          (select e.at from events e where e.seq = s.cursor_seq + 1) as oldest_at
        from webhook_subscriptions s`,
  );
  return rows.map((r) => ({
    status: r.status,
    pausedReason: r.paused_reason,
    failing: Number(r.attempts) > 0,
    behind: Number(r.behind),
    oldestAt: r.oldest_at === null ? null : new Date(r.oldest_at),
  }));
}
