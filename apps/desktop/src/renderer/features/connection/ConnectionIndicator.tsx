import { useShallow } from 'zustand/react/shallow';
import { useNow } from '../../clock/useNow';
import { useT } from '../../i18n/i18n';
import { useAppStore } from '../../store/StoreContext';
import { formatAge } from './formatAge';

/**
 * The connection as it is: `live` only after the server's hello, and the age
 * of the last update always beside it, so a quiet desk and a dead link look
 * different within seconds.
 */
export function ConnectionIndicator() {
  const t = useT();
  const now = useNow(1000);
  const { status, lastEventAt, error } = useAppStore(
    useShallow((state) => ({
      status: state.connection.status,
      lastEventAt: state.connection.lastEventAt,
      error: state.connection.error,
    })),
  );
  const age =
    lastEventAt === null
      ? t('connection.noEvents')
      : t('connection.lastEvent', { age: formatAge(t, now - lastEventAt) });
  // Only the status and an error are announced: the age changes every second, and a live
  // region that changes every second is read out every second.
  return (
    <div className="connection" data-status={status} data-testid="connection">
      <span className="connection__dot" aria-hidden="true" />
      <span className="connection__live" role="status" aria-live="polite">
        <span className="connection__label">{t(`connection.${status}`)}</span>
        {error && (
          <span className="connection__error">{t('connection.error', { message: error })}</span>
        )}
      </span>
      {status !== 'idle' && <span className="connection__age">{age}</span>}
    </div>
  );
}
