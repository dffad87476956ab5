import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { navigate } from '../../app/router';
import { useServices } from '../../app/services';
import { useLocale, useT } from '../../i18n/i18n';
import { useAppStore } from '../../store/StoreContext';
import { selectMyOpenAlerts } from '../../store/slices/alerts';
import type { Alert } from '../../store/slices/alerts';
import { formatInstant } from '../ticket/labels';
import { formatAlertMessage } from './message';

/** How often an unacknowledged alert beeps again. */
export const REMIND_EVERY_MS = 60_000;

/**
 * Escalation prompts for this user: they stay on screen, above everything,
 * until acknowledged here or on another seat (`alert.acknowledged` clears
 * them everywhere). They never take focus from what the user is typing;
 * Alt+Shift+A acknowledges the oldest.
 */
export function AlertPrompt({ remind }: { remind?: () => void }) {
  const t = useT();
  const alerts = useAppStore(useShallow(selectMyOpenAlerts));
  useEffect(() => {
    if (alerts.length === 0 || !remind) return;
    const timer = setInterval(remind, REMIND_EVERY_MS);
    return () => clearInterval(timer);
  }, [alerts.length, remind]);
  if (alerts.length === 0) return null;
  return (
    <section
      className="alert-stack"
      role="alertdialog"
      aria-labelledby="alerts-title"
      aria-live="assertive"
    >
      <h2 id="alerts-title" className="alert-stack__title">
        {t('alert.promptTitle', { count: alerts.length })}
      </h2>
      {alerts.map((alert, i) => (
        <AlertCard key={alert.id} alert={alert} primary={i === 0} />
      ))}
    </section>
  );
}

function AlertCard({ alert, primary }: { alert: Alert; primary: boolean }) {
  const t = useT();
  const [locale] = useLocale();
  const { bridge } = useServices();
  const number = useAppStore((state) =>
    alert.ticketId ? (state.tickets[alert.ticketId]?.number ?? null) : null,
  );
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
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
  return (
    <article
      className={`alert-card alert-card--${alert.severity}`}
      data-testid="alert-card"
      data-alert-id={alert.id}
    >
      <header className="alert-card__head">
        <span className="alert-card__severity">{t(`alert.severity.${alert.severity}`)}</span>
        <span>{t('alert.title', { level: alert.level })}</span>
        <span className="alert-card__at">{formatInstant(alert.raisedAt, locale)}</span>
      </header>
      <p className="alert-card__message">{formatAlertMessage(t, alert, number)}</p>
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
      </div>
    </article>
  );
}
