import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { useNow } from '../../clock/useNow';
import { useT } from '../../i18n/i18n';
import { useAppStore } from '../../store/StoreContext';
import { formatAge } from '../connection/formatAge';
import { takeDeviceToken } from './deviceToken';
import { WallboardBoard } from './WallboardBoard';
import { useScreenWakeLock } from './useScreenWakeLock';
import {
  startWallboardConnection,
  WallboardStatus,
  type WallboardConnection,
} from './wallboardConnection';
import './wallboard.css';

/** `?rotate=<seconds>` (3–600) sets how long each rotating page stays up. */
function readRotateMs(search: string): number | undefined {
  const n = Number(new URLSearchParams(search).get('rotate'));
  return Number.isFinite(n) && n >= 3 && n <= 600 ? n * 1000 : undefined;
}

function readStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/**
 * The service-hall wallboard at `/wallboard`: a device token (`?token=…`, kept in
 * localStorage and stripped from the address) or the signed-in session; metrics pushed by
 * the server; no interaction.
 */
export function WallboardView() {
  const t = useT();
  useScreenWakeLock();
  const sessionToken = useAppStore((s) => s.session?.token ?? null);
  const [deviceToken] = useState(() =>
    takeDeviceToken({ location: window.location, history: window.history, storage: readStorage() }),
  );
  const token = deviceToken ?? sessionToken;
  const [rotateMs] = useState(() => readRotateMs(window.location.search));
  const [connection, setConnection] = useState<WallboardConnection | null>(null);

  useEffect(() => {
    if (!token) return undefined;
    const c = startWallboardConnection({ token, subscribe: deviceToken === null });
    setConnection(c);
    return () => {
      c.stop();
      setConnection(null);
    };
  }, [token, deviceToken]);

  if (!token) {
    return (
      <main className="wb wb--message" data-testid="wb-no-token">
        <h1 className="wb-message__title">{t('wallboard.noToken')}</h1>
        <p className="wb-message__hint">{t('wallboard.noTokenHint')}</p>
      </main>
    );
  }
  if (!connection) return <main className="wb" />;
  return <ConnectedWallboard connection={connection} rotateMs={rotateMs} />;
}

function ConnectedWallboard({
  connection,
  rotateMs,
}: {
  connection: WallboardConnection;
  rotateMs: number | undefined;
}) {
  const t = useT();
  const status = useStore(connection.store, (s) => s.status);
  const metrics = useStore(connection.store, (s) => s.metrics);
  const receivedAt = useStore(connection.store, (s) => s.receivedAt);
  const offset = useStore(connection.store, (s) => s.serverOffsetMs);
  const localNow = useNow(1000);

  if (status === WallboardStatus.unauthorized) {
    return (
      <main className="wb wb--message" data-testid="wb-revoked" role="alert">
        <h1 className="wb-message__title">■ {t('wallboard.revoked')}</h1>
        <p className="wb-message__hint">{t('wallboard.revokedHint')}</p>
      </main>
    );
  }
  const stale = status !== WallboardStatus.live;
  return (
    <main className={stale ? 'wb wb--stale' : 'wb'} data-status={status}>
      {stale && (
        <div className="wb-stale" role="alert" data-testid="wb-stale-banner">
          <span aria-hidden="true">⚠ </span>
          {receivedAt === null
            ? t('wallboard.staleNever')
            : t('wallboard.stale', { age: formatAge(t, localNow - receivedAt) })}
        </div>
      )}
      {metrics ? (
        <WallboardBoard
          metrics={metrics}
          now={localNow + offset}
          live={!stale}
          rotateMs={rotateMs}
        />
      ) : (
        <p className="wb-message__hint">{t('wallboard.status.connecting')}</p>
      )}
    </main>
  );
}
