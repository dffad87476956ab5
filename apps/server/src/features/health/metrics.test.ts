import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock';
import { DRIVERS, startTestServer, type TestServer } from '../../testing/harness';
import { parseMetrics, type Sample } from '../../testing/metrics';
import { TestSeat, maxSeq } from '../../testing/seat';
import type { SlaPolicy } from '@dutydesk/shared';
import { signInAndAddL2 } from '../escalation/escalation.testing';
import { waitForReplanJobs, watchReplanProgress } from '../sla/replan';
import { MINUTE, T0, createTicket, prepareDesk } from '../sla/sla.testing';

/** The sum of the samples of `name` whose labels include `labels`. */
function sum(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((a, s) => a + s.value, 0);
}

function has(samples: Sample[], name: string): boolean {
  return samples.some((s) => s.name === name);
}

describe.each(DRIVERS)('/metrics after a command burst on %s', (driver) => {
  let server: TestServer;
  let clock: ManualClock;
  let admin: string;

  beforeAll(async () => {
    clock = new ManualClock(T0);
    server = await startTestServer({ driver, clock, env: { DUTYDESK_COMMAND_RATE: '100000' } });
    admin = await signInAndAddL2(server);
  });
  afterAll(async () => {
    await server?.dispose();
  });

  async function scrape(): Promise<Sample[]> {
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    return parseMetrics(await res.text());
  }

  it('counts what was sent, by type, outcome, route, and times it', async () => {
    const adminId = await prepareDesk(server, admin);
    const before = await scrape();
    const sender = await TestSeat.open(server, admin);
    const watcher = await TestSeat.open(server, admin);
    const SOCKET = 24;
    const HTTP = 6;
    try {
      const acks = await Promise.all(
        Array.from({ length: SOCKET }, (_, i) =>
          sender.command({
            type: 'ticket.create',
            title: `Burst ${i}`,
            description: 'd',
            channel: 'hotline',
            priority: 'P3',
          }),
        ),
      );
      expect(acks.every((a) => a.ok)).toBe(true);
      const invalid = await sender.command({ type: 'ticket.create', title: '' });
      expect(invalid.ok).toBe(false);
      let last = Math.max(...acks.map(maxSeq));
      for (let i = 0; i < HTTP; i += 1) {
        const res = await server.api('POST', '/api/commands', {
          token: admin,
          body: {
            commandId: randomUUID(),
            type: 'ticket.create',
            title: `Over HTTP ${i}`,
            description: 'd',
            channel: 'api',
            priority: 'P3',
          },
        });
        expect(res.status).toBe(200);
        last = Math.max(
          last,
          ...(res.body as { events: Array<{ seq: number }> }).events.map((e) => e.seq),
        );
      }
      // Every event reached the other seat: the fan-out delivered them all.
      await watcher.waitForSeq(last);
      const someTicket = acks[0]?.ticket?.id ?? '';
      expect((await server.api('GET', `/api/tickets/${someTicket}`, { token: admin })).status).toBe(
        200,
      );
      expect((await server.api('GET', '/api/no-such-route', { token: admin })).status).toBe(404);

      const after = await scrape();
      const delta = (name: string, labels: Record<string, string> = {}) =>
        sum(after, name, labels) - sum(before, name, labels);

      expect(delta('dutydesk_commands_total', { type: 'ticket.create', outcome: 'ok' })).toBe(
        SOCKET + HTTP,
      );
      expect(delta('dutydesk_commands_total', { type: 'unknown', outcome: 'invalid' })).toBe(1);
      expect(delta('dutydesk_command_seconds_count', { type: 'ticket.create' })).toBe(
        SOCKET + HTTP,
      );
      expect(delta('dutydesk_command_seconds_count', { type: 'unknown' })).toBe(1);
      expect(delta('dutydesk_command_seconds_sum', { type: 'ticket.create' })).toBeGreaterThan(0);

      const post = { method: 'POST', route: '/api/commands', status: '200' };
      expect(delta('dutydesk_http_requests_total', post)).toBe(HTTP);
      expect(delta('dutydesk_http_request_duration_seconds_count', post)).toBe(HTTP);
      expect(
        sum(after, 'dutydesk_http_request_duration_seconds_bucket', { ...post, le: '+Inf' }),
      ).toBe(sum(after, 'dutydesk_http_request_duration_seconds_count', post));
      expect(
        sum(after, 'dutydesk_http_requests_total', {
          method: 'GET',
          route: '/api/tickets/:id',
          status: '200',
        }),
      ).toBe(1);
      expect(
        sum(after, 'dutydesk_http_requests_total', { route: 'unmatched', status: '404' }),
      ).toBeGreaterThanOrEqual(1);
      // No raw URL ever becomes a label.
      expect(after.some((s) => s.labels.route?.includes(someTicket))).toBe(false);

      // Fan-out: every published event went out in some batch; each batch was timed.
      const published = delta('dutydesk_events_published_total');
      expect(published).toBeGreaterThanOrEqual(SOCKET + HTTP);
      expect(delta('dutydesk_fanout_batch_events_sum')).toBe(published);
      const batches = delta('dutydesk_fanout_batch_events_count');
      expect(batches).toBeGreaterThan(0);
      expect(batches).toBeLessThanOrEqual(published);
      expect(delta('dutydesk_fanout_seconds_count')).toBe(batches);
      expect(delta('dutydesk_fanout_batch_seats_count')).toBe(batches);
      expect(sum(after, 'dutydesk_sockets')).toBeGreaterThanOrEqual(2);
      console.log(
        `[metrics ${driver}] ${SOCKET + HTTP} commands → ${published} events in ${batches} fan-out batches, ` +
          `mean command ${((delta('dutydesk_command_seconds_sum', { type: 'ticket.create' }) / (SOCKET + HTTP)) * 1000).toFixed(1)} ms, ` +
          `mean fan-out ${((delta('dutydesk_fanout_seconds_sum') / batches) * 1000).toFixed(2)} ms`,
      );
      void adminId;
    } finally {
      sender.close();
      watcher.close();
    }
  });

  it("follows an SLA re-plan's progress while it runs, back to 0 when it is done", async () => {
    const open = (await server.api('GET', '/api/tickets?open=true&limit=10000', { token: admin }))
      .body as { tickets: unknown[] };
    expect(open.tickets.length).toBeGreaterThan(0);
    const { registry } = server.ctx.metrics;
    const got = await server.api('GET', '/api/sla/policies', { token: admin });
    const original = (got.body as { policies: SlaPolicy[] }).policies;
    const seen: Array<Promise<[number, number]>> = [];
    // Registered after the collectors' own listener, so it reads what a scrape would then.
    const stop = watchReplanProgress(server.ctx, () => {
      const value = async (name: string) =>
        (await registry.getSingleMetric(name)?.get())?.values[0]?.value ?? -1;
      seen.push(
        Promise.all([
          value('dutydesk_sla_replan_running'),
          value('dutydesk_sla_replan_remaining_tickets'),
        ]),
      );
    });
    try {
      const next = structuredClone(original);
      for (const policy of next) {
        const response = policy.priorities.P1.targets.find((t) => t.name === 'response');
        if (response?.due.kind === 'duration') response.due.minutes = 20;
      }
      const put = await server.api('PUT', '/api/sla/policies', {
        token: admin,
        body: { policies: next },
      });
      expect(put.status).toBe(202);
      await waitForReplanJobs(server.ctx);
    } finally {
      stop();
    }
    const reports = await Promise.all(seen);
    // A page saved while running (1 job, its remaining tickets), then the end (none).
    expect(reports.length).toBeGreaterThanOrEqual(2);
    expect(reports.some(([running]) => running === 1)).toBe(true);
    expect(reports.at(-1)).toEqual([0, 0]);
    const after = await scrape();
    expect(sum(after, 'dutydesk_sla_replan_running')).toBe(0);
    expect(sum(after, 'dutydesk_sla_replan_remaining_tickets')).toBe(0);
    // The next test reads the default P1 response (15 min): put the policies back.
    const restore = await server.api('PUT', '/api/sla/policies', {
      token: admin,
      body: { policies: original },
    });
    expect(restore.status).toBe(202);
    await waitForReplanJobs(server.ctx);
  });

  it('reports SLA thresholds fired with their lag, the backlog, open alerts by level and the pool', async () => {
    const adminId = await prepareDesk(server, admin);
    // The test drives the scheduler with tick(): its background loop would fire the warning
    // between the clock moving and the scrape (once a second, on the manual clock). Stopping
    // also stops re-plans for good, so this test comes after the re-plan one.
    await server.scheduler.stop();
    const t0 = Date.parse(T0);
    clock.set(T0);
    await createTicket(server, admin, { priority: 'P1', groupId: 'l2', assigneeId: adminId });
    // The P1 response warning (75 % of 15 min) is due at 11.25 min; 20 s later nothing has run.
    clock.set(new Date(t0 + 11.25 * MINUTE + 20_000));
    const backlog = await scrape();
    expect(sum(backlog, 'dutydesk_sla_timers_overdue')).toBeGreaterThanOrEqual(1);
    expect(sum(backlog, 'dutydesk_sla_oldest_overdue_seconds')).toBeGreaterThanOrEqual(20);

    const fired = await server.scheduler.tick();
    expect(fired.length).toBeGreaterThanOrEqual(1);
    await server.escalation.tick();
    const after = await scrape();
    const warnings = fired.filter((f) => !f.breach).length;
    expect(sum(after, 'dutydesk_sla_timers_fired_total', { kind: 'warning' })).toBe(warnings);
    expect(sum(after, 'dutydesk_sla_fire_lag_seconds_count', { kind: 'warning' })).toBe(warnings);
    // Fired 20 s after due (the manual clock): the lag says so.
    expect(
      sum(after, 'dutydesk_sla_fire_lag_seconds_sum', { kind: 'warning' }),
    ).toBeGreaterThanOrEqual(20 * warnings);
    expect(sum(after, 'dutydesk_sla_fire_lag_seconds_bucket', { kind: 'warning', le: '10' })).toBe(
      0,
    );
    expect(sum(after, 'dutydesk_sla_timers_overdue')).toBe(0);
    expect(sum(after, 'dutydesk_sla_oldest_overdue_seconds')).toBe(0);

    const alerts = after.filter((s) => s.name === 'dutydesk_alerts_open');
    expect(sum(after, 'dutydesk_alerts_open', { level: '1' })).toBeGreaterThanOrEqual(1);
    expect(alerts.every((s) => /^\d+$/.test(s.labels.level ?? '') && s.labels.severity)).toBe(true);
    expect(sum(after, 'dutydesk_metrics_collect_failures_total')).toBe(0);

    if (driver === 'postgres') {
      expect(sum(after, 'dutydesk_db_pool_max')).toBe(20);
      expect(sum(after, 'dutydesk_db_pool_connections')).toBeGreaterThanOrEqual(1);
      expect(sum(after, 'dutydesk_db_pool_idle')).toBeLessThanOrEqual(
        sum(after, 'dutydesk_db_pool_connections'),
      );
      expect(has(after, 'dutydesk_db_pool_waiting')).toBe(true);
    } else {
      expect(after.some((s) => s.name.startsWith('dutydesk_db_pool_'))).toBe(false);
    }
    expect(has(after, 'dutydesk_sla_replan_running')).toBe(true);
    expect(has(after, 'dutydesk_process_cpu_seconds_total')).toBe(true);
  });
});
