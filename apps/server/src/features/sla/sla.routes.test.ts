import {
  holidayCn2026Ics,
  parseHolidayCnJson,
  type HolidayList,
  type SlaPolicy,
  type Ticket,
} from '@dutydesk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock';
import { ADMIN_PASSWORD, DRIVERS, startTestServer, type TestServer } from '../../testing/harness';
import { parseIcsHolidays } from './ics';
import { waitForReplanJobs, type ReplanJob } from './replan';
import { listPendingTimers } from './sla.repo';
import {
  createTicket,
  MINUTE,
  prepareDesk,
  readTicketOverHttp,
  sendCommand,
  startWork,
  T0,
} from './sla.testing';

const PASSWORD = 'password-123';

function dueOf(ticket: Ticket, name: string): string | null | undefined {
  return ticket.sla.targets.find((t) => t.name === name)?.dueAt;
}

function datesOf(list: HolidayList): { holidays: string[]; workdays: string[] } {
  return {
    holidays: list.holidays.map((h) => h.date),
    workdays: list.workdays.map((w) => w.date),
  };
}

describe.each(DRIVERS)('SLA over REST on %s', (driver) => {
  let server: TestServer;
  let clock: ManualClock;
  let admin: string;
  let manager: string;
  let agent: string;
  let adminId: string;

  beforeAll(async () => {
    clock = new ManualClock(T0);
    server = await startTestServer({ driver, clock });
    admin = await server.login('admin', ADMIN_PASSWORD);
    adminId = await prepareDesk(server, admin);
    for (const [username, role] of [
      ['dm', 'duty_manager'],
      ['ag', 'agent'],
    ] as const) {
      const res = await server.api('POST', '/api/users', {
        token: admin,
        body: { username, password: PASSWORD, displayName: username, roles: [role] },
      });
      expect(res.status).toBe(201);
    }
    manager = await server.login('dm', PASSWORD);
    agent = await server.login('ag', PASSWORD);
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('gives a ticket created with a past receivedAt targets computed from receipt', async () => {
    // Received 07:00 Shanghai, before the P2 calendar opens at 09:00.
    const receivedAt = new Date(Date.parse(T0) - 3 * 60 * MINUTE).toISOString();
    const created = await createTicket(server, admin, { priority: 'P2', receivedAt });
    const ticket = await readTicketOverHttp(server, agent, created.id);
    expect(ticket.receivedAt).toBe(receivedAt);
    const byName = new Map(ticket.sla.targets.map((t) => [t.name, t]));
    // Response: 45 min of 09:00–21:00 → 09:45 Shanghai, already breached at 10:00.
    expect(byName.get('response')).toMatchObject({
      dueAt: '2026-03-02T01:45:00.000Z',
      state: 'breached',
    });
    // Resolve: 120 min → 11:00 Shanghai, running.
    expect(byName.get('resolve')).toMatchObject({
      dueAt: '2026-03-02T03:00:00.000Z',
      state: 'running',
    });
  });

  it('answers 403 to non-admins and 400 with field paths to an invalid policy', async () => {
    expect((await server.api('GET', '/api/sla/policies', { token: manager })).status).toBe(403);
    expect(
      (await server.api('PUT', '/api/sla/policies', { token: agent, body: { policies: [] } }))
        .status,
    ).toBe(403);
    expect((await server.api('GET', '/api/sla/calendars/24x7', { token: agent })).status).toBe(403);
    const got = await server.api('GET', '/api/sla/policies', { token: admin });
    expect(got.status).toBe(200);
    const policies = (got.body as { policies: SlaPolicy[] }).policies;
    expect(policies.map((p) => p.id)).toEqual(['default']);

    const bad = structuredClone(policies);
    (bad[0] as { thresholds: unknown[] }).thresholds = [{ percent: -5, colour: 'red' }];
    const res = await server.api('PUT', '/api/sla/policies', {
      token: admin,
      body: { policies: bad },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      error: {
        code: 'invalid',
        fields: expect.arrayContaining([
          expect.objectContaining({ path: 'policies.0.thresholds.0.percent' }),
        ]),
      },
    });
    const noDefault = [{ ...policies[0], id: 'contract', customerIds: ['acme'] }];
    const res2 = await server.api('PUT', '/api/sla/policies', {
      token: admin,
      body: noDefault,
    });
    expect(res2.status).toBe(400);
    expect(JSON.stringify(res2.body)).toContain('"path":"policies"');
    const unknownCalendar = structuredClone(policies);
    const p1 = unknownCalendar[0]?.priorities.P1.targets[0];
    if (p1) p1.due = { kind: 'duration', calendar: 'nowhere', minutes: 15 };
    const res3 = await server.api('PUT', '/api/sla/policies', {
      token: admin,
      body: { policies: unknownCalendar },
    });
    expect(res3.status).toBe(400);
    expect(JSON.stringify(res3.body)).toContain('unknown calendar nowhere');
  });

  it('refuses a policy that makes a resolution due before its response (the old P3 default)', async () => {
    const got = await server.api('GET', '/api/sla/policies', { token: admin });
    const policies = structuredClone((got.body as { policies: SlaPolicy[] }).policies);
    const response = policies[0]?.priorities.P3.targets.find((t) => t.name === 'response');
    expect(response?.due).toEqual({
      kind: 'earlierOf',
      calendar: 'cn-0900-1800',
      minutes: 240,
      time: '09:00',
    });
    if (response)
      response.due = { kind: 'nextWorkingDayAt', calendar: 'cn-0900-1800', time: '09:00' };
    const res = await server.api('PUT', '/api/sla/policies', { token: admin, body: { policies } });
    expect(res.status).toBe(400);
    const error = (
      res.body as { error: { code: string; fields: Array<{ path: string; message: string }> } }
    ).error;
    expect(error.code).toBe('invalid');
    expect(error.fields).toEqual([
      {
        path: 'policies.0.priorities.P3.targets',
        message: expect.stringMatching(
          /^P3: for a ticket received .* the resolution is due .*, before the response/,
        ),
      },
    ]);
  });

  it('imports China 2026 (iCalendar) into a calendar and exports it back, ICS and JSON', async () => {
    const put = await server.api('PUT', '/api/sla/calendars/cn-test', {
      token: admin,
      body: {
        name: 'Test desk',
        timeZone: 'Asia/Shanghai',
        weekly: {
          mon: [{ start: '09:00', end: '18:00' }],
          tue: [{ start: '09:00', end: '18:00' }],
          wed: [{ start: '09:00', end: '18:00' }],
          thu: [{ start: '09:00', end: '18:00' }],
          fri: [{ start: '09:00', end: '18:00' }],
        },
        extraWorkdayWindows: [{ start: '09:00', end: '18:00' }],
      },
    });
    expect(put.status).toBe(202);
    // holidayCn2026Ics is a verbatim copy of NateScarlet/holiday-cn's 2026.ics (its MIT licence:
    // packages/shared/src/domain/sla/data/LICENSE).
    const imported = await fetch(`${server.url}/api/sla/calendars/cn-test/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'text/calendar' },
      body: holidayCn2026Ics,
    });
    expect(imported.status).toBe(202);
    const original = parseIcsHolidays(holidayCn2026Ics);
    expect(await imported.json()).toMatchObject({
      imported: { holidays: original.holidays.length, workdays: original.workdays.length },
      replan: { id: expect.any(String) },
    });
    await waitForReplanJobs(server.ctx);

    const ics = await fetch(`${server.url}/api/sla/calendars/cn-test/export?format=ics`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(ics.status).toBe(200);
    expect(ics.headers.get('content-type')).toContain('text/calendar');
    const exported = parseIcsHolidays(await ics.text());
    expect(exported).toEqual(original);

    const json = await server.api('GET', '/api/sla/calendars/cn-test/export?format=json', {
      token: admin,
    });
    expect(json.status).toBe(200);
    expect(datesOf(parseHolidayCnJson(...(json.body as unknown[])))).toEqual(datesOf(original));
    const cal = await server.api('GET', '/api/sla/calendars/cn-test', { token: admin });
    expect(cal.body).toMatchObject({ id: 'cn-test', timeZone: 'Asia/Shanghai' });

    const reimport = await server.api('POST', '/api/sla/calendars/cn-test/import', {
      token: admin,
      body: json.body,
    });
    expect(reimport.status).toBe(202);
    await waitForReplanJobs(server.ctx);
    const again = await fetch(`${server.url}/api/sla/calendars/cn-test/export?format=ics`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(datesOf(parseIcsHolidays(await again.text()))).toEqual(datesOf(original));
    const junk = await fetch(`${server.url}/api/sla/calendars/cn-test/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'text/calendar' },
      body: 'not a calendar',
    });
    expect(junk.status).toBe(400);
    expect((await server.api('GET', '/api/sla/calendars/nope', { token: admin })).status).toBe(404);
  });

  it('reports overtime compensation per ticket and per customer to duty managers', async () => {
    clock.set(T0);
    // A P1 logged after the fact: received 6 h ago, so resolve was due 2 h ago.
    const receivedAt = new Date(Date.parse(T0) - 6 * 60 * MINUTE).toISOString();
    const ticket = await createTicket(server, admin, {
      priority: 'P1',
      receivedAt,
      customer: { org: 'acme' },
    });
    await startWork(server, admin, ticket.id, adminId);
    await sendCommand(server, admin, {
      type: 'ticket.log.execution',
      ticketId: ticket.id,
      work: 'replaced the line card',
      progress: 80,
      minutesSpent: 90,
    });
    const from = new Date(Date.parse(T0) - 24 * 60 * MINUTE).toISOString();
    const to = new Date(Date.parse(T0) + MINUTE).toISOString();
    const path = `/api/sla/compensation?from=${from}&to=${to}`;
    expect((await server.api('GET', path, { token: agent })).status).toBe(403);
    expect(
      (await server.api('GET', '/api/sla/compensation?from=x', { token: manager })).status,
    ).toBe(400);
    const res = await server.api('GET', path, { token: manager });
    expect(res.status).toBe(200);
    const report = res.body as {
      tickets: Array<{ ticketId: string; compensationMinutes: number; breached: boolean }>;
      customers: Array<{ customerId: string; compensationMinutes: number }>;
    };
    expect(report.tickets.find((t) => t.ticketId === ticket.id)).toMatchObject({
      breached: true,
      labourMinutesPastTarget: 90,
      sharePercent: 100,
      compensationMinutes: 90,
    });
    expect(report.customers.find((c) => c.customerId === 'acme')).toMatchObject({
      tickets: 1,
      breachedTickets: 1,
      compensationMinutes: 90,
    });
  });

  it('re-plans open tickets in the background after a policy change (202, job, moved due times)', async () => {
    clock.set(T0);
    const open = await createTicket(server, admin, { priority: 'P1', title: 'Before the change' });
    expect(dueOf(open, 'resolve')).toBe(new Date(Date.parse(T0) + 240 * MINUTE).toISOString());
    const { policies } = (await server.api('GET', '/api/sla/policies', { token: admin })).body as {
      policies: SlaPolicy[];
    };
    const next = structuredClone(policies);
    const resolve = next[0]?.priorities.P1.targets.find((t) => t.name === 'resolve');
    if (resolve?.due.kind === 'duration') resolve.due.minutes = 480;
    const res = await server.api('PUT', '/api/sla/policies', {
      token: admin,
      body: { policies: next },
    });
    expect(res.status).toBe(202);
    const { replan } = res.body as { replan: { id: string } };
    await waitForReplanJobs(server.ctx);
    const job = (await server.api('GET', `/api/sla/replans/${replan.id}`, { token: admin }))
      .body as ReplanJob;
    expect(job).toMatchObject({ status: 'done', error: null });
    expect(job.total).toBeGreaterThanOrEqual(1);
    expect(job.done).toBe(job.total);
    expect(job.changed).toBeGreaterThanOrEqual(1);

    const moved = await readTicketOverHttp(server, admin, open.id);
    expect(dueOf(moved, 'resolve')).toBe(new Date(Date.parse(T0) + 480 * MINUTE).toISOString());
    const timers = await listPendingTimers(server.ctx.database.db, open.id);
    expect(
      timers.filter((t) => t.target === 'resolve').map((t) => [t.threshold, t.dueAt.toISOString()]),
    ).toEqual([
      [50, new Date(Date.parse(T0) + 240 * MINUTE).toISOString()],
      [75, new Date(Date.parse(T0) + 360 * MINUTE).toISOString()],
      [90, new Date(Date.parse(T0) + 432 * MINUTE).toISOString()],
      [100, new Date(Date.parse(T0) + 480 * MINUTE).toISOString()],
    ]);
    const created = await createTicket(server, admin, { priority: 'P1', title: 'After' });
    expect(dueOf(created, 'resolve')).toBe(new Date(Date.parse(T0) + 480 * MINUTE).toISOString());
    const stored = (await server.api('GET', '/api/sla/policies', { token: admin })).body as {
      version: number;
    };
    expect(stored.version).toBeGreaterThan(0);
  });
});
