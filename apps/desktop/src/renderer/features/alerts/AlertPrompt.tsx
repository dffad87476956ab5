import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { navigate } from '../../app/router';
import { useServices } from '../../app/services';
import { useLocale, useT } from '../../i18n/i18n';
import { useAppStore } from '../../store/StoreContext';
import { selectMyOpenAlerts } from './alerts.slice';
import type { Alert } from './alerts.slice';
import { formatDeskTime } from '../../ui/deskTime';
import { PriorityBadge } from '../../ui/PriorityBadge';
import { ModalDialog } from '../../ui/ModalDialog';
import { formatInstant } from '../ticket/labels';
import { arrangeAlerts } from './arrange';
import { HandoverReportDialog } from '../handover/HandoverReportDialog';
import { fetchHandover } from './handover';
import type { HandoverReport } from './handover';
import { selectUserName } from '../directory/directory.slice';
import { formatAlertMessage, formatTargetName } from './message';
import {
  readSoundState,
  SoundState,
  subscribeSound,
  unlockSound,
  unlockSoundOnFirstGesture,
} from './sound';

/** How often an unacknowledged alert beeps again. */
export const REMIND_EVERY_MS = 60_000;

/** Where the stack remembers that the user folded it. */
export const COLLAPSED_KEY = 'dutydesk.alerts.collapsed';

function readCollapsed(): boolean {
  try {
    return localStorage.getItem(COLLAPSED_KEY) === '1';
  } catch {
    return false;
  }
}

/**
 * Escalation prompts for this user, docked at the foot of the console (in the layout, so it
 * never covers a form's buttons or a queue's columns; the main view shrinks above it). They stay
 * until acknowledged here or on another seat (`alert.acknowledged` clears them everywhere), never
 * take focus from what the user is typing, and fold to one line (the button, or Alt+Shift+H).
 * Alt+Shift+A acknowledges the oldest. Notices (a handover report) are kept apart from the
 * escalation ladder, and a warning whose breach is open is not shown beside it.
 */
export function AlertPrompt({ remind }: { remind?: () => void }) {
  const t = useT();
  const alerts = useAppStore(useShallow(selectMyOpenAlerts));
  const [collapsed, setCollapsedState] = useState(readCollapsed);
  const setCollapsed = useCallback((next: boolean) => {
    setCollapsedState(next);
    try {
      localStorage.setItem(COLLAPSED_KEY, next ? '1' : '0');
    } catch {
      // Private windows: the fold still works for this page.
    }
  }, []);
  useEffect(() => {
    if (alerts.length === 0 || !remind) return;
    const timer = setInterval(remind, REMIND_EVERY_MS);
    return () => clearInterval(timer);
  }, [alerts.length, remind]);
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.altKey && event.shiftKey && (event.key === 'H' || event.key === 'h')) {
        event.preventDefault();
        setCollapsed(!collapsed);
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [collapsed, setCollapsed]);
  if (alerts.length === 0) return null;
  const { escalations, notices } = arrangeAlerts(alerts);
  const shown = [...escalations, ...notices];
  const primaryId = shown[0]?.id;
  return (
    <section
      className="alert-stack"
      role="alertdialog"
      aria-labelledby="alerts-title"
      aria-live="assertive"
      data-collapsed={collapsed ? 'true' : 'false'}
    >
      <header className="alert-stack__bar">
        <h2 id="alerts-title" className="alert-stack__title">
          {t('alert.promptTitle', { count: shown.length })}
        </h2>
        <SoundHint />
        <button
          type="button"
          className="button button--quiet alert-stack__toggle"
          aria-expanded={!collapsed}
          aria-controls={collapsed ? undefined : 'alert-stack-body'}
          aria-keyshortcuts="Alt+Shift+H"
          onClick={() => setCollapsed(!collapsed)}
        >
          {collapsed ? t('alerts.expand') : t('alerts.collapse')}
        </button>
      </header>
      {!collapsed && (
        <div id="alert-stack-body" className="alert-stack__body">
          {escalations.length > 0 && (
            <AlertGroup
              title={t('alerts.group.escalation', { count: escalations.length })}
              alerts={escalations}
              primaryId={primaryId}
            />
          )}
          {notices.length > 0 && (
            <AlertGroup
              title={t('alerts.group.info', { count: notices.length })}
              alerts={notices}
              primaryId={primaryId}
            />
          )}
        </div>
      )}
    </section>
  );
}

