/**
 * The monthly service report as a PDF (decision 60), with pdfkit: A4, the report's heading and
 * counts, then each table with a bar chart of its `chart` hint (drawn as vectors) and its rows;
 * page numbers in the footer. The CJK font (font.ts) is embedded as a subset with a ToUnicode
 * map, so the text can be searched and copied; without one the words are Helvetica's Latin-1.
 */
import {
  chartValue,
  formatReportCell,
  isNumericColumn,
  isRateColumn,
  REPORT_TITLES,
  reportColumnLabel,
  type ReportColumnType,
  type ReportTable,
  type ServiceReport,
  type ServiceReportLocale,
} from '@dutydesk/shared';
import PDFDocument from 'pdfkit';
import type { PdfFont } from './font';
import { fill, PDF_STRINGS } from './strings';

export interface RenderPdfInput {
  report: ServiceReport;
  locale: ServiceReportLocale;
  font: PdfFont | null;
  /** The period as people say it ("2026-11", or from – to in desk days). */
  periodLabel: string;
  /** The report's making time as desk time. */
  generatedLabel: string;
}

/** The most rows of one table the PDF prints (the rest: the console and the CSV). */
export const PDF_MAX_ROWS = 40;

const MARGIN = 48;
const INK = '#1c2330';
const MUTED = '#5a6474';
const RULE = '#d5d9e0';
const HEAD_BG = '#eef0f3';
const SERIES = ['#1f5fa0', '#b35c00', '#2e7d32', '#7b3fa0', '#c62828'];

/** Latin-1 only, for Helvetica (no CJK font): anything else prints as "?". */
const latin1 = (s: string): string =>
  Array.from(s, (ch) => ((ch.codePointAt(0) ?? 0) > 0xff ? '?' : ch)).join('');

/** Renders the report to PDF bytes. */
export function renderServiceReportPdf(input: RenderPdfInput): Promise<Buffer> {
  const { report, locale } = input;
  const s = PDF_STRINGS[locale];
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    info: {
      Title: `${s.title} ${input.periodLabel}`,
      Author: 'Dutydesk',
      Creator: 'Dutydesk',
      CreationDate: new Date(report.generatedAt),
    },
    lang: locale,
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  let text: (v: string) => string = (v) => v;
  if (input.font) {
    const face = input.font.face(locale);
    const src = input.font.bytes ?? input.font.path;
    try {
      doc.registerFont('body', src, face ?? undefined);
      doc.font('body');
    } catch {
      // A collection without that face name: its first face.
      doc.registerFont('body', src);
      doc.font('body');
    }
  } else {
    doc.font('Helvetica');
    text = latin1;
  }

  const width = doc.page.width - 2 * MARGIN;
  const bottom = (): number => doc.page.height - MARGIN - 24;
  const ensure = (h: number): void => {
    if (doc.y + h > bottom()) doc.addPage();
  };

  // Heading.
  const customer = report.organisationName ?? s.desk;
  doc
    .fillColor(INK)
    .fontSize(20)
    .text(text(`${s.title} · ${customer}`), { width });
  doc.moveDown(0.3);
  doc
    .fillColor(MUTED)
    .fontSize(10)
    .text(
      text(
        `${s.period} ${input.periodLabel} · ${s.generated} ${input.generatedLabel} · ${report.kind === 'monthly' ? s.monthly : s.onDemand}`,
      ),
      { width },
    );
  doc.moveDown(0.8);

  // Counts.
  const counts: Array<[string, string]> = [
    [s.tickets, String(report.content.counts.tickets)],
    [s.majorIncidents, String(report.content.counts.majorIncidents)],
    [s.problems, String(report.content.counts.problems)],
  ];
  const boxW = (width - 16) / counts.length;
  const boxY = doc.y;
  counts.forEach(([label, value], i) => {
    const x = MARGIN + i * (boxW + 8);
    doc.lineWidth(0.8).strokeColor(RULE).roundedRect(x, boxY, boxW, 46, 4).stroke();
    doc
      .fillColor(MUTED)
      .fontSize(9)
      .text(text(label), x + 10, boxY + 7, { width: boxW - 20 });
    doc
      .fillColor(INK)
      .fontSize(16)
      .text(text(value), x + 10, boxY + 21, { width: boxW - 20 });
  });
  doc.x = MARGIN;
  doc.y = boxY + 62;

  for (const section of report.content.sections) {
    // A heading stays with its chart (or its table's first rows).
    ensure(section.chart && section.rows.length > 0 ? 230 : 90);
    doc.x = MARGIN;
    doc
      .fillColor(INK)
      .fontSize(14)
      .text(text(REPORT_TITLES[section.name][locale]), MARGIN, doc.y, { width });
    doc.moveDown(0.3);
    if (section.rows.length === 0) {
      doc.fillColor(MUTED).fontSize(10).text(text(s.empty), { width });
      doc.moveDown(0.8);
      continue;
    }
    if (section.chart) drawChart(doc, section, locale, text, width, ensure);
    drawTable(doc, section, locale, text, width, ensure, bottom);
    doc.moveDown(0.8);
  }

  // Page numbers.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Below the bottom margin pdfkit would start a page: the footer writes with none.
    doc.page.margins.bottom = 0;
    doc
      .fillColor(MUTED)
      .fontSize(8)
      .text(
        text(fill(s.page, { n: i + 1, total: range.count })),
        MARGIN,
        doc.page.height - MARGIN + 8,
        { width, align: 'right', lineBreak: false },
      );
  }
  doc.end();
  return done;
}

