/**
 * The reports' tests' side (issue 22, acceptance 4): a desk to generate history for, the
 * figures recomputed independently of the report code (from the generated plan and the ticket
 * rows, with docs/metrics.md's definitions written again here), and readers of the CSV and XLSX
 * the routes answer.
 */
import {
  buildSlaSubject,
  computeSla,
  type Actor,
  type ReportCell,
  type ReportColumn,
  type ReportName,
  type Ticket,
} from '@dutydesk/shared';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { expect } from 'vitest';
import { tickets as ticketsTable } from '../../db/schema';
import { ADMIN_PASSWORD, type TestServer } from '../../testing/harness';
import {
  planHistory,
  writeHistory,
  writeSurveyRows,
  type HistoryPeople,
  type PlannedAnswer,
  type PlannedTicket,
} from '../../testing/history';
import { seededRandom } from '../quality';

type Row = Record<string, ReportCell>;
const PASSWORD = 'password-123';
/** Asia/Shanghai has kept UTC+8 all year since 1991. */
const OFFSET = '+08:00';
const DAY = 86_400_000;

export interface Desk {
  admin: string;
  manager: string;
  agent: string;
  people: HistoryPeople;
  organisations: Array<{ id: string; name: string }>;
}

/** Groups, agents, a duty manager and three organisations, made over the API. */
export async function setUpDesk(server: TestServer, tag: string): Promise<Desk> {
  const admin = await server.login('admin', ADMIN_PASSWORD);
  const call = async (path: string, body: unknown) => {
    const res = await server.api('POST', path, { token: admin, body });
    expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(201);
    return res.body as { id: string };
  };
  const groups = ['desk', 'net', 'apps'].map((g) => `${tag}-${g}`);
  for (const [i, g] of groups.entries())
    await call('/api/groups', {
      id: g,
      name: `Team ${g}`,
      nameZh: `团队 ${g}`,
      tier: i === 0 ? 1 : 2,
    });
  const actors: Actor[] = [];
  for (let i = 0; i < 6; i++) {
    const username = `${tag}ag${i}`;
    const group = groups[i % groups.length] as string;
    const u = await call('/api/users', {
      username,
      password: PASSWORD,
      displayName: `Agent ${i} 坐席`,
      roles: ['engineer'],
      groups: [group],
    });
    actors.push({
      id: u.id,
      roles: ['engineer'],
      groupIds: groups,
      displayName: username,
    } as unknown as Actor);
  }
  const m = await call('/api/users', {
    username: `${tag}dm`,
    password: PASSWORD,
    displayName: 'Duty manager',
    roles: ['duty_manager'],
  });
  const manager: Actor = {
    id: m.id,
    roles: ['duty_manager'],
    groupIds: [],
    displayName: 'Duty manager',
  } as unknown as Actor;
  const organisations = [];
  for (const name of ['ACME Bank', '华信证券', 'Nordic Rail, "North"'])
    organisations.push({ id: (await call('/api/organisations', { name })).id, name });
  return {
    admin,
    manager: await server.login(`${tag}dm`, PASSWORD),
    agent: await server.login(`${tag}ag0`, PASSWORD),
    people: { actors, manager, groups },
    organisations,
  };
}

/** Survey answers for the generated tickets: CSAT on about half the closed, some NPS. */
export function planAnswers(planned: readonly PlannedTicket[], rnd: () => number): PlannedAnswer[] {
  const out: PlannedAnswer[] = [];
  for (const p of planned) {
    if (!p.closeAt || rnd() > 0.5) continue;
    const answered = rnd() < 0.6;
    out.push({
      kind: 'csat',
      ticketId: p.id,
      contactId: `contact-${p.organisationId ?? 'none'}-${out.length}`,
      organisationId: p.organisationId,
      round: null,
      score: 1 + Math.floor(rnd() * 5),
      invitedAt: p.closeAt,
      answeredAt: answered ? new Date(p.closeAt.getTime() + Math.floor(rnd() * 3 * DAY)) : null,
    });
  }
  for (let i = 0; i < Math.max(5, Math.floor(planned.length / 20)); i++) {
    const p = planned[i] as PlannedTicket;
    out.push({
      kind: 'nps',
      ticketId: null,
      contactId: `nps-${i}`,
      organisationId: p.organisationId,
      round: '2026-Q4',
      score: Math.floor(rnd() * 11),
      invitedAt: p.receivedAt,
      answeredAt: rnd() < 0.7 ? new Date(p.receivedAt.getTime() + Math.floor(rnd() * DAY)) : null,
    });
  }
  return out;
}