function AlertGroup({
  title,
  alerts,
  primaryId,
}: {
  title: string;
  alerts: Alert[];
  primaryId: string | undefined;
}) {
  return (
    <section className="alert-group" aria-label={title}>
      <h3 className="alert-group__title">{title}</h3>
      <div className="alert-group__cards">
        {alerts.map((alert) => (
          <AlertCard key={alert.id} alert={alert} primary={alert.id === primaryId} />
        ))}
      </div>
    </section>
  );
}

/** "Click to enable sound" while the browser holds audio back (after a reload, before a gesture). */
function SoundHint() {
  const t = useT();
  const state = useSyncExternalStore(subscribeSound, readSoundState);
  useEffect(() => unlockSoundOnFirstGesture(), []);
  if (state !== SoundState.blocked) return null;
  return (
    <button
      type="button"
      className="button button--quiet alert-stack__sound"
      data-testid="sound-hint"
      onClick={() => unlockSound()}
    >
      🔇 {t('alert.sound')}
    </button>
  );
}

function AlertCard({ alert, primary }: { alert: Alert; primary: boolean }) {
  const t = useT();
  const [locale] = useLocale();
  const { bridge } = useServices();
  const ticket = useAppStore(
    useShallow((state) => {
      const found = alert.ticketId ? state.tickets[alert.ticketId] : undefined;
      return found ? { number: found.number, title: found.title, priority: found.priority } : null;
    }),
  );
  const refuser = useAppStore((state) => selectUserName(state, alert.details.refusedBy));
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [reportOpen, setReportOpen] = useState(false);
  const ack = async (): Promise<void> => {
    setSending(true);
    setError(null);
    const result = await bridge.sendCommand({ type: 'alert.ack', alertId: alert.id });
    setSending(false);
    if (!result.ok) setError(result.error.message);
  };
  useEffect(() => {
    if (!primary) return;
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.altKey && event.shiftKey && (event.key === 'A' || event.key === 'a')) {
        event.preventDefault();
        void ack();
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  });
  const notice = alert.severity === 'info';
  const priority = ticket?.priority ?? alert.details.priority;
  const climbMs = alert.details.climbAt ? Date.parse(alert.details.climbAt) : Number.NaN;
  return (
    <article
      className={`alert-card alert-card--${alert.severity}`}
      data-testid="alert-card"
      data-alert-id={alert.id}
      data-alert-kind={alert.kind}
    >
      <header className="alert-card__head">
        <span className="alert-card__severity">{t(`alert.severity.${alert.severity}`)}</span>
        {!notice && <span>{t('alert.title', { level: alert.level })}</span>}
        <span className="alert-card__at">{formatInstant(alert.raisedAt, locale)}</span>
      </header>
      {ticket && (
        <p className="alert-card__ticket">
          {priority === 'P1' || priority === 'P2' || priority === 'P3' ? (
            <PriorityBadge priority={priority} />
          ) : null}
          <span className="alert-card__title" title={`${ticket.number} ${ticket.title}`}>
            {ticket.title}
          </span>
        </p>
      )}
      <p className="alert-card__message">
        {formatAlertMessage(t, alert, ticket?.number ?? null, () => refuser)}
      </p>
      {!notice && Number.isFinite(climbMs) && (
        <p className="alert-card__climb" data-testid="alert-climb">
          {t('alert.nextClimb', { level: alert.level + 1, time: formatDeskTime(climbMs, locale) })}
        </p>
      )}
      {alert.kind === 'handover' && alert.details.handoverId && (
        <HandoverSummary handoverId={alert.details.handoverId} />
      )}
      {error && (
        <p className="alert-card__error" role="alert">
          {t('alert.ackFailed', { message: error })}
        </p>
      )}
      <div className="alert-card__buttons">
        <button
          type="button"
          className="button button--primary"
          disabled={sending}
          aria-keyshortcuts={primary ? 'Alt+Shift+A' : undefined}
          onClick={() => void ack()}
        >
          {t('alert.ack')}
        </button>
        {alert.ticketId && (
          <button
            type="button"
            className="button"
            onClick={() => navigate(`/tickets/${encodeURIComponent(alert.ticketId ?? '')}`)}
          >
            {t('alert.open')}
          </button>
        )}
        {alert.kind === 'handover' && alert.details.handoverId && (
          <button type="button" className="button" onClick={() => setReportOpen(true)}>
            {t('alert.openReport')}
          </button>
        )}
      </div>
      {reportOpen && alert.details.shiftId && (
        <HandoverReportDialog
          shiftId={alert.details.shiftId}
          onClose={() => setReportOpen(false)}
          onAcknowledged={() => {
            setReportOpen(false);
            void ack();
          }}
        />
      )}
      {reportOpen && !alert.details.shiftId && alert.details.handoverId && (
        <HandoverDialog
          handoverId={alert.details.handoverId}
          onClose={() => setReportOpen(false)}
        />
      )}
    </article>
  );
}

