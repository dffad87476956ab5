import { useEffect, useState } from 'react';
import { navigate } from '../../app/router';
import { useLocale, useT } from '../../i18n/i18n';
import { serviceReportSchema } from '../../realtime/contract';
import type { ServiceReport } from '../../realtime/contract';
import { useAppStore } from '../../store/StoreContext';
import { formatDeskTime } from '../../ui/deskTime';
import { ReportChart } from './ReportChart';
import { createReportsApi, SERVICE_TAB } from './reportsApi';
import type { ReportsApi } from './reportsApi';
import { ReportTableView, useColumnLabel, useReportTitle } from './ReportParts';
import { describePeriod, downloadServicePdf } from './ServiceReportsPanel';
import './reports.css';

const defaultApi = createReportsApi();

/**
 * One kept service report as a printable page (`/reports/service/:id`): its counts and every
 * table with its chart, as it was when made; print CSS leaves the console's frame out, and the
 * PDF button fetches the server's PDF of the same content.
 */
export function ServiceReportPage({ id, api = defaultApi }: { id: string; api?: ReportsApi }) {
  const t = useT();
  const [locale] = useLocale();
  const label = useColumnLabel();
  const reportTitle = useReportTitle();
  const token = useAppStore((state) => state.session?.token ?? '');
  const [report, setReport] = useState<ServiceReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    void api
      .getJson(
        token,
        `/service-reports/${encodeURIComponent(id)}`,
        serviceReportSchema,
        abort.signal,
      )
      .then((res) => {
        if (abort.signal.aborted) return;
        if (res.ok) setReport(res.body);
        else setError(res.status === 404 ? t('reports.service.notFound') : res.message);
      });
    return () => abort.abort();
  }, [api, id, t, token]);

  if (error)
    return (
      <section className="panel">
        <p role="alert">{error}</p>
      </section>
    );
  if (!report) return <p className="reports__muted">{t('reports.loading')}</p>;
  const customer = report.organisationName ?? t('reports.service.desk');
  const { counts } = report.content;
  return (
    <article className="service-report" data-testid="service-report">
      <div className="service-report__bar no-print">
        <button
          type="button"
          className="button button--quiet"
          onClick={() => navigate(`/reports/${SERVICE_TAB}`)}
        >
          {t('reports.service.back')}
        </button>
        <div className="topbar__spacer" />
        <button type="button" className="button" onClick={() => window.print()}>
          {t('reports.service.print')}
        </button>
        <button
          type="button"
          className="button button--primary"
          onClick={() => void downloadServicePdf(api, token, report, locale).then(setError)}
        >
          {t('reports.service.pdf')}
        </button>
      </div>
      <header className="service-report__head">
        <h1>{t('reports.service.heading', { customer })}</h1>
        <p>
          {t('reports.service.periodLine', { period: describePeriod(report) })} ·{' '}
          {t('reports.service.madeLine', {
            at: formatDeskTime(Date.parse(report.generatedAt), locale, { withDate: true }),
          })}
        </p>
      </header>
      <dl className="service-report__counts">
        <div>
          <dt>{t('reports.service.tickets')}</dt>
          <dd>{counts.tickets}</dd>
        </div>
        <div>
          <dt>{t('reports.service.majorIncidents')}</dt>
          <dd>{counts.majorIncidents}</dd>
        </div>
        <div>
          <dt>{t('reports.service.problems')}</dt>
          <dd>{counts.problems}</dd>
        </div>
      </dl>
      {report.content.sections.map((section) => {
        const title = reportTitle(section.name);
        return (
          <section key={section.name} className="service-report__section">
            <h2>{title}</h2>
            <ReportChart
              report={section}
              locale={locale}
              label={label}
              title={t('reports.chartOf', { title })}
              height={220}
            />
            <ReportTableView report={section} caption={title} />
          </section>
        );
      })}
    </article>
  );
}
