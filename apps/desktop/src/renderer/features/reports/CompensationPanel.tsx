import { useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import { useLocale, useT } from '../../i18n/i18n';
import { useAppStore } from '../../store/StoreContext';
import { readDeskDay, readDeskDayStart } from '../../ui/deskTime';
import { useAdminApi } from '../admin/adminApi';
import type { AdminOutcome } from '../admin/adminApi';
import { AdminField, FormError, refusedFields } from '../admin/adminUi';
import { formatTargetName } from '../alerts/message';
import { formatInstant } from '../ticket/labels';
import { compensationReportSchema, NO_CUSTOMER, roundMinutes, toCsv } from './compensation';
import type { CompensationReport } from './compensation';

const ALL = '*';

/**
 * The overtime compensation report (`GET /api/sla/compensation`, issue 23): a period of
 * desk days, narrowed to one customer, per ticket with the customers' totals; exported as CSV
 * (UTF-8 with a BOM) of the lines shown.
 */
export function CompensationPanel() {
  const t = useT();
  const [locale] = useLocale();
  const api = useAdminApi();
  const token = useAppStore((state) => state.session?.token ?? '');
  const today = readDeskDay(Date.now());
  const [from, setFrom] = useState(`${today.slice(0, 8)}01`);
  const [to, setTo] = useState(today);
  const [customer, setCustomer] = useState(ALL);
  const [report, setReport] = useState<CompensationReport | null>(null);
  const [outcome, setOutcome] = useState<AdminOutcome<unknown> | null>(null);
  const [busy, setBusy] = useState(false);
  const fields = refusedFields(outcome);

  const run = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const start = readDeskDayStart(from);
    const end = readDeskDayStart(to, 1);
    if (start === null || end === null) return;
    setBusy(true);
    const q = `from=${encodeURIComponent(new Date(start).toISOString())}&to=${encodeURIComponent(new Date(end).toISOString())}`;
    const res = await api.request<unknown>(token, 'GET', `/sla/compensation?${q}`);
    setBusy(false);
    setOutcome(res.ok ? null : res);
    if (res.ok) {
      const parsed = compensationReportSchema.safeParse(res.body);
      setReport(parsed.success ? parsed.data : null);
      setCustomer(ALL);
    }
  };
  const customerName = (id: string): string => (id === NO_CUSTOMER ? t('cp.noCustomer') : id);
  const lines = useMemo(
    () => (report?.tickets ?? []).filter((l) => customer === ALL || l.customerId === customer),
    [report, customer],
  );
  const total = lines.reduce((n, l) => n + l.compensationMinutes, 0);
  const header = [
    t('cp.col.ticket'),
    t('cp.col.customer'),
    t('cp.col.priority'),
    t('cp.col.target'),
    t('cp.col.due'),
    t('cp.col.breached'),
    t('cp.col.overtime'),
    t('cp.col.share'),
    t('cp.col.compensation'),
  ];
  const exportCsv = (): void => {
    const csv = toCsv(
      header,
      lines.map((l) => [
        l.number,
        customerName(l.customerId),
        l.priority,
        formatTargetName(t, l.target),
        l.dueAt ?? '',
        l.breached ? t('cp.yes') : t('cp.no'),
        roundMinutes(l.labourMinutesPastTarget),
        l.sharePercent,
        roundMinutes(l.compensationMinutes),
      ]),
    );
    const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `compensation-${from}-${to}${customer === ALL ? '' : `-${customer}`}.csv`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  return (
    <section className="admin-section" aria-labelledby="cp-title" data-testid="compensation">
      <h2 id="cp-title">{t('cp.title')}</h2>
      <p className="admin-muted">{t('cp.hint')}</p>
      <form className="admin-form cp-row" onSubmit={(e) => void run(e)}>
        <AdminField label={t('cp.from')} path="from" fields={fields}>
          {(p) => (
            <input
              {...p}
              type="date"
              required
              value={from}
              onChange={(e) => setFrom(e.target.value)}
            />
          )}
        </AdminField>
        <AdminField label={t('cp.to')} path="to" fields={fields}>
          {(p) => (
            <input {...p} type="date" required value={to} onChange={(e) => setTo(e.target.value)} />
          )}
        </AdminField>
        <div className="admin-form__buttons">
          <button type="submit" className="button button--primary" disabled={busy}>
            {t('cp.run')}
          </button>
        </div>
      </form>
      <FormError outcome={outcome} shown={['from', 'to']} />
      {report && (
        <>
          <div className="admin-form cp-row">
            <label className="field">
              <span className="field__label">{t('cp.customer')}</span>
              <select
                value={customer}
                onChange={(e) => setCustomer(e.target.value)}
                data-testid="cp-customer"
              >
                <option value={ALL}>{t('cp.allCustomers')}</option>
                {report.customers.map((c) => (
                  <option key={c.customerId} value={c.customerId}>
                    {customerName(c.customerId)}
                  </option>
                ))}
              </select>
            </label>
            <div className="admin-form__buttons">
              <button
                type="button"
                className="button"
                onClick={exportCsv}
                disabled={lines.length === 0}
                data-testid="cp-export"
              >
                {t('cp.export')}
              </button>
            </div>
          </div>
          <p data-testid="cp-totals">
            {t('cp.totals', {
              tickets: lines.length,
              breached: lines.filter((l) => l.breached).length,
              minutes: roundMinutes(total),
            })}
          </p>
          {lines.length === 0 ? (
            <p className="log-empty">{t('cp.empty')}</p>
          ) : (
            <div className="cp-table-wrap">
              <table className="admin-table" data-testid="cp-table">
                <caption className="visually-hidden">{t('cp.title')}</caption>
                <thead>
                  <tr>
                    {header.map((h) => (
                      <th key={h} scope="col">
                        {h}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {lines.map((l) => (
                    <tr key={`${l.ticketId}-${l.target}`}>
                      <td>{l.number}</td>
                      <td>{customerName(l.customerId)}</td>
                      <td>{l.priority}</td>
                      <td>{formatTargetName(t, l.target)}</td>
                      <td>{formatInstant(l.dueAt, locale)}</td>
                      <td>{l.breached ? t('cp.yes') : t('cp.no')}</td>
                      <td>{roundMinutes(l.labourMinutesPastTarget)}</td>
                      <td>{l.sharePercent}</td>
                      <td>{roundMinutes(l.compensationMinutes)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
