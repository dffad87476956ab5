import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useT } from '../../i18n/i18n';
import { useAppStore } from '../../store/StoreContext';
import { COMMAND_LABEL } from '../ticket/labels';
import type { CommandInput } from '../../realtime/contract';

/** How long "Back online — N events caught up" stays after the seat is live again. */
export const RECOVERED_NOTICE_MS = 8_000;

/**
 * The seat says plainly when it has lost the server: a banner from the first disconnect
 * (socket.io reports a closed link at once; a silent one within its ping timeout), the
 * commands waiting to be sent with their commandId, and once back, how many events it caught
 * up on. Commands are never dropped here: the bridge re-sends each under its commandId.
 */
export function OfflineBanner() {
  const t = useT();
  const { status, lostAt, recovered, outbox, tickets } = useAppStore(
    useShallow((state) => ({
      status: state.connection.status,
      lostAt: state.connection.lostAt,
      recovered: state.connection.recovered,
      outbox: state.outbox,
      tickets: state.tickets,
    })),
  );
  const [showRecovered, setShowRecovered] = useState(false);
  useEffect(() => {
    if (!recovered) return undefined;
    setShowRecovered(true);
    const timer = setTimeout(() => setShowRecovered(false), RECOVERED_NOTICE_MS);
    return () => clearTimeout(timer);
  }, [recovered]);

  const offline = lostAt !== null && status !== 'live' && status !== 'idle';
  if (!offline && !(showRecovered && recovered) && outbox.length === 0) return null;
  return (
    <div
      className={`offline-banner${offline ? ' offline-banner--offline' : ' offline-banner--back'}`}
      role={offline ? 'alert' : 'status'}
      data-testid="offline-banner"
      data-state={offline ? 'offline' : 'back'}
    >
      {offline ? (
        <p className="offline-banner__line">
          <strong>{t('offline.title')}</strong>{' '}
          <span>{status === 'offline' ? t('offline.noNetwork') : t('offline.reconnecting')}</span>{' '}
          <span className="offline-banner__hint">{t('offline.hint')}</span>
        </p>
      ) : recovered && showRecovered ? (
        <p className="offline-banner__line">
          <strong>{t('offline.back', { n: recovered.events })}</strong>
        </p>
      ) : null}
      {outbox.length > 0 && (
        <div className="outbox">
          <span className="outbox__title">
            {offline
              ? t('outbox.waiting', { n: outbox.length })
              : t('outbox.sending', { n: outbox.length })}
          </span>
          <ul className="outbox__list" aria-label={t('outbox.title')}>
            {outbox.map((entry) => {
              const key = COMMAND_LABEL[entry.type as CommandInput['type']];
              const number = entry.ticketId ? tickets[entry.ticketId]?.number : undefined;
              return (
                <li
                  key={entry.commandId}
                  className="outbox__item"
                  data-command-id={entry.commandId}
                >
                  <span>{key ? t(key) : t('outbox.command')}</span>
                  {number && <span className="outbox__ticket">{number}</span>}
                  <code className="outbox__id" title={entry.commandId}>
                    {entry.commandId.slice(0, 8)}
                  </code>
                </li>
              );
            })}
          </ul>
        </div>
      )}
    </div>
  );
}
