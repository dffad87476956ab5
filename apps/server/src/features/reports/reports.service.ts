/**
 * One report as a `ReportTable` (issue 22, decision 59): the period's ticket rows read once,
 * the figures computed by `figures.ts` (pure) or by the features that own them — the surveys'
 * CSAT and NPS (`readSurveyFigures`), the SLA feature's compensation lines.
 */
import {
  REPORT_LAYOUTS,
  summarizeCompensationByCustomer,
  type ReportCell,
  type ReportName,
  type ReportTable,
  type Ticket,
} from '@dutydesk/shared';
import type { AppContext } from '../../context';
import { HttpError } from '../../http/errors';
import { countAssignments } from '../quality';
import { computeCompensationLines } from '../sla';
import { readSurveyFigures } from '../surveys';
import { createTargetEvaluator, DESK_TIME_ZONE, readStoredTargets } from '../wallboard';
import {
  deskPeriod,
  failingModuleRows,
  redispatchRows,
  responseTimeRows,
  slaAttainmentRows,
  volumeRows,
  type ReportPeriod,
  type ReportTicket,
} from './figures';
import {
  organisationExists,
  readNames,
  readReportRows,
  readTicketsReceived,
  type ReportRow,
} from './reports.repo';

type Row = Record<string, ReportCell>;

/** The desk's time zone: the reports' days and weeks are its own. */
export const REPORT_TIME_ZONE = DESK_TIME_ZONE;

/** A row's ticket for the figures, its targets live (open) or as stored (closed). */
function toReportTicket(
  r: ReportRow,
  evaluate: ReturnType<typeof createTargetEvaluator>,
  now: Date,
): ReportTicket {
  const h = r.head;
  const targets = r.state
    ? evaluate(r.state, now)
    : readStoredTargets({ sla: { targets: h.targets ?? [] } } as unknown as Ticket);
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    priority: r.priority,
    category: h.category ?? null,
    module: h.module ?? null,
    organisationId: r.organisation_id,
    groupId: r.group_id,
    assigneeId: r.assignee_id,
    majorIncident: r.major_incident === true,
    receivedAt: h.receivedAt,
    firstResponseAt: h.firstResponseAt ?? null,
    resolvedAt: h.resolvedAt ?? null,
    targets,
    assignments: countAssignments({
      groupId: r.group_id,
      assigneeId: r.assignee_id,
      assignments: h.assignments,
    }),
    reopened:
      (h.statusHistory ?? []).some((s) => s.status === 'reopened') ||
      h.followUp?.outcome === 'not_resolved',
  };
}

async function surveyRows(
  ctx: AppContext,
  period: ReportPeriod,
  organisationId: string | null,
): Promise<Row[]> {
  const rows: Row[] = [];
  for (const w of period.weeks) {
    const f = await readSurveyFigures(
      ctx.database.db,
      new Date(w.from),
      new Date(w.to),
      organisationId,
    );
    const answers = f.csat.distribution;
    const satisfied = (answers[3] ?? 0) + (answers[4] ?? 0);
    rows.push({
      week: w.week,
      csat_responses: f.csat.responses,
      csat_average: f.csat.average,
      csat_satisfied_rate: f.csat.responses === 0 ? null : satisfied / f.csat.responses,
      csat_response_rate: f.csat.responseRate,
      nps_responses: f.nps.responses,
      nps_promoters: f.nps.promoters,
      nps_detractors: f.nps.detractors,
      nps: f.nps.score,
    });
  }
  return rows;
}

async function compensationRows(
  ctx: AppContext,
  period: ReportPeriod,
  organisationId: string | null,
  now: Date,
): Promise<Row[]> {
  const db = ctx.database.db;
  const list = await readTicketsReceived(
    db,
    new Date(period.from),
    new Date(period.to),
    organisationId,
  );
  const names = await readNames(db);
  const lines = computeCompensationLines(ctx, list, now);
  // A linked organisation's id is its key; older tickets keep their free-text organisation.
  const keyOf = (t: (typeof list)[number]) => t.organisationId ?? t.customer?.org ?? '';
  const customers = summarizeCompensationByCustomer(
    list.map((t, i) => ({ customerId: keyOf(t), compensation: lines[i]! })),
  );
  const linked = new Set<string>(list.flatMap((t) => (t.organisationId ? [t.organisationId] : [])));
  return customers
    .sort(
      (a, b) =>
        b.compensationMinutes - a.compensationMinutes ||
        (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0),
    )
    .map((c) => ({
      customer_id: linked.has(c.customerId) ? c.customerId : null,
      customer: linked.has(c.customerId)
        ? (names.organisations.get(c.customerId) ?? c.customerId)
        : c.customerId === ''
          ? null
          : c.customerId,
      tickets: c.tickets,
      breached_tickets: c.breachedTickets,
      compensation_minutes: c.compensationMinutes,
    }));
}

/**
 * Builds report `name` for desk days `from`…`to` (checked by `reportQuerySchema` on the route;
 * the monthly service report passes its month) and a customer organisation (absent or null: the
 * whole desk), measured at the server's now. 404 for an unknown organisation.
 */
export async function buildReport(
  ctx: AppContext,
  name: ReportName,
  query: { from: string; to: string; customerId?: string | null },
): Promise<ReportTable> {
  const db = ctx.database.db;
  const now = ctx.clock.now();
  const period = deskPeriod(query.from, query.to, REPORT_TIME_ZONE);
  const layout = REPORT_LAYOUTS[name];
  const organisationId = query.customerId ?? null;
  if (organisationId !== null && !(await organisationExists(db, organisationId)))
    throw new HttpError('not_found', `No organisation ${organisationId}`);
  let rows: Row[];
  if (name === 'survey-trends') rows = await surveyRows(ctx, period, organisationId);
  else if (name === 'compensation') rows = await compensationRows(ctx, period, organisationId, now);
  else {
    const evaluate = createTargetEvaluator(ctx);
    const read = await readReportRows(
      db,
      new Date(period.from),
      new Date(period.to),
      organisationId,
    );
    const list = read.map((r) => toReportTicket(r, evaluate, now));
    if (name === 'sla-attainment') rows = slaAttainmentRows(list, period, now.getTime());
    else if (name === 'response-times') rows = responseTimeRows(list, period);
    else if (name === 'volume') rows = volumeRows(list, period);
    else if (name === 'failing-modules') rows = failingModuleRows(list, period);
    else rows = redispatchRows(list, period, await readNames(db));
  }
  return {
    name,
    from: query.from,
    to: query.to,
    timeZone: REPORT_TIME_ZONE,
    generatedAt: now.toISOString(),
    filters: { customerId: organisationId },
    columns: layout.columns.map((c) => ({ ...c })),
    rows: rows.map((r) => Object.fromEntries(layout.columns.map((c) => [c.key, r[c.key] ?? null]))),
    ...(layout.chart ? { chart: { ...layout.chart, series: [...layout.chart.series] } } : {}),
  };
}