/** Loads a handover report once per card (the prompt re-renders on every event). */
function useHandover(handoverId: string): HandoverReport | null | 'loading' {
  const token = useAppStore((state) => state.session?.token ?? null);
  const [report, setReport] = useState<HandoverReport | null | 'loading'>('loading');
  useEffect(() => {
    if (!token) return undefined;
    let cancelled = false;
    fetchHandover(token, handoverId)
      .then((r) => !cancelled && setReport(r))
      .catch(() => !cancelled && setReport(null));
    return () => {
      cancelled = true;
    };
  }, [handoverId, token]);
  return report;
}

function HandoverSummary({ handoverId }: { handoverId: string }) {
  const t = useT();
  const report = useHandover(handoverId);
  if (report === 'loading' || report === null) return null;
  return (
    <p className="alert-card__summary" data-testid="handover-summary">
      {t('alert.handoverSummary', {
        shift: report.shiftName,
        open: report.openTickets.total,
        alerts: report.openAlerts.total,
        breaches: report.breaches.total,
      })}
    </p>
  );
}

function HandoverDialog({ handoverId, onClose }: { handoverId: string; onClose(): void }) {
  const t = useT();
  const [locale] = useLocale();
  const report = useHandover(handoverId);
  const tickets = useAppStore((state) => state.tickets);
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    closeRef.current?.focus();
    return () => opener?.focus();
  }, []);
  const numberOf = (id: string | null | undefined): string =>
    (id ? tickets[id]?.number : undefined) ?? '—';
  return (
    <ModalDialog className="dialog handover" labelledBy="handover-title" onClose={onClose}>
      <h2 id="handover-title">
        {t('handover.title', {
          shift: report && report !== 'loading' ? report.shiftName : '',
        })}
      </h2>
      {report === 'loading' ? (
        <p>{t('handover.loading')}</p>
      ) : report === null ? (
        <p>{t('handover.missing')}</p>
      ) : (
        <>
          <p className="dialog__sub">
            {t('alert.handoverSummary', {
              shift: report.shiftName,
              open: report.openTickets.total,
              alerts: report.openAlerts.total,
              breaches: report.breaches.total,
            })}
          </p>
          <h3 className="section-title">
            {t('handover.openTickets', { n: report.openTickets.total })}
          </h3>
          {report.openTickets.tickets.length === 0 ? (
            <p>{t('handover.none')}</p>
          ) : (
            <ul className="handover__list">
              {report.openTickets.tickets.map((item) => (
                <li key={item.number}>
                  <button
                    type="button"
                    className="button button--quiet"
                    disabled={!item.id}
                    onClick={() => {
                      onClose();
                      navigate(`/tickets/${encodeURIComponent(item.id ?? '')}`);
                    }}
                  >
                    {item.priority ?? ''} {item.number}{' '}
                    {(item.id ? tickets[item.id]?.title : undefined) ?? item.title ?? ''}
                  </button>
                </li>
              ))}
            </ul>
          )}
          <h3 className="section-title">{t('handover.breaches', { n: report.breaches.total })}</h3>
          {report.breaches.list.length === 0 ? (
            <p>{t('handover.none')}</p>
          ) : (
            <ul className="handover__list">
              {report.breaches.list.map((b, i) => (
                <li key={`${b.ticketId ?? ''}-${i}`}>
                  {numberOf(b.ticketId)} · {b.target ? formatTargetName(t, b.target) : '—'} ·{' '}
                  {formatInstant(b.at, locale)}
                </li>
              ))}
            </ul>
          )}
          <h3 className="section-title">{t('handover.alerts', { n: report.openAlerts.total })}</h3>
        </>
      )}
      <div className="dialog__buttons">
        <button ref={closeRef} type="button" className="button" onClick={onClose}>
          {t('handover.close')}
        </button>
      </div>
    </ModalDialog>
  );
}
