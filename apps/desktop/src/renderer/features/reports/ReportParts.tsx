import { useCallback } from 'react';
import { useLocale, useT } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/i18n';
import {
  formatReportCell,
  isNumericColumn,
  REPORT_TITLES,
  reportColumnLabel,
} from '../../realtime/contract';
import type { ReportName, ReportTable } from '../../realtime/contract';
import { matchPreset, PERIOD_PRESETS, presetPeriod } from './period';
import type { DeskPeriod } from './period';

/** A report's title in the console's language (the shared titles, decision 59). */
export function useReportTitle(): (name: string) => string {
  const [locale] = useLocale();
  return useCallback(
    (name: string) => REPORT_TITLES[name as ReportName]?.[locale] ?? name,
    [locale],
  );
}

/** A column's header in the console's language (the shared headers of the CSV and XLSX). */
export function useColumnLabel(): (key: string) => string {
  const [locale] = useLocale();
  return useCallback((key: string) => reportColumnLabel(key, locale), [locale]);
}

/** The period pickers: month presets (pressed when the period is one) and from/to desk days. */
export function PeriodPicker({
  period,
  onChange,
}: {
  period: DeskPeriod;
  onChange: (period: DeskPeriod) => void;
}) {
  const t = useT();
  const pressed = matchPreset(period, Date.now());
  return (
    <div className="reports-period" role="group" aria-label={t('reports.period')}>
      <div className="reports-period__presets">
        {PERIOD_PRESETS.map((p) => (
          <button
            key={p}
            type="button"
            className="button button--quiet"
            aria-pressed={pressed === p}
            data-preset={p}
            onClick={() => onChange(presetPeriod(p, Date.now()))}
          >
            {t(`reports.preset.${p}` as MessageKey)}
          </button>
        ))}
      </div>
      <label className="field reports-period__day">
        <span className="field__label">{t('reports.from')}</span>
        <input
          type="date"
          required
          value={period.from}
          max={period.to}
          onChange={(e) => e.target.value && onChange({ ...period, from: e.target.value })}
          data-testid="reports-from"
        />
      </label>
      <label className="field reports-period__day">
        <span className="field__label">{t('reports.to')}</span>
        <input
          type="date"
          required
          value={period.to}
          min={period.from}
          onChange={(e) => e.target.value && onChange({ ...period, to: e.target.value })}
          data-testid="reports-to"
        />
      </label>
    </div>
  );
}

/** A report's table: its columns in the console's language, numbers right-aligned. */
export function ReportTableView({ report, caption }: { report: ReportTable; caption: string }) {
  const t = useT();
  const [locale] = useLocale();
  const label = useColumnLabel();
  if (report.rows.length === 0) return <p className="reports__muted">{t('reports.empty')}</p>;
  return (
    <div className="reports-table" tabIndex={0} role="region" aria-label={caption}>
      <table data-testid="report-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {report.columns.map((c) => (
              <th key={c.key} scope="col" className={isNumericColumn(c.type) ? 'num' : undefined}>
                {label(c.key)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {report.rows.map((row, i) => (
            <tr key={i}>
              {report.columns.map((c) => (
                <td key={c.key} className={isNumericColumn(c.type) ? 'num' : undefined}>
                  {formatReportCell(locale, c.type, row[c.key])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
