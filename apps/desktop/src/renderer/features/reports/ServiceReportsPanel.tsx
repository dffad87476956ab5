import { useCallback, useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { navigate } from '../../app/router';
import { useLocale, useT } from '../../i18n/i18n';
import { serviceReportListSchema, serviceReportSchema } from '../../realtime/contract';
import type { ServiceReportSummary } from '../../realtime/contract';
import { useAppStore } from '../../store/StoreContext';
import { formatDeskTime } from '../../ui/deskTime';
import { presetPeriod } from './period';
import type { DeskPeriod } from './period';
import { saveBlob } from './reportsApi';
import type { ReportsApi } from './reportsApi';
import { PeriodPicker } from './ReportParts';
import { useOrganisations } from './ReportsScreen';

const DESK = '';

/** A kept report's period as desk days, "2026-11" for a month. */
export function describePeriod(r: Pick<ServiceReportSummary, 'month' | 'from' | 'to'>): string {
  return r.month ?? (r.from === r.to ? r.from : `${r.from} – ${r.to}`);
}

/** Downloads a kept report's PDF in the console's language. */
export async function downloadServicePdf(
  api: ReportsApi,
  token: string,
  report: ServiceReportSummary,
  locale: string,
): Promise<string | null> {
  const res = await api.download(
    token,
    `/service-reports/${encodeURIComponent(report.id)}/pdf?lang=${encodeURIComponent(locale)}`,
  );
  if (!res.ok) return res.message || res.code;
  saveBlob(res.body.blob, res.body.filename ?? `service-report-${describePeriod(report)}.pdf`);
  return null;
}

/**
 * The monthly service reports (decision 60): those the job made on the 1st and those made on
 * demand, each opened as a printable page or downloaded as a PDF; a form makes one for any
 * period, for the desk or one customer.
 */
export function ServiceReportsPanel({ api }: { api: ReportsApi }) {
  const t = useT();
  const [locale] = useLocale();
  const token = useAppStore((state) => state.session?.token ?? '');
  const [reports, setReports] = useState<ServiceReportSummary[] | null>(null);
  const organisations = useOrganisations();
  const [period, setPeriod] = useState<DeskPeriod>(() => presetPeriod('lastMonth', Date.now()));
  const [organisationId, setOrganisationId] = useState(DESK);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    const res = await api.getJson(token, '/service-reports', serviceReportListSchema);
    if (res.ok) setReports(res.body.reports);
    else setError(res.message || t('reports.failed'));
  }, [api, t, token]);

  useEffect(() => {
    void load();
  }, [load]);

  const make = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (period.from > period.to) return;
    setBusy(true);
    setError(null);
    const res = await api.post(
      token,
      '/service-reports',
      { ...period, organisationId: organisationId || null, locale },
      serviceReportSchema,
    );
    setBusy(false);
    if (!res.ok) {
      setError(res.message || t('reports.failed'));
      return;
    }
    await load();
    navigate(`/reports/service/${encodeURIComponent(res.body.id)}`);
  };

  const pdf = async (r: ServiceReportSummary): Promise<void> => {
    setError(await downloadServicePdf(api, token, r, locale));
  };

  return (
    <>
      <header className="reports__head">
        <h2>{t('reports.name.service')}</h2>
      </header>
      <p className="reports__muted">{t('reports.service.hint')}</p>
      <form className="reports-make" onSubmit={(e) => void make(e)} data-testid="service-make">
        <PeriodPicker period={period} onChange={setPeriod} />
        <label className="field">
          <span className="field__label">{t('reports.service.customer')}</span>
          <select
            value={organisationId}
            onChange={(e) => setOrganisationId(e.target.value)}
            data-testid="service-customer"
          >
            <option value={DESK}>{t('reports.service.desk')}</option>
            {organisations.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? t('reports.service.making') : t('reports.service.make')}
        </button>
      </form>
      {error && (
        <p className="reports__error" role="alert">
          {error}
        </p>
      )}
      {reports === null ? (
        <p className="reports__muted">{t('reports.loading')}</p>
      ) : reports.length === 0 ? (
        <p className="reports__muted">{t('reports.service.none')}</p>
      ) : (
        <div
          className="reports-table"
          tabIndex={0}
          role="region"
          aria-label={t('reports.service.kept')}
        >
          <table data-testid="service-list">
            <caption className="visually-hidden">{t('reports.service.kept')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('reports.service.period')}</th>
                <th scope="col">{t('reports.service.customer')}</th>
                <th scope="col">{t('reports.service.kind')}</th>
                <th scope="col">{t('reports.service.generatedAt')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('reports.service.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {reports.map((r) => (
                <tr key={r.id}>
                  <td>{describePeriod(r)}</td>
                  <td>{r.organisationName ?? t('reports.service.desk')}</td>
                  <td>
                    {r.kind === 'monthly'
                      ? t('reports.service.monthly')
                      : t('reports.service.onDemand')}
                  </td>
                  <td>{formatDeskTime(Date.parse(r.generatedAt), locale, { withDate: true })}</td>
                  <td className="reports-table__actions">
                    <a
                      className="button button--quiet"
                      href={`/reports/service/${encodeURIComponent(r.id)}`}
                      onClick={(e) => {
                        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
                        e.preventDefault();
                        navigate(`/reports/service/${encodeURIComponent(r.id)}`);
                      }}
                    >
                      {t('reports.service.open')}
                    </a>
                    <button
                      type="button"
                      className="button button--quiet"
                      onClick={() => void pdf(r)}
                    >
                      {t('reports.service.pdf')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
