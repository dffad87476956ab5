/**
 * A report's table as CSV or XLSX (issue 22, decision 59), generic over the shared shape.
 * CSV: UTF-8 with a byte-order mark (Excel then reads Chinese right), a header row of the
 * columns' labels in the asked language, RFC 4180 quoting, CRLF; values as the JSON has them
 * (ratios as fractions, durations in milliseconds, named in the header). XLSX (exceljs): one
 * sheet, the header bold and frozen, typed cells: numbers as numbers, ratios in percent format,
 * durations as time values shown `[h]:mm`, days as dates.
 */
import {
  reportColumnLabel,
  REPORT_TITLES,
  type LocaleName,
  type ReportCell,
  type ReportColumn,
  type ReportTable,
} from '@dutydesk/shared';
import ExcelJS from 'exceljs';

const UNITS: Readonly<Record<'duration_ms' | 'duration', Readonly<Record<LocaleName, string>>>> = {
  duration_ms: { en: 'ms', 'zh-CN': '毫秒', ja: 'ミリ秒', ko: 'ms' },
  duration: { en: 'h:mm', 'zh-CN': '时:分', ja: '時:分', ko: '시:분' },
};

/** A column's header in a file: its label, with the unit durations are written in. */
export function headerOf(column: ReportColumn, locale: LocaleName, format: 'csv' | 'xlsx'): string {
  const label = reportColumnLabel(column.key, locale);
  if (column.type !== 'duration_ms') return label;
  return `${label} (${UNITS[format === 'csv' ? 'duration_ms' : 'duration'][locale]})`;
}

/** One CSV field, quoted when it holds a comma, a quote, CR or LF (RFC 4180). */
export function csvField(value: ReportCell): string {
  if (value === null) return '';
  const text = typeof value === 'number' ? String(value) : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The table as CSV text (with its BOM). */
export function toCsv(table: ReportTable, locale: LocaleName): string {
  const lines = [table.columns.map((c) => csvField(headerOf(c, locale, 'csv'))).join(',')];
  for (const row of table.rows)
    lines.push(table.columns.map((c) => csvField(row[c.key] ?? null)).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

const DAY_MS = 86_400_000;
const NUMBER_FORMATS: Readonly<Partial<Record<ReportColumn['type'], string>>> = {
  count: '0',
  number: '0.##',
  ratio: '0.0%',
  duration_ms: '[h]:mm',
  money: '#,##0.00',
  date: 'yyyy-mm-dd',
};

/** A cell's value in the sheet: durations as days (Excel's time), days as UTC dates. */
function xlsxValue(column: ReportColumn, value: ReportCell): ExcelJS.CellValue {
  if (value === null) return null;
  if (column.type === 'duration_ms' && typeof value === 'number') return value / DAY_MS;
  if (column.type === 'date' && typeof value === 'string') return new Date(`${value}T00:00:00Z`);
  return value;
}

/** A sheet name Excel accepts: at most 31 characters, none of []:*?/\ . */
function sheetName(text: string): string {
  return text.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31);
}

/** The table as an XLSX workbook (bytes). */
export async function toXlsx(
  table: ReportTable,
  locale: LocaleName,
  generatedAt: Date,
): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Dutydesk';
  book.created = generatedAt;
  book.modified = generatedAt;
  book.title = `${REPORT_TITLES[table.name][locale]} ${table.from} – ${table.to}`;
  const sheet = book.addWorksheet(sheetName(REPORT_TITLES[table.name][locale]), {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  sheet.columns = table.columns.map((c) => {
    const header = headerOf(c, locale, 'xlsx');
    const numFmt = NUMBER_FORMATS[c.type];
    return {
      key: c.key,
      header,
      width: Math.min(40, Math.max(10, header.length + 4)),
      ...(numFmt ? { style: { numFmt } } : {}),
    };
  });
  sheet.getRow(1).font = { bold: true };
  for (const row of table.rows)
    sheet.addRow(
      Object.fromEntries(table.columns.map((c) => [c.key, xlsxValue(c, row[c.key] ?? null)])),
    );
  return Buffer.from(await book.xlsx.writeBuffer());
}
