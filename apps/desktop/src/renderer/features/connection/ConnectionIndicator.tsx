import { useLayoutEffect, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { subscribeTick, writeText } from '../../clock/useNow';
import { useT } from '../../i18n/i18n';
import type { Translate } from '../../i18n/i18n';
import { useAppStore } from '../../store/StoreContext';
import { formatAge } from './formatAge';

function describeAge(t: Translate, lastEventAt: number | null, now: number): string {
  return lastEventAt === null
    ? t('connection.noEvents')
    : t('connection.lastEvent', { age: formatAge(t, now - lastEventAt) });
}

/**
 * The age of the last update, rewritten by the page's one-second ticker outside React, in a
 * slot of fixed size: the header does not shift as the text's width changes, and the browser
 * lays the text out alone each second.
 */
function LastEventAge({ lastEventAt }: { lastEventAt: number | null }) {
  const t = useT();
  const ref = useRef<HTMLSpanElement>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    writeText(el, describeAge(t, lastEventAt, Date.now()));
    return subscribeTick(1000, (now) => writeText(el, describeAge(t, lastEventAt, now)));
  }, [t, lastEventAt]);
  return (
    <span className="connection__age">
      <span ref={ref} className="connection__age-text" />
    </span>
  );
}

/**
 * The connection as it is: `live` only after the server's hello, and the age
 * of the last update always beside it, so a quiet desk and a dead link look
 * different within seconds.
 */
export function ConnectionIndicator() {
  const t = useT();
  const { status, lastEventAt, error } = useAppStore(
    useShallow((state) => ({
      status: state.connection.status,
      lastEventAt: state.connection.lastEventAt,
      error: state.connection.error,
    })),
  );
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
      {status !== 'idle' && <LastEventAge lastEventAt={lastEventAt} />}
    </div>
  );
}
