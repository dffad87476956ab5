import {
  COMMAND_LIMITS,
  prioritySchema,
  requiredText,
  ticketKindSchema,
  type Priority,
  type TicketKind,
} from '@dutydesk/shared';
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';

/** One historical ticket as the import takes it (the columns of issue 21). */
export interface ImportRow {
  /** 1-based line of the row in the uploaded text (CSV: the header is line 1). */
  line: number;
  title: string;
  description: string;
  category: string;
  module: string | null;
  kind: TicketKind;
  priority: Priority;
  groupId: string | null;
  receivedAt: Date;
  closedAt: Date;
}

export interface RowError {
  line: number;
  message: string;
}

/** The columns a row may have; others are refused so a misspelt header is not silently lost. */
export const IMPORT_COLUMNS = [
  'title',
  'description',
  'category',
  'module',
  'kind',
  'priority',
  'groupId',
  'receivedAt',
  'closedAt',
] as const;

const blank = (v: unknown): unknown => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const text = (max: number) => z.preprocess(blank, requiredText(max));
const optionalText = (max: number) => z.preprocess(blank, requiredText(max).optional());
const instant = z.preprocess(
  blank,
  z
    .string()
    .refine((s) => !Number.isNaN(Date.parse(s)), 'not a date and time (ISO 8601)')
    .transform((s) => new Date(s))
    .optional(),
);

const rowSchema = z
  .object({
    title: optionalText(COMMAND_LIMITS.title),
    description: text(COMMAND_LIMITS.body),
    category: text(COMMAND_LIMITS.short),
    module: optionalText(COMMAND_LIMITS.short),
    kind: z.preprocess(blank, ticketKindSchema.optional()),
    priority: z.preprocess(blank, prioritySchema.optional()),
    groupId: optionalText(200),
    receivedAt: instant,
    closedAt: instant,
  })
  .strict();

/** A title from a description that has none: its first line, cut at a word under 80 characters. */
export function titleFrom(description: string): string {
  const first = description.split('\n', 1)[0]?.trim() ?? '';
  if (first.length <= 80) return first;
  const cut = first.slice(0, 80);
  const space = cut.lastIndexOf(' ');
  return (space > 40 ? cut.slice(0, space) : cut).trim();
}

/**
 * One record checked: a row to import or the reason it is refused. Times: `receivedAt` ≤
 * `closedAt` ≤ `now`; a row with one of them uses it for both, with neither `now`.
 */
export function checkRow(record: unknown, line: number, now: Date): ImportRow | RowError {
  const r = rowSchema.safeParse(record);
  if (!r.success) {
    const issue = r.error.issues[0];
    const path = issue?.path.join('.') ?? '';
    return { line, message: `${path ? `${path}: ` : ''}${issue?.message ?? 'invalid row'}` };
  }
  const d = r.data;
  const closedAt = d.closedAt ?? d.receivedAt ?? now;
  const receivedAt = d.receivedAt ?? closedAt;
  if (receivedAt.getTime() > closedAt.getTime())
    return { line, message: 'receivedAt: after closedAt' };
  if (closedAt.getTime() > now.getTime())
    return { line, message: 'closedAt: in the future (the import takes closed tickets)' };
  if (receivedAt.getUTCFullYear() < 1970) return { line, message: 'receivedAt: before 1970' };
  return {
    line,
    title: d.title ?? titleFrom(d.description),
    description: d.description,
    category: d.category,
    module: d.module ?? null,
    kind: d.kind ?? 'incident',
    priority: d.priority ?? 'P3',
    groupId: d.groupId ?? null,
    receivedAt,
    closedAt,
  };
}

export type ImportFormat = 'csv' | 'jsonl';

/**
 * The records of an upload with their lines: CSV (a header row naming the columns, RFC 4180
 * quoting, csv-parse) or JSON lines (one object per line, blank lines skipped). A line that
 * is not a record (bad JSON) comes back as an error; a CSV that cannot be read at all throws.
 */
export function readRecords(
  body: string,
  format: ImportFormat,
): Array<{ line: number; record: unknown } | RowError> {
  if (format === 'jsonl') {
    const out: Array<{ line: number; record: unknown } | RowError> = [];
    const lines = body.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const raw = (lines[i] as string).trim();
      if (raw === '') continue;
      try {
        const record: unknown = JSON.parse(raw);
        if (record === null || typeof record !== 'object' || Array.isArray(record))
          out.push({ line: i + 1, message: 'not a JSON object' });
        else out.push({ line: i + 1, record });
      } catch {
        out.push({ line: i + 1, message: 'not valid JSON' });
      }
    }
    return out;
  }
  const rows = parseCsv(body, {
    columns: (header: string[]) => header.map((h) => h.trim()),
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
    info: true,
  }) as Array<{ record: Record<string, string>; info: { lines: number } }>;
  return rows.map(({ record, info }) => ({ line: info.lines, record }));
}

/** The header of a CSV upload's unknown columns (empty: all known). */
export function unknownColumns(body: string, format: ImportFormat): string[] {
  if (format !== 'csv') return [];
  const header = parseCsv(body.slice(0, 64 * 1024).split('\n', 1)[0] ?? '', {
    bom: true,
  }) as string[][];
  return (header[0] ?? [])
    .map((h) => h.trim())
    .filter((h) => !(IMPORT_COLUMNS as readonly string[]).includes(h));
}
