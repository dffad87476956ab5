import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Locale } from '../../i18n/i18n';
import { chartValue, formatReportCell, isRateColumn } from '../../realtime/contract';
import type { ReportTable } from '../../realtime/contract';

/** Series colours: CSS variables of styles.css (light and dark sides), read when drawing. */
const SERIES_VARS = ['--chart-1', '--chart-2', '--chart-3', '--chart-4', '--chart-5'];

/** A CSS colour expression resolved to what the page paints now (light-dark() included). */
function resolveColour(probe: HTMLElement, expression: string): string {
  probe.style.color = expression;
  return getComputedStyle(probe).color;
}

/** Grouped bars, one slot per series around each category, from zero. */
function groupedBars(slot: number, slots: number): uPlot.Series.PathBuilder {
  return (u, seriesIdx, idx0, idx1) => {
    const path = new Path2D();
    const xs = u.data[0];
    const ys = u.data[seriesIdx] ?? [];
    const scaleKey = u.series[seriesIdx]?.scale ?? 'y';
    const step = Math.abs(u.valToPos(1, 'x', true) - u.valToPos(0, 'x', true));
    const group = step * 0.7;
    const width = group / slots;
    const zero = u.valToPos(0, scaleKey, true);
    for (let i = idx0; i <= idx1; i++) {
      const v = ys[i];
      if (v === null || v === undefined) continue;
      const centre = u.valToPos(xs[i] ?? i, 'x', true);
      const left = centre - group / 2 + slot * width;
      const top = u.valToPos(v, scaleKey, true);
      path.rect(left, Math.min(top, zero), Math.max(1, width - 2), Math.abs(zero - top));
    }
    return { stroke: path, fill: path };
  };
}

export interface ReportChartProps {
  report: ReportTable;
  locale: Locale;
  /** The columns' names in the console's language. */
  label: (key: string) => string;
  /** Accessible name of the picture (the table below holds the same numbers). */
  title: string;
  height?: number;
}

/**
 * The report's `chart` hint drawn with uPlot: the `x` column as categories along the axis, each
 * `series` column as bars or a line; rates on a right-hand 0–100 % axis of their own. Colours
 * come from the CSS variables, so dark mode redraws in its own colours.
 */
export function ReportChart({ report, locale, label, title, height = 280 }: ReportChartProps) {
  const holder = useRef<HTMLDivElement>(null);
  const chart = report.chart;

  useEffect(() => {
    const el = holder.current;
    if (!el || !chart || report.rows.length === 0) return;
    const xType = report.columns.find((c) => c.key === chart.x)?.type ?? 'text';
    const series = chart.series
      .map((key) => report.columns.find((c) => c.key === key))
      .filter((c): c is NonNullable<typeof c> => c !== undefined);
    const xLabels = report.rows.map((row) => formatReportCell(locale, xType, row[chart.x]));
    const xs = report.rows.map((_, i) => i);
    const data: uPlot.AlignedData = [
      xs,
      ...series.map((c) => report.rows.map((row) => chartValue(row[c.key]))),
    ];
    const hasRate = series.some((c) => isRateColumn(c.type));
    const hasCount = series.some((c) => !isRateColumn(c.type));
    // The left axis reads in the first number series' unit (durations as h and min).
    const countType = series.find((c) => !isRateColumn(c.type))?.type ?? 'number';
    const bars = chart.kind === 'bar';
    const probe = document.createElement('span');
    probe.hidden = true;
    el.append(probe);

    let plot: uPlot | null = null;
    const draw = (): void => {
      plot?.destroy();
      const text = resolveColour(probe, 'var(--text-muted)');
      const grid = resolveColour(probe, 'var(--chart-grid)');
      const colours = SERIES_VARS.map((v) => resolveColour(probe, `var(${v})`));
      const rateOnly = hasRate && !hasCount;
      const axisFont = '12px system-ui, sans-serif';
      const opts: uPlot.Options = {
        width: Math.max(320, el.clientWidth),
        height,
        legend: { show: true },
        cursor: { drag: { x: false, y: false } },
        scales: {
          x: { time: false, range: () => [-0.5, Math.max(0.5, xs.length - 0.5)] },
          y: { range: (_u, min, max) => [Math.min(0, min * 1.1), max > 0 ? max * 1.1 : 1] },
          pct: { range: () => [0, 1] },
        },
        axes: [
          {
            stroke: text,
            grid: { show: false },
            ticks: { stroke: grid },
            font: axisFont,
            splits: () => xs,
            values: (_u, splits) => splits.map((i) => xLabels[i] ?? ''),
            rotate: xs.length > 8 ? -30 : 0,
            size: xs.length > 8 ? 70 : 40,
          },
          ...(rateOnly
            ? []
            : [
                {
                  stroke: text,
                  grid: { stroke: grid, width: 1 },
                  ticks: { stroke: grid },
                  font: axisFont,
                  size: 64,
                  values: (_u: uPlot, splits: number[]) =>
                    splits.map((v) => formatReportCell(locale, countType, v)),
                } satisfies uPlot.Axis,
              ]),
          ...(hasRate
            ? [
                {
                  scale: 'pct',
                  side: rateOnly ? 3 : 1,
                  stroke: text,
                  grid: { show: rateOnly, stroke: grid, width: 1 },
                  ticks: { stroke: grid },
                  font: axisFont,
                  size: 56,
                  values: (_u: uPlot, splits: number[]) =>
                    splits.map((v) => `${Math.round(v * 100)} %`),
                } satisfies uPlot.Axis,
              ]
            : []),
        ],
        series: [
          { label: label(chart.x), value: (_u, v) => (v === null ? '' : (xLabels[v] ?? '')) },
          ...series.map((c, i): uPlot.Series => {
            const colour = colours[i % colours.length] ?? text;
            const barSlot = bars;
            return {
              label: label(c.key),
              scale: isRateColumn(c.type) ? 'pct' : 'y',
              stroke: colour,
              width: barSlot ? 0 : 2,
              fill: barSlot ? colour : undefined,
              points: { show: !barSlot, size: 6, fill: colour },
              paths: barSlot ? groupedBars(i, series.length) : undefined,
              value: (_u, v) => formatReportCell(locale, c.type, v),
            };
          }),
        ],
      };
      plot = new uPlot(opts, data, el);
    };
    draw();
    // Redraw on a theme switch (data-theme on <html>), the system scheme and a resize.
    const observer = new MutationObserver(draw);
    observer.observe(document.documentElement, {
      attributes: true,
      attributeFilter: ['data-theme'],
    });
    const scheme = window.matchMedia?.('(prefers-color-scheme: dark)');
    scheme?.addEventListener?.('change', draw);
    let width = el.clientWidth;
    const resize =
      typeof ResizeObserver === 'undefined'
        ? null
        : new ResizeObserver(() => {
            if (Math.abs(el.clientWidth - width) < 8) return;
            width = el.clientWidth;
            draw();
          });
    resize?.observe(el);
    return () => {
      observer.disconnect();
      resize?.disconnect();
      scheme?.removeEventListener?.('change', draw);
      plot?.destroy();
      probe.remove();
    };
  }, [report, chart, locale, label, height]);

  if (!chart || report.rows.length === 0) return null;
  return (
    <figure className="report-chart" aria-label={title} role="img" data-testid="report-chart">
      <div ref={holder} className="report-chart__plot" />
    </figure>
  );
}
