import {
  REPORT_LAYOUTS,
  REPORT_NAMES,
  type ReportTable,
  type ServiceReport,
} from '@dutydesk/shared';
import { describe, expect, it } from 'vitest';
import { readPdf } from '../../testing/pdfText';
import { findPdfFont, SYSTEM_CJK_FONTS } from './font';
import { previousDeskMonth } from './period';
import { renderServiceReportPdf } from './pdf';

/** A table of every report with rows of made-up figures (Chinese text where there is text). */
function table(name: (typeof REPORT_NAMES)[number], rows: number): ReportTable {
  const layout = REPORT_LAYOUTS[name];
  return {
    name,
    from: '2026-11-01',
    to: '2026-11-30',
    timeZone: 'Asia/Shanghai',
    generatedAt: '2026-12-01T00:00:00.000Z',
    filters: { customerId: null },
    columns: [...layout.columns],
    rows: Array.from({ length: rows }, (_, i) =>
      Object.fromEntries(
        layout.columns.map((c) => [
          c.key,
          c.type === 'text'
            ? (['网络', '硬件', '数据库'][i % 3] ?? null)
            : c.type === 'date'
              ? `2026-11-${String(2 + 7 * (i % 4)).padStart(2, '0')}`
              : c.type === 'ratio'
                ? 0.8 + (i % 3) / 20
                : c.type === 'duration_ms'
                  ? 3_600_000 + i * 60_000
                  : 40 - i,
        ]),
      ),
    ),
    ...(layout.chart ? { chart: layout.chart } : {}),
  };
}

function report(over: Partial<ServiceReport> = {}): ServiceReport {
  return {
    id: 'r1',
    kind: 'monthly',
    month: '2026-11',
    from: '2026-11-01',
    to: '2026-11-30',
    organisationId: 'org-1',
    organisationName: '华东电网有限公司',
    locale: 'zh-CN',
    generatedAt: '2026-12-01T00:05:00.000Z',
    generatedBy: null,
    pdfBytes: 0,
    content: {
      counts: { tickets: 1234, majorIncidents: 2, problems: 3 },
      sections: REPORT_NAMES.map((n) => table(n, n === 'volume' ? 60 : 5)),
    },
    ...over,
  };
}

const font = findPdfFont(process.env.DUTYDESK_PDF_FONT);

describe('the service report PDF (decision 60)', () => {
  it('finds a CJK font (CI installs one; DUTYDESK_PDF_FONT overrides)', () => {
    expect(
      font,
      `no CJK font: install fonts-noto-cjk or set DUTYDESK_PDF_FONT (looked for ${SYSTEM_CJK_FONTS.map((f) => f.path).join(', ')})`,
    ).not.toBeNull();
    expect(findPdfFont('/nowhere/x.ttf', () => false)).toBeNull();
    expect(findPdfFont('/fonts/a.ttc#FaceName', () => true)?.face('en')).toBe('FaceName');
  });

  it('renders a real PDF with the Chinese text embedded and extractable', async () => {
    const t0 = performance.now();
    const pdf = await renderServiceReportPdf({
      report: report(),
      locale: 'zh-CN',
      font,
      periodLabel: '2026-11',
      generatedLabel: '2026-12-01 08:05',
    });
    const ms = performance.now() - t0;
    if (process.env.PDF_OUT) (await import('node:fs')).writeFileSync(process.env.PDF_OUT, pdf);
    const read = readPdf(pdf);
    console.log(
      `zh-CN PDF: ${pdf.length} bytes, ${read.pages} pages, ${ms.toFixed(0)} ms; fonts ${read.fonts.join(', ')}`,
    );
    expect(read.version).toMatch(/^1\.\d$/);
    expect(read.pages).toBeGreaterThanOrEqual(2);
    // One font, embedded as a subset (the six-letter tag), with a ToUnicode map.
    expect(read.fonts.some((f) => /^[A-Z]{6}\+/.test(f))).toBe(true);
    expect(read.embedded.length).toBeGreaterThan(0);
    expect(read.text).toContain('服务报告 · 华东电网有限公司');
    expect(read.text).toContain('期间 2026-11');
    expect(read.text).toContain('按周和优先级的 SLA 达成率');
    expect(read.text).toContain('故障最多的模块');
    expect(read.text).toContain('工单数');
    expect(read.text).toContain('数据库');
    expect(read.text).toContain('1234');
    expect(read.text).toContain(`第 1 页，共 ${read.pages} 页`);
    // 60 volume rows: the first 40 printed, the rest named.
    expect(read.text).toContain('另有 20 行');
    expect(read.text).not.toContain('\ufffd');
  });

  it('writes English, and the desk report without a customer', async () => {
    const pdf = await renderServiceReportPdf({
      report: report({ organisationId: null, organisationName: null, locale: 'en' }),
      locale: 'en',
      font,
      periodLabel: '2026-11',
      generatedLabel: '2026-12-01 08:05',
    });
    const { text } = readPdf(pdf);
    expect(text).toContain('Service report · Whole desk');
    expect(text).toContain('Modules that fail most');
    expect(text).toContain('Major incidents');
  });

  it('falls back to Helvetica without a CJK font: Latin text stays, CJK prints as "?"', async () => {
    const pdf = await renderServiceReportPdf({
      report: report(),
      locale: 'en',
      font: null,
      periodLabel: '2026-11',
      generatedLabel: '2026-12-01 08:05',
    });
    const read = readPdf(pdf);
    expect(read.fonts).toContain('Helvetica');
    expect(read.embedded).toEqual([]);
    expect(read.text).toContain('Service report · ????????');
  });

  it('takes the past desk month at the turn of the month (Asia/Shanghai)', () => {
    // 2026-12-01 00:30 in Shanghai is still 30 November in UTC.
    const p = previousDeskMonth(new Date('2026-11-30T16:30:00Z'));
    expect(p).toMatchObject({ month: '2026-11', from: '2026-11-01', to: '2026-11-30' });
    expect(p.start.toISOString()).toBe('2026-10-31T16:00:00.000Z');
    expect(p.end.toISOString()).toBe('2026-11-30T16:00:00.000Z');
    expect(previousDeskMonth(new Date('2026-11-30T15:59:00Z')).month).toBe('2026-10');
    expect(previousDeskMonth(new Date('2026-01-10T00:00:00Z')).month).toBe('2025-12');
  });
});
