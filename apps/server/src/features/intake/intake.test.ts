import type { Ticket } from '@dutydesk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock';
import {
  addDutyManagerOnShift,
  DRIVERS,
  startTestServer,
  type TestServer,
} from '../../testing/harness';
import { AlertInbox, signInAndAddL2 } from '../escalation/escalation.testing';
import { MINUTE } from '../sla/sla.testing';
import { SmtpSink } from '../../testing/smtpSink';

type Accepted = { accepted: number; duplicates: number; skipped: number; ticketIds: string[] };

/** An Alertmanager v4 notification as Alertmanager sends it (one group, its alerts). */
function notification(
  status: 'firing' | 'resolved',
  alerts: Array<{
    fingerprint: string;
    instance: string;
    status?: 'firing' | 'resolved';
    severity?: string;
  }>,
) {
  return {
    version: '4',
    groupKey: '{}/{severity=~"warning|critical"}:{alertname="InstanceDown"}',
    truncatedAlerts: 0,
    status,
    receiver: 'dutydesk',
    groupLabels: { alertname: 'InstanceDown' },
    commonLabels: { alertname: 'InstanceDown', job: 'node' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager.example:9093',
    alerts: alerts.map((a) => ({
      status: a.status ?? status,
      labels: {
        alertname: 'InstanceDown',
        job: 'node',
        instance: a.instance,
        severity: a.severity ?? 'critical',
      },
      annotations: {
        summary: `${a.instance} is down`,
        description: `${a.instance} has not answered for 5 minutes`,
      },
      startsAt: '2026-12-04T01:00:00.000Z',
      endsAt:
        (a.status ?? status) === 'resolved' ? '2026-12-04T01:30:00.000Z' : '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus.example:9090/graph?g0.expr=up+%3D%3D+0',
      fingerprint: a.fingerprint,
    })),
  };
}

/**
 * Issue 19 acceptance 1 on both drivers: the Alertmanager and metrics doors with real payloads,
 * duplicates without effect, and an integration token that opens nothing else. One server per
 * driver; a manual clock moves time past the resend window and the 2 h target.
 */
describe.each(DRIVERS)('intake doors on %s', (driver) => {
  let server: TestServer;
  let clock: ManualClock;
  let admin: string;
  let dmToken: string;
  let dmId: string;
  let token: string;
  let orgId: string;
  let leadId: string;
  let sink: SmtpSink;

  const door = async (path: string, body: unknown, t = token) => {
    const res = await server.api('POST', `/api/intake/${path}`, { token: t, body });
    return res as { status: number; body: Accepted };
  };
  const ticket = async (id: string): Promise<Ticket> => {
    const res = await server.api('GET', `/api/tickets/${id}`, { token: admin });
    expect(res.status).toBe(200);
    return res.body as Ticket;
  };
  const monitoringTickets = async (): Promise<Ticket[]> => {
    const res = await server.api('GET', '/api/tickets?limit=500', { token: admin });
    return ((res.body as { tickets: Ticket[] }).tickets ?? []).filter(
      (t) => t.channel === 'monitoring',
    );
  };

  beforeAll(async () => {
    clock = new ManualClock(new Date());
    sink = await SmtpSink.start();
    server = await startTestServer({ driver, clock, env: { DUTYDESK_SMTP_URL: sink.url } });
    admin = await signInAndAddL2(server);
    ({ id: dmId, token: dmToken } = await addDutyManagerOnShift(server, admin, clock.now()));
    const org = await server.api('POST', '/api/organisations', {
      token: admin,
      body: { name: 'ACME Bank' },
    });
    expect(org.status).toBe(201);
    orgId = (org.body as { id: string }).id;
    const lead = await server.api('POST', '/api/contacts', {
      token: admin,
      body: {
        name: 'Li Na',
        phone: '021 5555 0101',
        email: 'li.na@acme.example',
        role: 'operations lead',
        organisationId: orgId,
      },
    });
    expect(lead.status).toBe(201);
    leadId = (lead.body as { id: string }).id;
    const created = await server.api('POST', '/api/integrations', {
      token: admin,
      body: { name: 'Prometheus', kind: 'alertmanager' },
    });
    expect(created.status).toBe(201);
    token = (created.body as { token: string }).token;
    const dev = await server.api('PUT', '/api/intake/devices/gw-1', {
      token: admin,
      body: {
        name: 'Shanghai gateway 1',
        organisationId: orgId,
        leadContactId: leadId,
        thresholds: { cpu_load: 80 },
      },
    });
    expect(dev.status).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await server?.dispose();
    await sink?.stop();
  });

  it('integration tokens: shown once, listed without it, stored hashed, revocable; a token opens the doors and nothing else', async () => {
    const list = await server.api('GET', '/api/integrations', { token: admin });
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.body)).not.toContain(token);
    expect(
      (list.body as { integrations: Array<{ name: string }> }).integrations.map((i) => i.name),
    ).toContain('Prometheus');
    const { rows } = (await server.ctx.database.db.execute(
      "select token_hash from integrations where name = 'Prometheus'",
    )) as unknown as { rows: Array<{ token_hash: string }> };
    expect(rows[0]?.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]?.token_hash).not.toContain(token);

    // Nothing else: reads, commands, admin routes and a socket all refuse it.
    for (const [method, path, body] of [
      ['GET', '/api/tickets', undefined],
      ['GET', '/api/integrations', undefined],
      ['GET', '/api/intake/settings', undefined],
      ['GET', '/api/wallboard/metrics', undefined],
      [
        'POST',
        '/api/commands',
        {
          commandId: 'c-intake-0001',
          type: 'ticket.create',
          title: 'x',
          description: 'x',
          channel: 'api',
        },
      ],
    ] as const) {
      const res = await server.api(method, path, { token, body });
      expect(`${method} ${path} ${res.status}`).toBe(`${method} ${path} 401`);
    }
    await expect(server.connect(token)).rejects.toThrow(/unauthorized/);
    // A session token does not open a door.
    expect(
      (
        await door(
          'metrics',
          { samples: [{ device: 'gw-1', metric: 'cpu_load', value: 1 }] },
          admin,
        )
      ).status,
    ).toBe(401);
    expect((await door('metrics', { samples: [] })).status).toBe(400);

    const other = await server.api('POST', '/api/integrations', {
      token: admin,
      body: { name: 'old', kind: 'zabbix' },
    });
    const o = other.body as { id: string; token: string };
    expect(
      (
        await door(
          'metrics',
          { samples: [{ device: 'x', metric: 'm', value: 1, threshold: 5 }] },
          o.token,
        )
      ).status,
    ).toBe(202);
    expect((await server.api('DELETE', `/api/integrations/${o.id}`, { token: admin })).status).toBe(
      204,
    );
    expect(
      (
        await door(
          'metrics',
          { samples: [{ device: 'x', metric: 'm', value: 1, threshold: 5 }] },
          o.token,
        )
      ).status,
    ).toBe(401);
    expect(
      (
        await server.api('POST', '/api/integrations', {
          token: dmToken,
          body: { name: 'n', kind: 'cti' },
        })
      ).status,
    ).toBe(403);
  });

  it('Alertmanager: firing opens one ticket per fingerprint (grouped), the mapped priority; a resend does nothing; a repeat counts; resolved records the recovery', async () => {
    const settings = await server.api('GET', '/api/intake/settings', { token: admin });
    const rules = {
      ...(settings.body as Record<string, unknown>),
      severityPriority: { critical: 'P1', warning: 'P3', default: 'P3' },
    };
    expect(
      (await server.api('PUT', '/api/intake/settings', { token: admin, body: rules })).status,
    ).toBe(200);

    const firing = notification('firing', [
      { fingerprint: 'fp-db-1', instance: 'db-1:9100' },
      { fingerprint: 'fp-db-2', instance: 'db-2:9100', severity: 'warning' },
    ]);
    const first = await door('alertmanager', firing);
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ accepted: 2, duplicates: 0 });
    expect(first.body.ticketIds).toHaveLength(2);
    const [t1, t2] = await Promise.all(first.body.ticketIds.map(ticket));
    expect(t1).toMatchObject({
      channel: 'monitoring',
      priority: 'P1',
      category: 'monitoring-alert',
    });
    expect(t2).toMatchObject({ channel: 'monitoring', priority: 'P3' });
    expect(t1?.title).toContain('db-1:9100 is down');

    // The same notification again at once (a retry): no effect.
    const again = await door('alertmanager', firing);
    expect(again.body).toMatchObject({ accepted: 2, duplicates: 2, ticketIds: [] });
    expect((await ticket(t1!.id)).version).toBe(t1!.version);

    // Alertmanager's repeat after its repeat interval: counted on the same tickets, no new ticket.
    clock.advance(4 * 60 * MINUTE);
    const repeat = await door('alertmanager', firing);
    expect(repeat.body).toMatchObject({ accepted: 2, duplicates: 0 });
    expect([...repeat.body.ticketIds].sort()).toEqual([t1!.id, t2!.id].sort());
    const repeated = await ticket(t1!.id);
    expect(repeated.intake).toMatchObject({
      source: 'alertmanager',
      count: 2,
      lastSeenAt: clock.now().toISOString(),
      recoveredAt: null,
    });

    // One alert of the group resolved, the other still firing (a grouped notification).
    clock.advance(MINUTE);
    const mixed = notification('firing', [
      { fingerprint: 'fp-db-1', instance: 'db-1:9100', status: 'resolved' },
      { fingerprint: 'fp-db-2', instance: 'db-2:9100', severity: 'warning' },
    ]);
    const res = await door('alertmanager', mixed);
    expect(res.body).toMatchObject({ accepted: 2 });
    const recovered = await ticket(t1!.id);
    expect(recovered.intake?.recoveredAt).toBe('2026-12-04T01:30:00.000Z');
    expect(recovered.status).toBe('received'); // the rule does not resolve (resolveOnRecovery false)
    expect((await ticket(t2!.id)).intake?.count).toBe(3);
    // The resolved one again: nothing.
    const resolvedAgain = await door(
      'alertmanager',
      notification('resolved', [{ fingerprint: 'fp-db-1', instance: 'db-1:9100' }]),
    );
    expect(resolvedAgain.body).toMatchObject({ accepted: 1, duplicates: 1, ticketIds: [] });
    expect(
      (await monitoringTickets()).filter((t) => t.category === 'monitoring-alert'),
    ).toHaveLength(2);
  });

  it('metrics: 2 samples over → nothing; the 3rd → one orange ticket with its 2 h target; 160 % → the P1 red ticket and the duty manager\u2019s seat alerted within a second', async () => {
    const base = clock.now().getTime() - 10 * MINUTE;
    const sample = (i: number, value: number) => ({
      device: 'gw-1',
      metric: 'cpu_load',
      value,
      at: new Date(base + i * 1000).toISOString(),
    });
    const before = (await monitoringTickets()).length;

    const two = await door('metrics', { samples: [sample(0, 85), sample(1, 90)] });
    expect(two.body).toEqual({ accepted: 2, duplicates: 0, skipped: 0, ticketIds: [] });
    expect((await monitoringTickets()).length).toBe(before);

    const third = await door('metrics', { samples: [sample(2, 88)] });
    expect(third.body.ticketIds).toHaveLength(1);
    const orange = await ticket(third.body.ticketIds[0]!);
    expect(orange).toMatchObject({
      channel: 'monitoring',
      category: 'pre-maintenance',
      organisationId: orgId,
    });
    const target = orange.sla.targets.find((t) => t.name === 'pre-maintenance started');
    expect(target?.state).toBe('running');
    expect(Date.parse(target?.dueAt ?? '') - Date.parse(orange.receivedAt)).toBe(2 * 60 * MINUTE);
    // The same samples again: no effect.
    const dup = await door('metrics', { samples: [sample(1, 90), sample(2, 88)] });
    expect(dup.body).toEqual({ accepted: 2, duplicates: 2, skipped: 0, ticketIds: [] });
    // Still over: nothing more.
    expect(
      (await door('metrics', { samples: [sample(3, 86), sample(4, 87)] })).body.ticketIds,
    ).toEqual([]);

    // 160 % of the threshold: red at once, on the device metric's one open ticket (now P1 field service).
    const inbox = new AlertInbox((await server.connect(dmToken)).socket);
    const started = performance.now();
    const red = await door('metrics', { samples: [sample(5, 128)] });
    expect(red.body.ticketIds).toEqual([orange.id]);
    const alert = await inbox.next(
      (a) => a.ticketId === orange.id && a.kind === 'device.red',
      'the red warning',
    );
    const latencyMs = performance.now() - started;
    expect(
      latencyMs,
      `red sample → duty manager's seat took ${latencyMs.toFixed(0)} ms`,
    ).toBeLessThan(1000);
    expect(alert.recipientIds).toContain(dmId);
    const p1 = await ticket(orange.id);
    expect(p1).toMatchObject({ priority: 'P1', category: 'field-service' });
    // One mail to the operations lead, through the outbox to the local SMTP sink.
    const mail = await sink.waitFor((m) => m.rcptTo.includes('li.na@acme.example'), {
      what: 'the red warning mail to the operations lead',
    });
    expect(mail.subject).toContain(p1.number);
    expect(mail.subject).toContain('cpu_load');
    expect((await monitoringTickets()).length).toBe(before + 1);
    // Red again and flapping around the threshold: no new ticket, no second alert.
    const flap = Array.from({ length: 30 }, (_, i) => sample(6 + i, i % 2 === 0 ? 130 : 70));
    await door('metrics', { samples: flap });
    expect((await monitoringTickets()).length).toBe(before + 1);
    expect(inbox.alerts.filter((a) => a.ticketId === orange.id)).toHaveLength(1);
    const { rows } = (await server.ctx.database.db.execute(
      "select template from mail_outbox where to_address = 'li.na@acme.example'",
    )) as unknown as { rows: Array<{ template: string }> };
    expect(rows.map((r) => r.template)).toEqual(['device.alert']);

    // A device without an orange first: a red sample opens a P1 field-service ticket at once.
    const fresh = await door('metrics', {
      samples: [
        {
          device: 'rt-9',
          metric: 'latency_ms',
          value: 80,
          threshold: 50,
          at: new Date(base).toISOString(),
        },
      ],
    });
    expect(fresh.body.ticketIds).toHaveLength(1);
    expect(await ticket(fresh.body.ticketIds[0]!)).toMatchObject({
      priority: 'P1',
      category: 'field-service',
      channel: 'monitoring',
    });
    // No threshold known: skipped, said so.
    expect(
      (await door('metrics', { samples: [{ device: 'unknown', metric: 'm', value: 1 }] })).body
        .skipped,
    ).toBe(1);
  });

  it('recovery after the configured samples under the threshold is noted on the ticket', async () => {
    const base = clock.now().getTime() - 5 * MINUTE;
    const sample = (i: number, value: number) => ({
      device: 'gw-1',
      metric: 'cpu_load',
      value,
      at: new Date(base + i * 1000).toISOString(),
    });
    const res = await door('metrics', { samples: [sample(0, 50), sample(1, 50), sample(2, 50)] });
    expect(res.body.ticketIds).toHaveLength(1);
    const t = await ticket(res.body.ticketIds[0]!);
    // The flapping before ended on one sample under: the 2nd one here makes the 3 in a row.
    expect(t.intake?.recoveredAt).toBe(new Date(base + 1000).toISOString());
    expect(res.body.duplicates).toBe(0);
  });
});
