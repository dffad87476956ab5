import { useEffect } from 'react';
import { useT } from '../../i18n/i18n';
import { useAppStore } from '../../store/StoreContext';

/** How long a kiosk shows the notice before it reloads itself. */
export const KIOSK_RELOAD_MS = 15_000;

/**
 * The server speaks another protocol version, so this seat stopped. `clientTooOld`: the
 * server was updated, and reloading the page fetches its console (a kiosk reloads itself);
 * `serverTooOld`: the server must be updated first, reloading will not help.
 */
export function UpdateRequired({
  side,
  autoReload = false,
  reload = () => window.location.reload(),
}: {
  side: 'clientTooOld' | 'serverTooOld';
  autoReload?: boolean;
  reload?: () => void;
}) {
  const t = useT();
  useEffect(() => {
    if (!autoReload || side !== 'clientTooOld') return undefined;
    const timer = setTimeout(reload, KIOSK_RELOAD_MS);
    return () => clearTimeout(timer);
  }, [autoReload, side, reload]);
  return (
    <div className="update-required" role="alert" data-testid="update-required" data-side={side}>
      <p className="update-required__title">
        <strong>
          {side === 'clientTooOld' ? t('update.clientTooOld') : t('update.serverTooOld')}
        </strong>
      </p>
      {side === 'clientTooOld' && (
        <button type="button" className="button button--primary" onClick={reload}>
          {t('update.reload')}
        </button>
      )}
    </div>
  );
}

/** The console's notice: shown over the shell while the connection is refused for the protocol. */
export function UpdateRequiredBanner() {
  const side = useAppStore((s) => s.connection.incompatible);
  return side ? <UpdateRequired side={side} /> : null;
}