/**
 * Generates `count` tickets received over desk days `from`…`to` and their surveys, writes them
 * (`log: false`: rows only) and answers what the recomputation reads, with timings.
 */
export async function generateDesk(
  server: TestServer,
  desk: Desk,
  opts: { count: number; seed: number; from: string; to: string; now: Date; log?: boolean },
): Promise<{
  input: ExpectedInput;
  writeMs: number;
  surveyMs: number;
  timing: { decideMs: number; writeMs: number };
}> {
  const planned = planHistory(opts.count, {
    seed: opts.seed,
    start: new Date(`${opts.from}T00:00:00${OFFSET}`),
    end: new Date(`${opts.to}T23:59:59${OFFSET}`),
    people: desk.people,
    organisations: desk.organisations,
  });
  const timing = { decideMs: 0, writeMs: 0 };
  const started = performance.now();
  await writeHistory(server.ctx, planned, desk.people, { log: opts.log ?? true, timing });
  const wrote = performance.now();
  const answers = planAnswers(planned, seededRandom(`${opts.seed}-surveys`));
  await writeSurveyRows(server.ctx, answers);
  const surveyMs = performance.now() - wrote;
  const rows = (
    await server.ctx.database.db.select({ state: ticketsTable.state }).from(ticketsTable)
  ).map((r) => r.state as Ticket);
  expect(rows).toHaveLength(opts.count);
  return {
    input: {
      planned,
      rows,
      answers,
      now: opts.now,
      live: liveTargets(server, opts.now),
      names: {
        users: new Map(desk.people.actors.map((a, i) => [a.id as string, `Agent ${i} 坐席`])),
        groups: new Map(desk.people.groups.map((g) => [g, `Team ${g}`])),
      },
    },
    writeMs: wrote - started,
    surveyMs,
    timing,
  };
}

// ---- the independent recomputation -------------------------------------------------------

const at = (day: string) => Date.parse(`${day}T00:00:00${OFFSET}`);
const nextDay = (day: string) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
const between = (ms: number | null | undefined, from: number, to: number) =>
  ms !== null && ms !== undefined && ms >= from && ms < to;
const ratio = (a: number, b: number) => (b === 0 ? null : a / b);
const ms = (d: string | null | undefined) => (d ? Date.parse(d) : null);

/** The period's instants and its Monday-first weeks (cut to the period), in UTC+8. */
export function periodOf(from: string, to: string) {
  const start = at(from);
  const end = at(nextDay(to));
  // The Monday on or before `from`: 1970-01-05 was a Monday.
  const daysFromMonday = Math.floor((Date.parse(`${from}T00:00:00Z`) / DAY - 4) % 7);
  let monday = Date.parse(`${from}T00:00:00Z`) - daysFromMonday * DAY;
  const weeks: Array<{ week: string; from: number; to: number }> = [];
  while (monday < Date.parse(`${nextDay(to)}T00:00:00Z`)) {
    const day = new Date(monday).toISOString().slice(0, 10);
    weeks.push({ week: day, from: Math.max(start, at(day)), to: Math.min(end, at(day) + 7 * DAY) });
    monday += 7 * DAY;
  }
  return { start, end, weeks };
}

/** The last resolution of a plan if the ticket is resolved now (every later reopen resolved). */
const resolvedAtOf = (p: PlannedTicket) => p.resolutions.at(-1)?.getTime() ?? null;
const rank = (sorted: number[], p: number) =>
  sorted.length === 0
    ? null
    : (sorted[Math.max(1, Math.ceil((p * sorted.length) / 100)) - 1] as number);

export interface ExpectedInput {
  planned: readonly PlannedTicket[];
  rows: readonly Ticket[];
  answers: readonly PlannedAnswer[];
  now: Date;
  /** The SLA engine's live targets of an open ticket (the rows of closed ones are final). */
  live: (t: Ticket) => Ticket['sla']['targets'];
  names: { users: Map<string, string>; groups: Map<string, string> };
}