type Doc = InstanceType<typeof PDFDocument>;

/**
 * The chart hint drawn as vectors: a bar chart's series as grouped bars, a line chart's as
 * lines; ratios on a 0–100 % scale (the right-hand axis when other numbers share the chart),
 * other numbers from zero (or their minimum) to their maximum; a legend below.
 */
function drawChart(
  doc: Doc,
  section: ReportTable,
  locale: ServiceReportLocale,
  text: (v: string) => string,
  width: number,
  ensure: (h: number) => void,
): void {
  const chart = section.chart;
  if (!chart) return;
  const series = chart.series
    .map((key) => section.columns.find((c) => c.key === key))
    .filter((c): c is NonNullable<typeof c> => c !== undefined);
  if (series.length === 0) return;
  const rows = section.rows.slice(0, 24);
  const height = 120;
  ensure(height + 40);
  const top = doc.y + 6;
  const left = MARGIN + 44;
  const numbers = series.filter((c) => !isRateColumn(c.type));
  const ratios = series.filter((c) => isRateColumn(c.type));
  const plotW = width - 44 - (numbers.length > 0 && ratios.length > 0 ? 36 : 0);
  const values = numbers.flatMap((c) => rows.map((r) => chartValue(r[c.key]) ?? 0));
  const max = Math.max(0, ...values);
  const min = Math.min(0, ...values);
  const span = max - min || 1;
  const yOf = (v: number, ratio: boolean): number =>
    ratio
      ? top + height - Math.min(1, Math.max(0, v)) * height
      : top + height - ((v - min) / span) * height;
  // Grid and axes: the numbers' type formats the left axis, percent the ratios'.
  const leftType = numbers[0]?.type;
  doc.lineWidth(0.5).strokeColor(RULE);
  for (let i = 0; i <= 4; i++) {
    const gy = top + (height * i) / 4;
    doc
      .moveTo(left, gy)
      .lineTo(left + plotW, gy)
      .stroke();
    const pct = `${(4 - i) * 25} %`;
    const leftLabel = leftType
      ? formatReportCell(locale, leftType, min + (span * (4 - i)) / 4)
      : pct;
    doc.fillColor(MUTED).fontSize(7);
    doc.text(text(leftLabel), MARGIN, gy - 4, { width: 40, align: 'right', lineBreak: false });
    if (leftType && ratios.length > 0)
      doc.text(pct, left + plotW + 4, gy - 4, { width: 32, lineBreak: false });
  }
  const step = plotW / rows.length;
  const colour = (c: (typeof series)[number]): string =>
    SERIES[series.indexOf(c) % SERIES.length] ?? INK;
  if (chart.kind === 'bar') {
    const group = step * 0.7;
    const bw = group / series.length;
    rows.forEach((row, i) => {
      series.forEach((c, k) => {
        const v = chartValue(row[c.key]);
        if (v === null) return;
        const ratio = isRateColumn(c.type);
        const zero = yOf(0, ratio);
        const yy = yOf(v, ratio);
        const x = left + i * step + (step - group) / 2 + k * bw;
        doc.rect(x, Math.min(yy, zero), Math.max(0.5, bw - 1), Math.abs(zero - yy)).fill(colour(c));
      });
    });
  } else {
    for (const c of series) {
      const ratio = isRateColumn(c.type);
      let started = false;
      rows.forEach((row, i) => {
        const v = chartValue(row[c.key]);
        if (v === null) return;
        const x = left + i * step + step / 2;
        if (!started) doc.moveTo(x, yOf(v, ratio));
        else doc.lineTo(x, yOf(v, ratio));
        started = true;
      });
      if (started) doc.lineWidth(1.5).strokeColor(colour(c)).stroke();
    }
  }
  // Category labels (every nth when crowded).
  const xType: ReportColumnType = section.columns.find((c) => c.key === chart.x)?.type ?? 'text';
  const every = Math.ceil(rows.length / 12);
  doc.fillColor(MUTED).fontSize(7);
  rows.forEach((row, i) => {
    if (i % every !== 0) return;
    const label = formatReportCell(locale, xType, row[chart.x]);
    doc.text(text(label), left + i * step, top + height + 3, {
      width: step * every,
      align: 'center',
      lineBreak: false,
      ellipsis: true,
      height: 10,
    });
  });
  // Legend.
  let lx = left;
  const ly = top + height + 16;
  for (const c of series) {
    doc.rect(lx, ly + 1, 8, 8).fill(colour(c));
    const name = text(reportColumnLabel(c.key, locale));
    doc
      .fillColor(INK)
      .fontSize(8)
      .text(name, lx + 11, ly, { lineBreak: false });
    lx += 11 + doc.widthOfString(name) + 14;
  }
  doc.x = MARGIN;
  doc.y = ly + 18;
}

