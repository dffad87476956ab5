import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { z } from 'zod';
import { navigate } from '../../app/router';
import { useLocale, useT } from '../../i18n/i18n';
import { useAppStore } from '../../store/StoreContext';
import { useAdminApi } from '../admin/adminApi';
import type { AdminOutcome } from '../admin/adminApi';
import { AdminDialog, FormError } from '../admin/adminUi';
import { handoverReportSchema } from '../alerts/handover';
import { readAlertDetails } from '../alerts/alerts.slice';
import { formatAlertMessage, formatTargetName } from '../alerts/message';
import { selectUserName } from '../directory/directory.slice';
import { formatInstant } from '../ticket/labels';
import '../admin/admin.css';
import './handover.css';

const reportSchema = handoverReportSchema.extend({
  shiftId: z.string(),
  notes: z
    .array(z.object({ at: z.string(), by: z.string(), byName: z.string(), text: z.string() }))
    .default([]),
  acknowledgement: z.object({ at: z.string(), by: z.string(), byName: z.string() }).optional(),
  incomingDutyManagerIds: z.array(z.string()).default([]),
  outgoingDutyManagerIds: z.array(z.string()).default([]),
  openAlerts: z
    .looseObject({
      total: z.number().default(0),
      alerts: z
        .array(
          z.looseObject({
            id: z.string(),
            ticketId: z.string().nullable().optional(),
            message: z.string().optional(),
            kind: z.string().optional(),
            count: z.number().optional(),
            data: z.record(z.string(), z.unknown()).optional(),
          }),
        )
        .default([]),
    })
    .default({ total: 0, alerts: [] }),
});
type Report = z.infer<typeof reportSchema>;

/**
 * A shift's handover report (issue 23), from its prompt or the roster: open tickets, open
 * alerts, the breaches of the shift before and the notes; a note can be added, the report
 * printed (print CSS: the report alone, light), and the incoming duty manager acknowledges it
 * (`onAcknowledged` then clears the prompt). A native `<dialog>`: focus stays inside.
 */
