/** The service reports' queries (decision 60): kept reports, the monthly runs, the counts. */
import { sql } from 'drizzle-orm';
import type {
  ServiceReport,
  ServiceReportContent,
  ServiceReportCounts,
  ServiceReportKind,
  ServiceReportLocale,
  ServiceReportSummary,
} from '@dutydesk/shared';
import type { Db, Tx } from '../../db/client';
import { queryRows } from '../../db/client';
import { serviceReports } from '../../db/schema/index';

export interface NewServiceReport {
  id: string;
  kind: ServiceReportKind;
  month: string | null;
  from: string;
  to: string;
  organisationId: string | null;
  organisationName: string | null;
  locale: ServiceReportLocale;
  content: ServiceReportContent;
  pdf: Buffer;
  pdfSha256: string;
  generatedAt: Date;
  generatedBy: string | null;
}

/** Keeps a report; a monthly one already kept for its month and scope stays (false). */
export async function insertServiceReport(db: Db | Tx, r: NewServiceReport): Promise<boolean> {
  const rows = await db
    .insert(serviceReports)
    .values({
      id: r.id,
      kind: r.kind,
      month: r.month,
      periodFrom: r.from,
      periodTo: r.to,
      scope: r.organisationId ?? 'desk',
      organisationId: r.organisationId,
      organisationName: r.organisationName,
      locale: r.locale,
      content: r.content,
      pdf: r.pdf,
      pdfSha256: r.pdfSha256,
      pdfBytes: r.pdf.length,
      generatedAt: r.generatedAt,
      generatedBy: r.generatedBy,
    })
    .onConflictDoNothing()
    .returning({ id: serviceReports.id });
  return rows.length > 0;
}

type SummaryRow = {
  id: string;
  kind: ServiceReportKind;
  month: string | null;
  period_from: string;
  period_to: string;
  organisation_id: string | null;
  organisation_name: string | null;
  locale: ServiceReportLocale;
  generated_at: Date | string;
  generated_by: string | null;
  pdf_bytes: number;
};

const SUMMARY = sql`id, kind, month, period_from, period_to, organisation_id, organisation_name,
  locale, generated_at, generated_by, pdf_bytes`;

function toSummary(r: SummaryRow): ServiceReportSummary {
  return {
    id: r.id,
    kind: r.kind,
    month: r.month,
    from: r.period_from,
    to: r.period_to,
    organisationId: r.organisation_id,
    organisationName: r.organisation_name,
    locale: r.locale,
    generatedAt: new Date(r.generated_at).toISOString(),
    generatedBy: r.generated_by,
    pdfBytes: Number(r.pdf_bytes),
  };
}

/** Kept reports, newest first; of one organisation (or the desk's: `'desk'`) when asked. */
export async function listServiceReports(
  db: Db,
  opts: { scope?: string; month?: string; limit: number },
): Promise<ServiceReportSummary[]> {
  const rows = await queryRows<SummaryRow>(
    db,
    sql`select ${SUMMARY} from service_reports
        where (${opts.scope ?? null}::text is null or scope = ${opts.scope ?? null})
          and (${opts.month ?? null}::text is null or month = ${opts.month ?? null})
        order by generated_at desc, organisation_name asc nulls first, id
        limit ${opts.limit}`,
  );
  return rows.map(toSummary);
}

export async function readServiceReport(db: Db, id: string): Promise<ServiceReport | null> {
  const rows = await queryRows<SummaryRow & { content: ServiceReportContent | string }>(
    db,
    sql`select ${SUMMARY}, content from service_reports where id = ${id}`,
  );
  const r = rows[0];
  if (!r) return null;
  const content =
    typeof r.content === 'string' ? (JSON.parse(r.content) as ServiceReportContent) : r.content;
  return { ...toSummary(r), content };
}

/** A kept report's PDF bytes and hash. */
export async function readServiceReportPdf(
  db: Db,
  id: string,
): Promise<{ pdf: Buffer; sha256: string; locale: ServiceReportLocale } | null> {
  const rows = await queryRows<{
    pdf: Uint8Array;
    pdf_sha256: string;
    locale: ServiceReportLocale;
  }>(db, sql`select pdf, pdf_sha256, locale from service_reports where id = ${id}`);
  const r = rows[0];
  return r ? { pdf: Buffer.from(r.pdf), sha256: r.pdf_sha256, locale: r.locale } : null;
}

