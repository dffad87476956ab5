import { Gauge } from 'prom-client';
import type { AppContext } from '../../context';
import type { PoolStats } from '../../db/client';
import { countOpenAlertsByLevel } from '../escalation';
import { countQueued } from '../mail';
import { watchReplanProgress, type ReplanJob } from '../sla';
import { readDueTimerBacklog } from '../sla';
import { readWebhookBacklog, type BacklogRow } from '../webhooks';

/** A scrape waits at most this long for a collector's query; then it keeps the last values. */
export const COLLECT_TIMEOUT_MS = 2_000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`collector timed out after ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The series computed at scrape time or fed by a feature's own hook, registered once per server
 * (by the `/metrics` router): open alerts by level (a query through the escalation repo), the
 * PostgreSQL pool (`pg`'s counters; nothing on PGlite), and this node's SLA re-plan progress
 * (`watchReplanProgress`). A failed or slow query leaves the last values and counts in
 * `dutydesk_metrics_collect_failures_total`: a scrape never fails because the database does.
 */
export function registerCollectors(ctx: AppContext): void {
  const { registry, collectFailures } = ctx.metrics;
  /** Label sets seen before: reported as 0 once they have no open alert (no vanishing series). */
  const seen = new Set<string>();
  new Gauge({
    name: 'dutydesk_alerts_open',
    help: 'Open escalation alerts by ladder level and severity (a digest counts once)',
    labelNames: ['level', 'severity'],
    registers: [registry],
    async collect() {
      let rows;
      try {
        rows = await withTimeout(countOpenAlertsByLevel(ctx.database.db), COLLECT_TIMEOUT_MS);
      } catch (err) {
        collectFailures.inc({ collector: 'alerts' });
        ctx.log.warn({ err }, 'metrics: open alerts not counted');
        return;
      }
      const now = new Set<string>();
      for (const r of rows) {
        const key = `${r.level}\u0000${r.severity}`;
        now.add(key);
        seen.add(key);
        this.set({ level: String(r.level), severity: r.severity }, r.open);
      }
      for (const key of seen) {
        if (now.has(key)) continue;
        const [level = '', severity = ''] = key.split('\u0000');
        this.set({ level, severity }, 0);
      }
    },
  });

  let backlog: Promise<{ count: number; oldestDueAt: Date | null } | null> | null = null;
  /** One query per scrape for both backlog gauges (the second reuses the first's). */
  const readBacklog = () => {
    backlog ??= withTimeout(
      readDueTimerBacklog(ctx.database.db, ctx.clock.now()),
      COLLECT_TIMEOUT_MS,
    )
      .catch((err: unknown) => {
        collectFailures.inc({ collector: 'sla_backlog' });
        ctx.log.warn({ err }, 'metrics: SLA timer backlog not read');
        return null;
      })
      .finally(() => setImmediate(() => (backlog = null)));
    return backlog;
  };
  new Gauge({
    name: 'dutydesk_sla_timers_overdue',
    help: 'SLA thresholds due and not fired yet (the scheduler’s backlog; same on every node)',
    registers: [registry],
    async collect() {
      const b = await readBacklog();
      if (b) this.set(b.count);
    },
  });
  new Gauge({
    name: 'dutydesk_sla_oldest_overdue_seconds',
    help: 'How long the earliest due, unfired SLA threshold has been waiting (0: none)',
    registers: [registry],
    async collect() {
      const b = await readBacklog();
      if (b)
        this.set(
          b.oldestDueAt
            ? Math.max(0, (ctx.clock.now().getTime() - b.oldestDueAt.getTime()) / 1000)
            : 0,
        );
    },
  });

  registerWebhookCollectors(ctx);
  registerMailCollector(ctx);

  if (ctx.database.poolStats() !== null) {
    const pool = (name: string, help: string, read: (s: PoolStats) => number): void => {
      new Gauge({
        name,
        help,
        registers: [registry],
        collect() {
          const stats = ctx.database.poolStats();
          if (stats) this.set(read(stats));
        },
      });
    };
    pool(
      'dutydesk_db_pool_connections',
      'PostgreSQL connections open (idle and in use)',
      (s) => s.total,
    );
    pool('dutydesk_db_pool_idle', 'PostgreSQL connections open and idle', (s) => s.idle);
    pool(
      'dutydesk_db_pool_waiting',
      'Queries waiting for a PostgreSQL connection (pool exhausted)',
      (s) => s.waiting,
    );
    pool('dutydesk_db_pool_max', 'PostgreSQL pool size (connections at most)', (s) => s.max);
  }

  const jobs = new Map<string, ReplanJob>();
  const running = new Gauge({
    name: 'dutydesk_sla_replan_running',
    help: 'SLA re-plans running on this node (after a policy or calendar change)',
    registers: [registry],
  });
  const remaining = new Gauge({
    name: 'dutydesk_sla_replan_remaining_tickets',
    help: 'Open tickets this node’s running SLA re-plans have still to re-plan',
    registers: [registry],
  });
  watchReplanProgress(ctx, (job) => {
    if (job.status === 'running') jobs.set(job.id, job);
    else jobs.delete(job.id);
    // A run that was superseded stops without a last report: a newer version replaces it.
    for (const [id, j] of jobs) if (j.version < job.version) jobs.delete(id);
    running.set(jobs.size);
    let left = 0;
    for (const j of jobs.values()) left += Math.max(0, j.total - j.done);
    remaining.set(left);
  });
}

/** Webhook subscription states, as `dutydesk_webhook_subscriptions{state}` labels them. */
const WEBHOOK_STATES = ['active', 'failing', 'paused_admin', 'paused_failing'] as const;

function webhookStateOf(r: BacklogRow): (typeof WEBHOOK_STATES)[number] {
  if (r.status === 'paused')
    return r.pausedReason === 'failing' ? 'paused_failing' : 'paused_admin';
  return r.failing ? 'failing' : 'active';
}

/**
 * The outbox's backlog from the database (the same on every node, so aggregate with `max`):
 * subscriptions by state, events behind their cursors, and the age of the oldest event an
 * active subscription has not passed yet. One query per scrape for the three.
 */
function registerWebhookCollectors(ctx: AppContext): void {
  const { registry, collectFailures } = ctx.metrics;
  let pending: Promise<BacklogRow[] | null> | null = null;
  const read = () => {
    pending ??= withTimeout(readWebhookBacklog(ctx.database.db), COLLECT_TIMEOUT_MS)
      .catch((err: unknown) => {
        collectFailures.inc({ collector: 'webhooks' });
        ctx.log.warn({ err }, 'metrics: webhook backlog not read');
        return null;
      })
      .finally(() => setImmediate(() => (pending = null)));
    return pending;
  };
  new Gauge({
    name: 'dutydesk_webhook_subscriptions',
    help: 'Webhook subscriptions by state (active, failing: retrying its head event, paused_admin, paused_failing: paused after 24 h of failures)',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const rows = await read();
      if (!rows) return;
      for (const state of WEBHOOK_STATES)
        this.set({ state }, rows.filter((r) => webhookStateOf(r) === state).length);
    },
  });
  new Gauge({
    name: 'dutydesk_webhook_backlog_events',
    help: 'Events after the cursors of active webhook subscriptions (not yet delivered, or skipped as not matching)',
    registers: [registry],
    async collect() {
      const rows = await read();
      if (rows)
        this.set(rows.filter((r) => r.status === 'active').reduce((n, r) => n + r.behind, 0));
    },
  });
  new Gauge({
    name: 'dutydesk_webhook_oldest_pending_seconds',
    help: 'Age of the oldest event an active webhook subscription has not passed yet (0: all caught up)',
    registers: [registry],
    async collect() {
      const rows = await read();
      if (!rows) return;
      const now = ctx.clock.now().getTime();
      let oldest = 0;
      for (const r of rows)
        if (r.status === 'active' && r.oldestAt)
          oldest = Math.max(oldest, (now - r.oldestAt.getTime()) / 1000);
      this.set(oldest);
    },
  });
}

/** The mail outbox's depth from the database (the same on every node, so aggregate with `max`). */
function registerMailCollector(ctx: AppContext): void {
  const { registry, collectFailures } = ctx.metrics;
  new Gauge({
    name: 'dutydesk_mail_outbox_queued',
    help: 'Mails waiting in the outbox to be sent (new or retrying; without DUTYDESK_SMTP_URL they wait until they age out)',
    registers: [registry],
    async collect() {
      try {
        this.set(await withTimeout(countQueued(ctx.database.db), COLLECT_TIMEOUT_MS));
      } catch (err) {
        collectFailures.inc({ collector: 'mail' });
        ctx.log.warn({ err }, 'metrics: mail outbox not counted');
      }
    },
  });
}
