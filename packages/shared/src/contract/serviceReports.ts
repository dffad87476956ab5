/**
 * The monthly service report (issue 22, decision 60): per customer and for the whole desk, a
 * kept snapshot of the reports of a period (the `reports` feature's tables) with a PDF beside
 * it; made by the monthly job on the 1st for the past month, or on demand for any period.
 */
import { z } from 'zod';
import { deskDaySchema, REPORT_MAX_DAYS, reportTableSchema } from './reports';
import type { ReportColumnType } from './reports';
import { localeSchema } from './auth';
import type { LocaleName } from './auth';

export const SERVICE_REPORT_KINDS = ['monthly', 'on_demand'] as const;
export type ServiceReportKind = (typeof SERVICE_REPORT_KINDS)[number];

/** Who may list, read, download and make service reports: duty managers and admins. */
export const SERVICE_REPORT_ROLES = ['duty_manager', 'admin'] as const;

/** Languages a service report's PDF is written in: the console's. */
export type ServiceReportLocale = LocaleName;

/** A kept report without its content (the list). */
export const serviceReportSummarySchema = z.object({
  id: z.string(),
  kind: z.enum(SERVICE_REPORT_KINDS),
  /** `YYYY-MM` of a monthly report; null for another period. */
  month: z.string().nullable(),
  from: deskDaySchema.describe('First desk day of the period'),
  to: deskDaySchema.describe('Last desk day of the period, included'),
  /** null: the whole desk. */
  organisationId: z.string().nullable(),
  organisationName: z.string().nullable(),
  locale: localeSchema,
  generatedAt: z.string(),
  /** null: the monthly job. */
  generatedBy: z.string().nullable(),
  pdfBytes: z.number().int(),
});
export type ServiceReportSummary = z.infer<typeof serviceReportSummarySchema>;

/** Counts the report states beside its tables. */
export const serviceReportCountsSchema = z.object({
  tickets: z.number().int(),
  majorIncidents: z.number().int(),
  /** Problem records raised in the period (decision 58). */
  problems: z.number().int(),
});
export type ServiceReportCounts = z.infer<typeof serviceReportCountsSchema>;

/** What the report says: its tables as computed when it was made. */
export const serviceReportContentSchema = z.object({
  counts: serviceReportCountsSchema,
  sections: z.array(reportTableSchema),
});
export type ServiceReportContent = z.infer<typeof serviceReportContentSchema>;

export const serviceReportSchema = serviceReportSummarySchema.extend({
  content: serviceReportContentSchema,
});
export type ServiceReport = z.infer<typeof serviceReportSchema>;

export const serviceReportListSchema = z.object({ reports: z.array(serviceReportSummarySchema) });

export const serviceReportCreateSchema = z
  .object({
    from: deskDaySchema.describe('First desk day of the period (the desk’s time zone)'),
    to: deskDaySchema.describe('Last desk day of the period, included'),
    organisationId: z.string().min(1).max(200).nullable().optional().describe('null: the desk'),
    locale: localeSchema.optional().describe('The PDF’s language (default: the desk’s)'),
  })
  .strict()
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['to'] })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 + 1 <= REPORT_MAX_DAYS, {
    message: `at most ${REPORT_MAX_DAYS} days`,
    path: ['to'],
  });
export type ServiceReportCreate = z.infer<typeof serviceReportCreateSchema>;

/** Ratios (part ÷ whole in [0, 1]): shown as percent, charted on a 0–100 % axis of their own. */
export function isRateColumn(type: ReportColumnType): boolean {
  return type === 'ratio';
}

/** Columns of numbers (right-aligned, charted). */
export function isNumericColumn(type: ReportColumnType): boolean {
  return type !== 'text' && type !== 'date';
}

/** Milliseconds as "2 h 05 min" / "45 min" / "30 s". */
export function formatDurationMs(ms: number): string {
  if (Math.abs(ms) < 60_000) return `${Math.round(ms / 1000)} s`;
  const minutes = Math.round(ms / 60_000);
  if (Math.abs(minutes) < 60) return `${minutes} min`;
  const h = Math.trunc(minutes / 60);
  return `${h} h ${String(Math.abs(minutes % 60)).padStart(2, '0')} min`;
}

/**
 * A cell as people read it, by its column's type (decision 59's types): ratios as percent with
 * one decimal, durations in hours and minutes, money with two decimals, numbers grouped for the
 * language, days as they are; "—" for none. The console's table and the PDF both use it.
 * @example formatReportCell('en', 'ratio', 0.9523) // '95.2 %'
 */
export function formatReportCell(
  locale: string,
  type: ReportColumnType,
  value: string | number | null | undefined,
): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) return '—';
  switch (type) {
    case 'ratio':
      return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(Math.round(value * 1000) / 10)} %`;
    case 'duration_ms':
      return formatDurationMs(value);
    case 'money':
      return new Intl.NumberFormat(locale, {
        minimumFractionDigits: 2,
        maximumFractionDigits: 2,
      }).format(value);
    case 'count':
      return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(value);
    default:
      return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value);
  }
}

/** A chart value: finite numbers as they are, anything else a gap. */
export function chartValue(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