/** Scopes already kept for a month (`desk` or organisation ids): a resumed run skips them. */
export async function listKeptScopes(db: Db, month: string): Promise<Set<string>> {
  const rows = await queryRows<{ scope: string }>(
    db,
    sql`select scope from service_reports where kind = 'monthly' and month = ${month}`,
  );
  return new Set(rows.map((r) => r.scope));
}

/** Organisations with a ticket received in `[from, to)`, by name. */
export async function listActiveOrganisations(
  db: Db,
  from: Date,
  to: Date,
): Promise<Array<{ id: string; name: string }>> {
  return queryRows<{ id: string; name: string }>(
    db,
    sql`select o.id, o.name from organisations o
        where exists (select 1 from tickets t where t.organisation_id = o.id
                        and t.received_at >= ${from} and t.received_at < ${to})
        order by o.name, o.id`,
  );
}

export async function readOrganisationName(db: Db, id: string): Promise<string | null> {
  const rows = await queryRows<{ name: string }>(
    db,
    sql`select name from organisations where id = ${id}`,
  );
  return rows[0]?.name ?? null;
}

/**
 * What the report counts beside its tables, in `[from, to)`, of one organisation or all:
 * tickets received, major incidents declared, problem records raised.
 */
export async function countPeriod(
  db: Db,
  from: Date,
  to: Date,
  organisationId: string | null,
): Promise<ServiceReportCounts> {
  const rows = await queryRows<{
    tickets: number | string;
    majors: number | string;
    problems: number | string;
  }>(
    db,
    sql`select
          (select count(*) from tickets t where t.received_at >= ${from} and t.received_at < ${to}
             and (${organisationId}::text is null or t.organisation_id = ${organisationId})) as tickets,
          (select count(*) from major_incidents m join tickets t on t.id = m.ticket_id
             where m.declared_at >= ${from} and m.declared_at < ${to}
             and (${organisationId}::text is null or t.organisation_id = ${organisationId})) as majors,
          (select count(*) from problems p where p.created_at >= ${from} and p.created_at < ${to}
             and (${organisationId}::text is null or p.organisation_id = ${organisationId})) as problems`,
  );
  const r = rows[0];
  return {
    tickets: Number(r?.tickets ?? 0),
    majorIncidents: Number(r?.majors ?? 0),
    problems: Number(r?.problems ?? 0),
  };
}

/**
 * Claims a month's run for `owner` under a lease: a new month, or one not done whose lease ran
 * out (the database's clock). True when this caller holds it now.
 */
export async function claimRun(
  db: Db,
  month: string,
  owner: string,
  leaseMs: number,
): Promise<boolean> {
  const rows = await queryRows<{ month: string }>(
    db,
    sql`insert into service_report_runs (month, lease_owner, lease_until)
        values (${month}, ${owner}, clock_timestamp() + make_interval(secs => ${leaseMs / 1000}))
        on conflict (month) do update
          set lease_owner = excluded.lease_owner, lease_until = excluded.lease_until
          where service_report_runs.done_at is null
            and service_report_runs.lease_until < clock_timestamp()
        returning month`,
  );
  return rows.length > 0;
}

/** Renews the lease while the run goes on (false: another node took it over). */
export async function renewRun(
  db: Db,
  month: string,
  owner: string,
  leaseMs: number,
): Promise<boolean> {
  const rows = await queryRows<{ month: string }>(
    db,
    sql`update service_report_runs
        set lease_until = clock_timestamp() + make_interval(secs => ${leaseMs / 1000})
        where month = ${month} and lease_owner = ${owner} and done_at is null returning month`,
  );
  return rows.length > 0;
}

export async function finishRun(
  db: Db,
  month: string,
  owner: string,
  reports: number,
  at: Date,
): Promise<boolean> {
  const rows = await queryRows<{ month: string }>(
    db,
    sql`update service_report_runs set done_at = ${at}, reports = ${reports}, lease_until = null
        where month = ${month} and lease_owner = ${owner} and done_at is null returning month`,
  );
  return rows.length > 0;
}

export async function isRunDone(db: Db, month: string): Promise<boolean> {
  const rows = await queryRows<{ done: boolean }>(
    db,
    sql`select done_at is not null as done from service_report_runs where month = ${month}`,
  );
  return rows[0]?.done === true;
}
