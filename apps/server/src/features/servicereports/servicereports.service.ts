/**
 * The monthly service report (issue 22, decision 60): per customer and for the whole desk, the
 * reports feature's tables of a period (computed by its functions, never here) with the counts
 * of tickets, major incidents and problem records, kept with a PDF. The monthly job makes the
 * past month's on the first engine run of a month, once across nodes: a lease per month
 * (`service_report_runs`), one row per scope (unique per month and scope), so a node taking a
 * lapsed lease over keeps only what is missing. On demand: any period, for the desk or one
 * organisation.
 */
import {
  type ReportName,
  type ReportTable,
  type ServiceReport,
  type ServiceReportContent,
  type ServiceReportKind,
  type ServiceReportLocale,
} from '@dutydesk/shared';
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AppContext } from '../../context';
import { findPdfFont, type PdfFont } from './font';
import { formatDeskInstant, previousDeskMonth, type ReportPeriod } from './period';
import { renderServiceReportPdf } from './pdf';
import {
  claimRun,
  countPeriod,
  finishRun,
  insertServiceReport,
  isRunDone,
  listActiveOrganisations,
  listKeptScopes,
  readServiceReport,
  renewRun,
} from './servicereports.repo';

/** One report of the reports feature for a period (and a customer): its function, injected. */
export type ReportSource = (
  name: ReportName,
  query: { from: string; to: string; customerId: string | null },
) => Promise<ReportTable>;

/** The report's tables, in order: a customer's leaves out the staff's re-dispatch table. */
export const DESK_SECTIONS: readonly ReportName[] = [
  'sla-attainment',
  'response-times',
  'volume',
  'failing-modules',
  'redispatch-ftf',
  'survey-trends',
  'compensation',
];
export const CUSTOMER_SECTIONS: readonly ReportName[] = DESK_SECTIONS.filter(
  (n) => n !== 'redispatch-ftf',
);

const LEASE_MS = 10 * 60_000;

export interface MakeInput {
  kind: ServiceReportKind;
  month: string | null;
  period: ReportPeriod;
  organisation: { id: string; name: string } | null;
  locale: ServiceReportLocale;
  by: string | null;
}

export interface MonthlyRun {
  month: string;
  made: number;
  skipped: number;
}

export function createServiceReports(ctx: AppContext, deps: { source: ReportSource }) {
  const db = ctx.database.db;
  const configured = ctx.config.reports.pdfFont;
  const font: PdfFont | null = findPdfFont(configured);
  if (configured && !font)
    ctx.log.warn({ path: configured }, 'DUTYDESK_PDF_FONT not found: PDFs fall back to Helvetica');
  else if (!font) ctx.log.warn('no CJK font for PDFs (fonts-noto-cjk): Chinese text prints as "?"');
  /** The font's bytes, read once per node (a collection is ~20 MB). */
  let fontBytes: Buffer | null = null;
  const fontFor = (): PdfFont | null => {
    if (!font) return null;
    fontBytes ??= readFileSync(font.path);
    return font;
  };

  async function compose(
    period: ReportPeriod,
    organisationId: string | null,
  ): Promise<ServiceReportContent> {
    const names = organisationId ? CUSTOMER_SECTIONS : DESK_SECTIONS;
    const sections: ReportTable[] = [];
    for (const name of names)
      sections.push(
        await deps.source(name, { from: period.from, to: period.to, customerId: organisationId }),
      );
    const counts = await countPeriod(db, period.start, period.end, organisationId);
    return { counts, sections };
  }

  /** The PDF of a report in a language. */
  function renderPdf(report: ServiceReport, locale: ServiceReportLocale): Promise<Buffer> {
    const f = fontFor();
    return renderServiceReportPdf({
      report,
      locale,
      font: f && fontBytes ? { ...f, bytes: fontBytes } : null,
      periodLabel:
        report.month ?? (report.from === report.to ? report.from : `${report.from} – ${report.to}`),
      generatedLabel: formatDeskInstant(new Date(report.generatedAt)),
    });
  }

  /** Computes, renders and keeps one report; null when a monthly one of its scope was kept first. */
  async function make(input: MakeInput): Promise<ServiceReport | null> {
    const content = await compose(input.period, input.organisation?.id ?? null);
    const report: ServiceReport = {
      id: randomUUID(),
      kind: input.kind,
      month: input.month,
      from: input.period.from,
      to: input.period.to,
      organisationId: input.organisation?.id ?? null,
      organisationName: input.organisation?.name ?? null,
      locale: input.locale,
      generatedAt: ctx.clock.now().toISOString(),
      generatedBy: input.by,
      pdfBytes: 0,
      content,
    };
    const pdf = await renderPdf(report, input.locale);
    const stored = await insertServiceReport(db, {
      ...report,
      generatedAt: new Date(report.generatedAt),
      pdf,
      pdfSha256: createHash('sha256').update(pdf).digest('hex'),
    });
    return stored ? { ...report, pdfBytes: pdf.length } : null;
  }

  const node = randomUUID();
  const done = new Set<string>();

  /**
   * The past month's reports (the desk's and each organisation's with a ticket received in it)
   * if this node gets the month's lease; null when done already or another node holds it.
   */
  async function runMonthly(now: Date): Promise<MonthlyRun | null> {
    const period = previousDeskMonth(now);
    const { month } = period;
    if (done.has(month)) return null;
    if (await isRunDone(db, month)) {
      done.add(month);
      return null;
    }
    const owner = `${node}:${randomUUID()}`;
    if (!(await claimRun(db, month, owner, LEASE_MS))) return null;
    const kept = await listKeptScopes(db, month);
    const scopes: Array<{ id: string; name: string } | null> = [
      null,
      ...(await listActiveOrganisations(db, period.start, period.end)),
    ];
    let made = 0;
    let skipped = 0;
    for (const organisation of scopes) {
      if (kept.has(organisation?.id ?? 'desk')) {
        skipped += 1;
        continue;
      }
      if (!(await renewRun(db, month, owner, LEASE_MS))) return { month, made, skipped };
      const r = await make({
        kind: 'monthly',
        month,
        period,
        organisation,
        locale: ctx.config.reports.locale,
        by: null,
      });
      if (r) made += 1;
      else skipped += 1;
    }
    if (await finishRun(db, month, owner, made + skipped, ctx.clock.now())) {
      done.add(month);
      ctx.log.info({ month, made, skipped }, 'monthly service reports kept');
    }
    return { month, made, skipped };
  }

  let running: Promise<unknown> | null = null;
  /**
   * The engine's job: starts the month's run in the background (rendering PDFs must not hold
   * up the escalation run it is called from) unless one is going on this node.
   */
  function job(now: Date): Promise<void> {
    if (running || done.has(previousDeskMonth(now).month)) return Promise.resolve();
    running = runMonthly(now)
      .catch((err: unknown) => ctx.log.error({ err }, 'monthly service reports failed'))
      .finally(() => {
        running = null;
      });
    return Promise.resolve();
  }

  return {
    /** The reports' functions this node computes with. */
    source: deps.source,
    make,
    renderPdf,
    runMonthly,
    job,
    /** The run this node has going (tests await it). */
    idle: (): Promise<unknown> => running ?? Promise.resolve(),
    read: (id: string) => readServiceReport(db, id),
  };
}
export type ServiceReports = ReturnType<typeof createServiceReports>;