export function HandoverReportDialog({
  shiftId,
  onClose,
  onAcknowledged,
}: {
  shiftId: string;
  onClose(): void;
  onAcknowledged?(): void;
}) {
  const t = useT();
  const [locale] = useLocale();
  const api = useAdminApi();
  const token = useAppStore((state) => state.session?.token ?? '');
  const tickets = useAppStore((state) => state.tickets);
  const users = useAppStore((state) => state.users);
  const [report, setReport] = useState<Report | null | 'loading'>('loading');
  const [outcome, setOutcome] = useState<AdminOutcome<unknown> | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    void api
      .request<unknown>(token, 'GET', `/roster/handovers/${encodeURIComponent(shiftId)}`)
      .then((res) => {
        if (!live) return;
        const parsed = res.ok ? reportSchema.safeParse(res.body) : null;
        setReport(parsed?.success ? parsed.data : null);
      });
    return () => {
      live = false;
    };
  }, [api, token, shiftId]);

  const post = async (path: string, body: unknown): Promise<boolean> => {
    setBusy(true);
    const res = await api.request<unknown>(
      token,
      'POST',
      `/roster/handovers/${encodeURIComponent(shiftId)}/${path}`,
      body,
    );
    setBusy(false);
    setOutcome(res.ok ? null : res);
    if (res.ok) {
      const parsed = reportSchema.safeParse(res.body);
      if (parsed.success) setReport(parsed.data);
    }
    return res.ok;
  };
  const addNote = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (await post('notes', { text: note })) setNote('');
  };
  const acknowledge = async (): Promise<void> => {
    if (await post('ack', {})) onAcknowledged?.();
  };
  const numberOf = (id: string | null | undefined): string =>
    (id ? tickets[id]?.number : undefined) ?? '—';
  const title =
    report && report !== 'loading'
      ? t('handover.title', { shift: report.shiftName })
      : t('hv.title');

  return (
    <AdminDialog title={title} onClose={onClose} wide>
      <div className="handover-report" data-testid="handover-report">
        {report === 'loading' ? (
          <p>{t('handover.loading')}</p>
        ) : report === null ? (
          <p>{t('handover.missing')}</p>
        ) : (
          <>
            <p className="handover-report__meta">
              {t('hv.generated', { at: formatInstant(report.generatedAt, locale) })}
              {report.outgoingDutyManagerIds.length > 0 && (
                <>
                  {' · '}
                  {t('hv.outgoing')} <Names ids={report.outgoingDutyManagerIds} />
                </>
              )}
              {report.incomingDutyManagerIds.length > 0 && (
                <>
                  {' · '}
                  {t('hv.incoming')} <Names ids={report.incomingDutyManagerIds} />
                </>
              )}
            </p>
            <p
              className={
                report.acknowledgement
                  ? 'handover-report__ack handover-report__ack--done'
                  : 'handover-report__ack'
              }
              data-testid="handover-ack-state"
            >
              {report.acknowledgement
                ? t('hv.acknowledged', {
                    name: report.acknowledgement.byName,
                    at: formatInstant(report.acknowledgement.at, locale),
                  })
                : t('hv.notAcknowledged')}
            </p>
            <h3 className="section-title">
              {t('handover.openTickets', { n: report.openTickets.total })}
            </h3>
            {report.openTickets.tickets.length === 0 ? (
              <p>{t('handover.none')}</p>
            ) : (
              <ul className="handover-report__list" data-testid="handover-tickets">
                {report.openTickets.tickets.map((item) => (
                  <li key={item.number}>
                    <a
                      href={`/tickets/${encodeURIComponent(item.id ?? '')}`}
                      onClick={(e) => {
                        e.preventDefault();
                        onClose();
                        navigate(`/tickets/${encodeURIComponent(item.id ?? '')}`);
                      }}
                    >
                      {item.priority ?? ''} {item.number}
                    </a>{' '}
                    {(item.id ? tickets[item.id]?.title : undefined) ?? item.title ?? ''}
                  </li>
                ))}
              </ul>
            )}
            <h3 className="section-title">
              {t('handover.alerts', { n: report.openAlerts.total })}
            </h3>
            {report.openAlerts.alerts.length === 0 ? (
              <p>{t('handover.none')}</p>
            ) : (
              <ul className="handover-report__list">
                {report.openAlerts.alerts.slice(0, 50).map((a) => (
                  <li key={a.id}>
                    {formatAlertMessage(
                      t,
                      {
                        kind: a.kind ?? '',
                        message: a.message ?? a.id,
                        details: readAlertDetails(a.data ?? {}, a.count),
                      },
                      (a.ticketId ? tickets[a.ticketId]?.number : undefined) ?? null,
                      (id) => (id ? (users[id]?.displayName ?? null) : null),
                    )}
                  </li>
                ))}
              </ul>
            )}
            <h3 className="section-title">
              {t('handover.breaches', { n: report.breaches.total })}
            </h3>
            {report.breaches.list.length === 0 ? (
              <p>{t('handover.none')}</p>
            ) : (
              <ul className="handover-report__list">
                {report.breaches.list.map((b, i) => (
                  <li key={`${b.ticketId ?? ''}-${i}`}>
                    {numberOf(b.ticketId)} · {b.target ? formatTargetName(t, b.target) : '—'} ·{' '}
                    {formatInstant(b.at, locale)}
                  </li>
                ))}
              </ul>
            )}
            <h3 className="section-title">{t('hv.notes', { n: report.notes.length })}</h3>
            {report.notes.length === 0 ? (
              <p>{t('handover.none')}</p>
            ) : (
              <ul className="handover-report__list" data-testid="handover-notes">
                {report.notes.map((n, i) => (
                  <li key={`${n.at}-${i}`}>
                    <span className="handover-report__who">
                      {n.byName} · {formatInstant(n.at, locale)}
                    </span>{' '}
                    {n.text}
                  </li>
                ))}
              </ul>
            )}
            <form
              className="admin-form handover-report__note no-print"
              onSubmit={(e) => void addNote(e)}
            >
              <label className="field">
                <span className="field__label">{t('hv.addNote')}</span>
                <textarea rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
              </label>
              <div className="admin-form__buttons">
                <button type="submit" className="button" disabled={busy || !note.trim()}>
                  {t('hv.saveNote')}
                </button>
              </div>
            </form>
          </>
        )}
        <FormError outcome={outcome} />
        <div className="admin-form__buttons no-print">
          <button type="button" className="button" onClick={() => window.print()}>
            {t('hv.print')}
          </button>
          {report && report !== 'loading' && !report.acknowledgement && (
            <button
              type="button"
              className="button button--primary"
              disabled={busy}
              data-testid="handover-ack"
              onClick={() => void acknowledge()}
            >
              {t('hv.acknowledge')}
            </button>
          )}
          <button type="button" className="button" onClick={onClose}>
            {t('handover.close')}
          </button>
        </div>
      </div>
    </AdminDialog>
  );
}

function Names({ ids }: { ids: string[] }) {
  const names = useAppStore((state) => ids.map((id) => selectUserName(state, id) ?? id).join(', '));
  return <>{names}</>;
}
