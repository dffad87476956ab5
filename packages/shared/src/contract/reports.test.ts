import { describe, expect, it } from 'vitest';
import {
  REPORT_COLUMN_LABELS,
  REPORT_LAYOUTS,
  REPORT_NAMES,
  REPORT_TITLES,
  reportColumnLabel,
  reportQuerySchema,
  reportTableSchema,
} from './reports';

describe('report contract', () => {
  it('lays out every report with labelled columns in four languages', () => {
    for (const name of REPORT_NAMES) {
      const layout = REPORT_LAYOUTS[name];
      const keys = layout.columns.map((c) => c.key);
      expect(new Set(keys).size).toBe(keys.length);
      for (const key of keys)
        for (const locale of ['en', 'zh-CN', 'ja', 'ko'] as const)
          expect(REPORT_COLUMN_LABELS[key]?.[locale], `${name}.${key} ${locale}`).toBeTruthy();
      if (layout.chart) {
        expect(keys).toContain(layout.chart.x);
        for (const s of layout.chart.series) expect(keys).toContain(s);
      }
      expect(REPORT_TITLES[name]['zh-CN']).toBeTruthy();
    }
    expect(reportColumnLabel('p1_rate', 'zh-CN')).toBe('P1 达成率');
    expect(reportColumnLabel('unknown_key', 'ja')).toBe('unknown_key');
  });

  it('reads a query of desk days, defaults json and en, refuses bad periods', () => {
    expect(reportQuerySchema.parse({ from: '2026-11-01', to: '2026-11-30' })).toEqual({
      from: '2026-11-01',
      to: '2026-11-30',
      format: 'json',
      lang: 'en',
    });
    expect(reportQuerySchema.safeParse({ from: '2026-11-31', to: '2026-12-01' }).success).toBe(
      false,
    );
    expect(reportQuerySchema.safeParse({ from: '2026-12-02', to: '2026-12-01' }).success).toBe(
      false,
    );
    expect(reportQuerySchema.safeParse({ from: '2025-01-01', to: '2026-01-01' }).success).toBe(
      true,
    );
    expect(reportQuerySchema.safeParse({ from: '2025-01-01', to: '2026-01-02' }).success).toBe(
      false,
    );
    expect(
      reportQuerySchema.safeParse({ from: '2026-11-01', to: '2026-11-30', format: 'pdf' }).success,
    ).toBe(false);
  });

  it('accepts a table of the shared shape', () => {
    const table = {
      name: 'volume',
      from: '2026-11-01',
      to: '2026-11-30',
      timeZone: 'Asia/Shanghai',
      generatedAt: '2026-12-01T00:00:00.000Z',
      filters: { customerId: null },
      columns: [...REPORT_LAYOUTS.volume.columns],
      rows: [
        { label: 'A / B', category: 'A', module: 'B', tickets: 3, p1: 1, p2: 1, p3: 1, share: 1 },
      ],
      chart: REPORT_LAYOUTS.volume.chart,
    };
    expect(reportTableSchema.parse(table)).toEqual(table);
  });
});
