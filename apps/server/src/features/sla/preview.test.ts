import { holidayCn2026Ics, type SlaPolicy } from '@dutydesk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock';
import { ADMIN_PASSWORD, DRIVERS, startTestServer, type TestServer } from '../../testing/harness';
import { parseIcsHolidays } from './ics';
import type { CalendarDiff, ReplanPreview } from '@dutydesk/shared';
import { waitForReplanJobs, type ReplanJob } from './replan';
import { createTicket, MINUTE, readTicketOverHttp, T0 } from './sla.testing';

const PASSWORD = 'preview-pass-1';

const WEEKDAYS = { start: '09:00', end: '18:00' };
const TEST_CALENDAR = {
  name: 'Preview desk',
  timeZone: 'Asia/Shanghai',
  weekly: { mon: [WEEKDAYS], tue: [WEEKDAYS], wed: [WEEKDAYS], thu: [WEEKDAYS], fri: [WEEKDAYS] },
  extraWorkdayWindows: [WEEKDAYS],
};

describe.each(DRIVERS)('SLA dry runs on %s', (driver) => {
  let server: TestServer;
  let clock: ManualClock;
  let admin: string;
  let manager: string;
  let agent: string;

  beforeAll(async () => {
    clock = new ManualClock(T0);
    server = await startTestServer({ driver, clock });
    admin = await server.login('admin', ADMIN_PASSWORD);
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

  const readPolicies = async (): Promise<{ version: number; policies: SlaPolicy[] }> => {
    const res = await server.api('GET', '/api/sla/policies', { token: admin });
    expect(res.status).toBe(200);
    return res.body as { version: number; policies: SlaPolicy[] };
  };

  it('previews a policy change on the open tickets, writes nothing, and the re-plan agrees', async () => {
    const p1 = await createTicket(server, admin, { priority: 'P1', title: 'Core down' });
    await createTicket(server, admin, { priority: 'P2', title: 'Printer jam' });
    clock.advance(20 * MINUTE);
    const before = await readPolicies();
    const changed = structuredClone(before.policies);
    const resolve = changed[0]?.priorities.P1.targets.find((t) => t.name === 'resolve');
    expect(resolve?.due.kind).toBe('duration');
    if (resolve?.due.kind === 'duration') resolve.due.minutes = 18;

    const res = await server.api('POST', '/api/sla/policies/preview', {
      token: admin,
      body: { policies: changed },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const { preview, version } = res.body as { preview: ReplanPreview; version: number };
    expect(version).toBe(before.version);
    expect(preview).toMatchObject({ total: 2, moved: 1, earlier: 1, later: 0, becomeOverdue: 1 });
    expect(preview.moves).toEqual([
      expect.objectContaining({
        ticketId: p1.id,
        number: p1.number,
        title: 'Core down',
        target: 'resolve',
        state: 'running',
        newState: 'breached',
        newDueAt: new Date(Date.parse(T0) + 18 * MINUTE).toISOString(),
        becomesOverdue: true,
      }),
    ]);

    // Nothing stored: same settings version, same due time on the ticket, no re-plan.
    expect((await readPolicies()).version).toBe(before.version);
    const unchanged = await readTicketOverHttp(server, admin, p1.id);
    const resolveDue = unchanged.sla.targets.find((t) => t.name === 'resolve')?.dueAt;
    expect(resolveDue).toBe(new Date(Date.parse(T0) + 240 * MINUTE).toISOString());

    const saved = await server.api('PUT', '/api/sla/policies', {
      token: admin,
      body: { policies: changed },
    });
    expect(saved.status).toBe(202);
    const job = (saved.body as { replan: { id: string; href: string } }).replan;
    await waitForReplanJobs(server.ctx);
    const done = await server.api('GET', job.href, { token: admin });
    // `changed` may be 0: the scheduler, firing the response breach due meanwhile, can plan the
    // new targets first. What matters is where the ticket ends up.
    expect(done.body).toMatchObject({ status: 'done', total: 2, done: 2 });
    const replanned = await readTicketOverHttp(server, admin, p1.id);
    expect(replanned.sla.targets.find((t) => t.name === 'resolve')).toMatchObject({
      dueAt: preview.moves[0]?.newDueAt,
    });
    expect((done.body as ReplanJob).error).toBeNull();
  });

  it('refuses a policy preview like the save: field paths, admins only', async () => {
    const { policies } = await readPolicies();
    const bad = structuredClone(policies);
    (bad[0] as { thresholds: unknown[] }).thresholds = [{ percent: -5, colour: 'red' }];
    const res = await server.api('POST', '/api/sla/policies/preview', {
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
    for (const token of [manager, agent]) {
      const refused = await server.api('POST', '/api/sla/policies/preview', {
        token,
        body: { policies },
      });
      expect(refused.status).toBe(403);
    }
    const anonymous = await server.api('POST', '/api/sla/policies/preview', {
      body: { policies },
    });
    expect(anonymous.status).toBe(401);
  });

  it('previews a holiday import as days added and changed, storing nothing', async () => {
    const put = await server.api('PUT', '/api/sla/calendars/cn-preview', {
      token: admin,
      body: TEST_CALENDAR,
    });
    expect(put.status).toBe(202);
    await waitForReplanJobs(server.ctx);
    const post = (body: string, token = admin, path = 'cn-preview') =>
      fetch(`${server.url}/api/sla/calendars/${path}/import/preview`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/calendar' },
        body,
      });
    const res = await post(holidayCn2026Ics);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      imported: { holidays: number; workdays: number };
      diff: CalendarDiff;
      preview: ReplanPreview;
    };
    const list = parseIcsHolidays(holidayCn2026Ics);
    expect(body.imported).toEqual({
      holidays: list.holidays.length,
      workdays: list.workdays.length,
    });
    expect(body.diff.added).toHaveLength(list.holidays.length + list.workdays.length);
    expect(body.diff.added[0]).toMatchObject({ date: '2026-01-01', kind: 'holiday' });
    expect(body.diff.added.filter((d) => d.kind === 'workday').map((d) => d.date)).toEqual(
      list.workdays.map((w) => w.date),
    );
    expect(body.diff.removed).toEqual([]);
    expect(body.diff.changed).toEqual([]);
    expect(body.preview.total).toBeGreaterThan(0);
    const stored = await server.api('GET', '/api/sla/calendars/cn-preview', { token: admin });
    expect((stored.body as { holidays: unknown[] }).holidays).toEqual([]);

    // Imported for real, a second file turning New Year's Day into a working day is a change.
    const imported = await fetch(`${server.url}/api/sla/calendars/cn-preview/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'text/calendar' },
      body: holidayCn2026Ics,
    });
    expect(imported.status).toBe(202);
    await waitForReplanJobs(server.ctx);
    const again = await server.api('POST', '/api/sla/calendars/cn-preview/import/preview', {
      token: admin,
      body: { year: 2026, days: [{ name: '调休', date: '2026-01-01', isOffDay: false }] },
    });
    expect(again.status).toBe(200);
    const diff = (again.body as { diff: CalendarDiff }).diff;
    expect(diff.added).toEqual([]);
    expect(diff.changed).toEqual([
      {
        date: '2026-01-01',
        before: expect.objectContaining({ kind: 'holiday' }),
        after: { date: '2026-01-01', kind: 'workday', name: '调休', hours: null },
      },
    ]);
    expect(diff.unchanged).toBe(list.holidays.length + list.workdays.length - 1);
  });

  it('refuses an import preview like the import', async () => {
    const bad = await fetch(`${server.url}/api/sla/calendars/cn-preview/import/preview`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'text/calendar' },
      body: 'this is not a calendar',
    });
    expect(bad.status).toBe(400);
    const missing = await server.api('POST', '/api/sla/calendars/nowhere/import/preview', {
      token: admin,
      body: { year: 2026, days: [] },
    });
    expect(missing.status).toBe(404);
    const empty = await server.api('POST', '/api/sla/calendars/cn-preview/import/preview', {
      token: admin,
      body: { year: 2026, days: [] },
    });
    expect(empty.status).toBe(400);
    for (const token of [manager, agent]) {
      const refused = await server.api('POST', '/api/sla/calendars/cn-preview/import/preview', {
        token,
        body: { year: 2026, days: [] },
      });
      expect(refused.status).toBe(403);
    }
  });
});