export function expectedRows(
  name: ReportName,
  from: string,
  to: string,
  input: ExpectedInput,
  customerId: string | null = null,
): Row[] {
  const { start, end, weeks } = periodOf(from, to);
  const planned = input.planned.filter(
    (p) => customerId === null || p.organisationId === customerId,
  );
  const rows = input.rows.filter((t) => customerId === null || t.organisationId === customerId);
  const nowMs = input.now.getTime();
  const received = planned.filter((p) => between(p.receivedAt.getTime(), start, end));
  if (name === 'sla-attainment') {
    const targets = rows.flatMap((t) =>
      (t.status === 'closed' ? t.sla.targets : input.live(t))
        .filter((x) => x.name === 'response' || x.name === 'resolve')
        .map((x) => ({ priority: t.priority, ...x })),
    );
    return weeks.map((w) => {
      const row: Row = { week: w.week };
      let met = 0;
      let breached = 0;
      for (const p of ['P1', 'P2', 'P3']) {
        let m = 0;
        let b = 0;
        for (const x of targets) {
          if (x.priority !== p) continue;
          const due = ms(x.dueAt);
          const late =
            x.state === 'breached' || (x.state === 'running' && due !== null && due <= nowMs);
          if (x.state === 'met' && between(ms(x.metAt), w.from, Math.min(w.to, nowMs + 1))) m++;
          else if (late && between(due, w.from, Math.min(w.to, nowMs + 1))) b++;
        }
        const k = p.toLowerCase();
        Object.assign(row, {
          [`${k}_met`]: m,
          [`${k}_breached`]: b,
          [`${k}_rate`]: ratio(m, m + b),
        });
        met += m;
        breached += b;
      }
      return { ...row, met, breached, rate: ratio(met, met + breached) };
    });
  }
  if (name === 'response-times') {
    return ['P1', 'P2', 'P3', 'all'].map((priority) => {
      const list = planned.filter((p) => priority === 'all' || p.priority === priority);
      const stats = (values: number[]) => {
        const s = [...values].sort((a, b) => a - b);
        const mean = s.length ? Math.round(s.reduce((a, b) => a + b, 0) / s.length) : null;
        return [s.length, rank(s, 50), rank(s, 90), mean];
      };
      const [rc, r50, r90, rm] = stats(
        list
          .filter((p) => between(p.respondAt?.getTime(), start, end))
          .map((p) => (p.respondAt as Date).getTime() - p.receivedAt.getTime()),
      );
      const [sc, s50, s90, sm] = stats(
        list
          .filter((p) => between(resolvedAtOf(p), start, end))
          .map((p) => (resolvedAtOf(p) as number) - p.receivedAt.getTime()),
      );
      return {
        priority,
        response_count: rc ?? 0,
        response_p50: r50 ?? null,
        response_p90: r90 ?? null,
        response_mean: rm ?? null,
        resolution_count: sc ?? 0,
        resolution_p50: s50 ?? null,
        resolution_p90: s90 ?? null,
        resolution_mean: sm ?? null,
      };
    });
  }
  if (name === 'volume') {
    const groups = new Map<string, PlannedTicket[]>();
    for (const p of received) {
      const key = `${p.category}|${p.module ?? ''}`;
      groups.set(key, [...(groups.get(key) ?? []), p]);
    }
    return [...groups.values()].map((list) => {
      const p = list[0] as PlannedTicket;
      return {
        label: `${p.category} / ${p.module ?? '—'}`,
        category: p.category,
        module: p.module,
        tickets: list.length,
        p1: list.filter((x) => x.priority === 'P1').length,
        p2: list.filter((x) => x.priority === 'P2').length,
        p3: list.filter((x) => x.priority === 'P3').length,
        share: list.length / received.length,
      };
    });
  }
  if (name === 'failing-modules') {
    const incidents = received.filter((p) => p.kind === 'incident');
    const groups = new Map<string | null, PlannedTicket[]>();
    for (const p of incidents) groups.set(p.module, [...(groups.get(p.module) ?? []), p]);
    return [...groups.entries()].map(([module, list]) => ({
      module,
      incidents: list.length,
      p1: list.filter((x) => x.priority === 'P1').length,
      major: 0,
      reopened: list.filter((x) => x.reopenAt !== null || x.followUpNotResolved).length,
      share: list.length / incidents.length,
    }));
  }
  if (name === 'redispatch-ftf') {
    const resolved = planned.filter((p) => between(resolvedAtOf(p), start, end));
    const out: Row[] = [];
    const add = (
      scope: string,
      id: string | null,
      nameOf: string | null,
      list: PlannedTicket[],
    ) => {
      const re = list.filter((p) => p.dispatch.length >= 2).length;
      const ftf = list.filter((p) => p.reopenAt === null && !p.followUpNotResolved).length;
      out.push({
        scope,
        id,
        name: nameOf,
        resolved: list.length,
        redispatched: re,
        redispatch_rate: ratio(re, list.length),
        first_time_fixed: ftf,
        first_time_fix_rate: ratio(ftf, list.length),
      });
    };
    if (resolved.length > 0) add('desk', null, null, resolved);
    const by = (key: (p: PlannedTicket) => string) => {
      const m = new Map<string, PlannedTicket[]>();
      for (const p of resolved) m.set(key(p), [...(m.get(key(p)) ?? []), p]);
      return [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
    };
    for (const [g, list] of by((p) => p.dispatch.at(-1)!.groupId))
      add('team', g, input.names.groups.get(g) ?? g, list);
    for (const [u, list] of by((p) => p.dispatch.at(-1)!.assigneeId))
      add('agent', u, input.names.users.get(u) ?? u, list);
    return out;
  }
  if (name === 'survey-trends') {
    const answers = input.answers.filter(
      (a) => customerId === null || a.organisationId === customerId,
    );
    return weeks.map((w) => {
      const csat = answers.filter(
        (a) => a.kind === 'csat' && between(a.answeredAt?.getTime(), w.from, w.to),
      );
      const nps = answers.filter(
        (a) => a.kind === 'nps' && between(a.answeredAt?.getTime(), w.from, w.to),
      );
      const invited = answers.filter(
        (a) => a.kind === 'csat' && between(a.invitedAt.getTime(), w.from, w.to),
      );
      const sum = csat.reduce((s, a) => s + a.score, 0);
      const promoters = nps.filter((a) => a.score >= 9).length;
      const detractors = nps.filter((a) => a.score <= 6).length;
      return {
        week: w.week,
        csat_responses: csat.length,
        csat_average: csat.length ? Math.round((sum / csat.length) * 100) / 100 : null,
        csat_satisfied_rate: ratio(csat.filter((a) => a.score >= 4).length, csat.length),
        csat_response_rate: ratio(
          invited.filter((a) => a.answeredAt !== null).length,
          invited.length,
        ),
        nps_responses: nps.length,
        nps_promoters: promoters,
        nps_detractors: detractors,
        nps: nps.length ? Math.round(((promoters - detractors) / nps.length) * 1000) / 10 : null,
      };
    });
  }
  // compensation: the policy's share (P1 100 %, P2 50 %, P3 20 %) of the labour logged after
  // a breached resolve target was due, tickets received in the period, per organisation.
  const share: Record<string, number> = { P1: 100, P2: 50, P3: 20 };
  const sums = new Map<string, { tickets: number; breached: number; minutes: number }>();
  for (const t of rows) {
    if (!between(Date.parse(t.receivedAt), start, end)) continue;
    const target = (t.status === 'closed' ? t.sla.targets : input.live(t)).find(
      (x) => x.name === 'resolve',
    );
    const key = t.organisationId ?? '';
    const s = sums.get(key) ?? { tickets: 0, breached: 0, minutes: 0 };
    s.tickets++;
    if (target?.state === 'breached' && target.dueAt) {
      s.breached++;
      const due = Date.parse(target.dueAt);
      let past = 0;
      for (const e of t.executionLog) {
        const endMs = Date.parse(e.at);
        if (endMs > due) past += endMs - Math.max(endMs - e.minutesSpent * 60_000, due);
      }
      s.minutes =
        Math.round(
          (s.minutes + Math.round((past / 60_000) * (share[t.priority] ?? 0)) / 100) * 100,
        ) / 100;
    }
    sums.set(key, s);
  }
  const orgName = new Map(input.planned.map((p) => [p.organisationId ?? '', p.organisationName]));
  return [...sums.entries()].map(([key, s]) => ({
    customer_id: key === '' ? null : key,
    customer: key === '' ? null : (orgName.get(key) ?? null),
    tickets: s.tickets,
    breached_tickets: s.breached,
    compensation_minutes: s.minutes,
  }));
}

/** Rows in one order for comparing: by every value of the row. */
export const sortRows = (rows: readonly Row[]): Row[] =>
  [...rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

/** Compares rows with ratios and averages to 1e-9 (they are computed in another order). */
export function expectSameRows(actual: readonly Row[], expected: readonly Row[], what: string) {
  expect(actual.length, `${what}: rows`).toBe(expected.length);
  actual.forEach((row, i) => {
    const exp = expected[i] as Row;
    for (const key of Object.keys(exp)) {
      const a = row[key];
      const e = exp[key];
      if (typeof a === 'number' && typeof e === 'number' && !Number.isInteger(e))
        expect(Math.abs(a - e), `${what} row ${i} ${key}: ${a} vs ${e}`).toBeLessThan(1e-9);
      else expect(a, `${what} row ${i} ${key}`).toEqual(e);
    }
  });
}

/** The live targets of an open ticket with the server's policy and calendars. */
export function liveTargets(server: TestServer, now: Date) {
  const seen = new Map<string, Ticket['sla']['targets']>();
  const live = (t: Ticket) =>
    computeSla(
      buildSlaSubject(t),
      server.ctx.sla.policyFor(t),
      server.ctx.sla.calendars(),
      now,
    ) as unknown as Ticket['sla']['targets'];
  return (t: Ticket) => {
    let targets = seen.get(t.id);
    if (!targets) seen.set(t.id, (targets = live(t)));
    return targets;
  };
}

// ---- reading the files back --------------------------------------------------------------

/** A CSV answer's header and rows, typed back by the columns (numbers from their text). */
export function readCsv(text: string, columns: readonly ReportColumn[]) {
  expect(text.charCodeAt(0), 'a byte-order mark').toBe(0xfeff);
  const records = parseCsv(text.slice(1), { relax_quotes: false }) as string[][];
  const [header, ...body] = records;
  return {
    header: header ?? [],
    rows: body.map((cells) =>
      Object.fromEntries(
        columns.map((c, i) => {
          const v = cells[i] ?? '';
          if (v === '') return [c.key, null];
          return [c.key, c.type === 'text' || c.type === 'date' ? v : Number(v)];
        }),
      ),
    ),
  };
}

/** An XLSX answer read back with exceljs: header, typed cells, the view and the header's font. */
export async function readXlsx(bytes: ArrayBuffer, columns: readonly ReportColumn[]) {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes);
  const sheet = book.worksheets[0];
  if (!sheet) throw new Error('no sheet');
  const header = columns.map((_, i) => String(sheet.getRow(1).getCell(i + 1).value ?? ''));
  const rows: Row[] = [];
  const formats: string[] = columns.map(() => '');
  for (let r = 2; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    rows.push(
      Object.fromEntries(
        columns.map((c, i) => {
          const cell = row.getCell(i + 1);
          if (cell.value !== null && cell.value !== undefined) formats[i] = cell.numFmt ?? '';
          const v = cell.value;
          if (v === null || v === undefined) return [c.key, null];
          // exceljs reads a time-formatted number as a date from Excel's epoch (1899-12-30).
          if (v instanceof Date && c.type === 'duration_ms')
            return [c.key, Math.round(v.getTime() - Date.UTC(1899, 11, 30))];
          if (v instanceof Date) return [c.key, v.toISOString().slice(0, 10)];
          if (c.type === 'duration_ms' && typeof v === 'number')
            return [c.key, Math.round(v * DAY)];
          expect(typeof v === 'number' ? 'number' : 'string', `${c.key} cell type`).toBe(
            ['text', 'date'].includes(c.type) ? 'string' : 'number',
          );
          return [c.key, v as ReportCell];
        }),
      ),
    );
  }
  const view = sheet.views[0] as { state?: string; ySplit?: number } | undefined;
  return {
    header,
    rows,
    formats,
    frozen: view?.state === 'frozen' && view.ySplit === 1,
    bold: columns.every((_, i) => sheet.getRow(1).getCell(i + 1).font?.bold === true),
  };
}