/** The table: a shaded header row, numbers right-aligned, at most PDF_MAX_ROWS rows. */
function drawTable(
  doc: Doc,
  section: ReportTable,
  locale: ServiceReportLocale,
  text: (v: string) => string,
  width: number,
  ensure: (h: number) => void,
  bottom: () => number,
): void {
  const cols = section.columns;
  // Text and days get more room than numbers; many columns, a smaller type.
  const weight = (t: ReportColumnType): number => (t === 'text' ? 1.8 : t === 'date' ? 1.5 : 1);
  const total = cols.reduce((n, c) => n + weight(c.type), 0);
  const widths = cols.map((c) => (width * weight(c.type)) / total);
  const lefts = widths.map((_, i) => MARGIN + widths.slice(0, i).reduce((n, w) => n + w, 0));
  const size = cols.length > 9 ? 6.5 : 8;
  const rowH = 16;
  const header = (): void => {
    const y = doc.y;
    doc.rect(MARGIN, y, width, rowH + 4).fill(HEAD_BG);
    cols.forEach((c, i) => {
      doc
        .fillColor(INK)
        .fontSize(size)
        .text(text(reportColumnLabel(c.key, locale)), (lefts[i] ?? MARGIN) + 3, y + 5, {
          width: (widths[i] ?? 0) - 6,
          align: isNumericColumn(c.type) ? 'right' : 'left',
          lineBreak: false,
          ellipsis: true,
          height: rowH,
        });
    });
    doc.y = y + rowH + 4;
  };
  ensure(rowH * 3);
  header();
  const rows = section.rows.slice(0, PDF_MAX_ROWS);
  for (const row of rows) {
    if (doc.y + rowH > bottom()) {
      doc.addPage();
      header();
    }
    const y = doc.y;
    cols.forEach((c, i) => {
      doc
        .fillColor(INK)
        .fontSize(size)
        .text(text(formatReportCell(locale, c.type, row[c.key])), (lefts[i] ?? MARGIN) + 3, y + 4, {
          width: (widths[i] ?? 0) - 6,
          align: isNumericColumn(c.type) ? 'right' : 'left',
          lineBreak: false,
          ellipsis: true,
          height: rowH,
        });
    });
    doc
      .lineWidth(0.4)
      .strokeColor(RULE)
      .moveTo(MARGIN, y + rowH)
      .lineTo(MARGIN + width, y + rowH)
      .stroke();
    doc.y = y + rowH;
  }
  if (section.rows.length > rows.length) {
    doc.moveDown(0.3);
    doc
      .fillColor(MUTED)
      .fontSize(8)
      .text(
        text(fill(PDF_STRINGS[locale].more, { count: section.rows.length - rows.length })),
        MARGIN,
        doc.y,
        {
          width,
        },
      );
  }
  doc.x = MARGIN;
}
