import { z } from 'zod';

const figures = {
  overtimeMs: z.number(),
  labourMinutesPastTarget: z.number(),
  compensationMinutes: z.number(),
};
/** `GET /api/sla/compensation` (sla.openapi.ts). */
export const compensationReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  generatedAt: z.string(),
  tickets: z.array(
    z.object({
      ticketId: z.string(),
      number: z.string(),
      priority: z.string(),
      status: z.string(),
      customerId: z.string(),
      receivedAt: z.string(),
      dueAt: z.string().nullable(),
      target: z.string(),
      breached: z.boolean(),
      sharePercent: z.number(),
      ...figures,
    }),
  ),
  customers: z.array(
    z.object({
      customerId: z.string(),
      tickets: z.number(),
      breachedTickets: z.number(),
      ...figures,
    }),
  ),
  totals: z.object({
    tickets: z.number(),
    breachedTickets: z.number(),
    compensationMinutes: z.number(),
  }),
});
export type CompensationReport = z.infer<typeof compensationReportSchema>;
export type CompensationLine = CompensationReport['tickets'][number];

/** The customer the server files tickets without one under. */
export const NO_CUSTOMER = '(none)';

function cell(value: string | number | boolean): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The report's lines as CSV for a spreadsheet: UTF-8 with a byte-order mark (so Excel reads
 * Chinese, Japanese and Korean right), CRLF line ends, the header in the seat's language.
 * @example toCsv(['Ticket'], [['INC-1']]) // '\uFEFFTicket\r\nINC-1\r\n'
 */
export function toCsv(
  header: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<string | number | boolean>>,
): string {
  return `\uFEFF${[header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

/** Minutes with one decimal, as the report shows them. */
export function roundMinutes(n: number): number {
  return Math.round(n * 10) / 10;
}
