import { useEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { navigate } from '../../app/router';
import { useServices } from '../../app/services';
import { useLocale, useT } from '../../i18n/i18n';
import { REPORT_NAMES } from '../../realtime/contract';
import type { Organisation } from '../../realtime/contract';
import { useAppStore } from '../../store/StoreContext';
import { presetPeriod } from './period';
import type { DeskPeriod } from './period';
import { ReportChart } from './ReportChart';
import { PeriodPicker, ReportTableView, useColumnLabel, useReportTitle } from './ReportParts';
import { createReportsApi, reportTableSchema, saveBlob, SERVICE_TAB } from './reportsApi';
import type { ReportsApi, ReportTable } from './reportsApi';
import { ServiceReportsPanel } from './ServiceReportsPanel';
import './reports.css';

const defaultApi = createReportsApi();
const ALL = '';

/**
 * The reports screen (`/reports`, `/reports/<name>`; issue 22): a tab per report and one for
 * the monthly service reports, a period of desk days (month presets or from/to) and a customer,
 * the report's chart (uPlot, from the server's `chart` hint), its table, and CSV / XLSX
 * downloads of the same figures from the server (`format=csv|xlsx`, headers in the console's
 * language).
 */
export function ReportsScreen({
  name,
  api = defaultApi,
}: {
  name: string | null;
  api?: ReportsApi;
}) {
  const t = useT();
  const title = useReportTitle();
  const tabs = useMemo<string[]>(() => [...REPORT_NAMES, SERVICE_TAB], []);
  const current = name && tabs.includes(name) ? name : (tabs[0] ?? SERVICE_TAB);
  const tabRefs = useRef(new Map<string, HTMLButtonElement>());
  const tabLabel = (tab: string): string =>
    tab === SERVICE_TAB ? t('reports.name.service') : title(tab);

  const onTabKey = (event: KeyboardEvent<HTMLButtonElement>): void => {
    const i = tabs.indexOf(current);
    const next =
      event.key === 'ArrowDown' || event.key === 'ArrowRight'
        ? tabs[(i + 1) % tabs.length]
        : event.key === 'ArrowUp' || event.key === 'ArrowLeft'
          ? tabs[(i - 1 + tabs.length) % tabs.length]
          : event.key === 'Home'
            ? tabs[0]
            : event.key === 'End'
              ? tabs[tabs.length - 1]
              : undefined;
    if (!next) return;
    event.preventDefault();
    navigate(`/reports/${next}`, { replace: true });
    queueMicrotask(() => tabRefs.current.get(next)?.focus());
  };

  return (
    <div className="reports" data-testid="reports-screen">
      <nav className="reports__nav" aria-label={t('reports.title')}>
        <h1 className="reports__title">{t('reports.title')}</h1>
        <div role="tablist" aria-label={t('reports.pick')} aria-orientation="vertical">
          {tabs.map((tab) => (
            <button
              key={tab}
              ref={(el) => {
                if (el) tabRefs.current.set(tab, el);
                else tabRefs.current.delete(tab);
              }}
              type="button"
              role="tab"
              id={`reports-tab-${tab}`}
              data-report={tab}
              aria-selected={tab === current}
              aria-controls="reports-panel"
              tabIndex={tab === current ? 0 : -1}
              className={`reports__tab${tab === SERVICE_TAB ? ' reports__tab--service' : ''}`}
              onClick={() => navigate(`/reports/${tab}`)}
              onKeyDown={onTabKey}
            >
              {tabLabel(tab)}
            </button>
          ))}
        </div>
      </nav>
      <section
        className="reports__body"
        role="tabpanel"
        id="reports-panel"
        aria-labelledby={`reports-tab-${current}`}
      >
        {current === SERVICE_TAB ? (
          <ServiceReportsPanel api={api} />
        ) : (
          <ReportPanel key={current} name={current} title={tabLabel(current)} api={api} />
        )}
      </section>
    </div>
  );
}

type Loaded =
  | { state: 'idle' }
  | { state: 'loading' }
  | { state: 'ready'; report: ReportTable }
  | { state: 'failed'; message: string };

/** The period and customer the screen keeps between tabs (this page's life). */
let lastChoice: { period: DeskPeriod; customerId: string } | null = null;

/** The organisations of the customer pickers (active ones), read once per screen. */
export function useOrganisations(): Organisation[] {
  const { api } = useServices();
  const token = useAppStore((state) => state.session?.token ?? '');
  const [organisations, setOrganisations] = useState<Organisation[]>([]);
  useEffect(() => {
    let live = true;
    void api.listOrganisations(token).then((o) => live && setOrganisations(o));
    return () => {
      live = false;
    };
  }, [api, token]);
  return organisations;
}

function ReportPanel({ name, title, api }: { name: string; title: string; api: ReportsApi }) {
  const t = useT();
  const [locale] = useLocale();
  const label = useColumnLabel();
  const organisations = useOrganisations();
  const token = useAppStore((state) => state.session?.token ?? '');
  const [choice, setChoiceState] = useState(
    () => lastChoice ?? { period: presetPeriod('thisMonth', Date.now()), customerId: ALL },
  );
  const setChoice = (c: typeof choice): void => {
    lastChoice = c;
    setChoiceState(c);
  };
  const [loaded, setLoaded] = useState<Loaded>({ state: 'idle' });
  const [downloading, setDownloading] = useState(false);
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const { period, customerId } = choice;
  const valid = period.from !== '' && period.to !== '' && period.from <= period.to;
  const query = valid
    ? new URLSearchParams({
        from: period.from,
        to: period.to,
        lang: locale,
        ...(customerId ? { customerId } : {}),
      }).toString()
    : null;

  useEffect(() => {
    if (!query) return;
    const abort = new AbortController();
    setLoaded({ state: 'loading' });
    void api
      .getJson(
        token,
        `/reports/${encodeURIComponent(name)}?${query}&format=json`,
        reportTableSchema,
        abort.signal,
      )
      .then((res) => {
        if (abort.signal.aborted) return;
        setLoaded(
          res.ok
            ? { state: 'ready', report: res.body }
            : { state: 'failed', message: res.message || t('reports.failed') },
        );
      });
    return () => abort.abort();
  }, [api, name, query, t, token]);

  const download = async (format: 'csv' | 'xlsx'): Promise<void> => {
    if (!query) return;
    setDownloading(true);
    setDownloadError(null);
    const res = await api.download(
      token,
      `/reports/${encodeURIComponent(name)}?${query}&format=${format}`,
    );
    setDownloading(false);
    if (!res.ok) {
      setDownloadError(res.message || t('reports.failed'));
      return;
    }
    saveBlob(res.body.blob, res.body.filename ?? `${name}-${period.from}-${period.to}.${format}`);
  };

  const report = loaded.state === 'ready' ? loaded.report : null;
  return (
    <>
      <header className="reports__head">
        <h2 id="report-title">{title}</h2>
        <div className="reports__downloads">
          <button
            type="button"
            className="button"
            onClick={() => void download('csv')}
            disabled={!query || downloading}
            data-testid="reports-csv"
          >
            {t('reports.csv')}
          </button>
          <button
            type="button"
            className="button"
            onClick={() => void download('xlsx')}
            disabled={!query || downloading}
            data-testid="reports-xlsx"
          >
            {t('reports.xlsx')}
          </button>
        </div>
      </header>
      <div className="reports-controls">
        <PeriodPicker period={period} onChange={(p) => setChoice({ ...choice, period: p })} />
        <label className="field">
          <span className="field__label">{t('reports.service.customer')}</span>
          <select
            value={customerId}
            onChange={(e) => setChoice({ ...choice, customerId: e.target.value })}
            data-testid="reports-customer"
          >
            <option value={ALL}>{t('reports.allCustomers')}</option>
            {organisations.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      {downloadError && (
        <p className="reports__error" role="alert">
          {downloadError}
        </p>
      )}
      <div aria-live="polite" className="reports__status">
        {loaded.state === 'loading' && (
          <span className="reports__muted">{t('reports.loading')}</span>
        )}
        {loaded.state === 'failed' && (
          <span className="reports__error" role="alert">
            {loaded.message}
          </span>
        )}
      </div>
      {report && (
        <>
          <ReportChart
            report={report}
            locale={locale}
            label={label}
            title={t('reports.chartOf', { title })}
          />
          <ReportTableView report={report} caption={title} />
        </>
      )}
    </>
  );
}
