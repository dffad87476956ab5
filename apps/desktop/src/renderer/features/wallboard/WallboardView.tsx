import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { useServices } from '../../app/services';
import { useNow } from '../../clock/useNow';
import { useT } from '../../i18n/i18n';
import { createRealtimeBridge } from '../../realtime/socketBridge';
import { createAppStore, type AppStore } from '../../store/appStore';
import { useAppStore } from '../../store/StoreContext';
import { formatAge } from '../connection/formatAge';
import { UpdateRequired } from '../connection/UpdateRequired';
import { takeDeviceToken } from './deviceToken';
import { WallboardBoard } from './WallboardBoard';
import { useScreenWakeLock } from './useScreenWakeLock';
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
 * the server; no interaction. Both run on the console's socket bridge and store: a signed-in
 * seat's own bridge follows `wallboard.metrics` while the board is up; a device gets a
 * bridge and store of its own (the same code), which keeps retrying a refused token slowly in
 * case an administrator restores it.
 */
export function WallboardView() {
  const t = useT();
  useScreenWakeLock();
  const services = useServices();
  const sessionToken = useAppStore((s) => s.session?.token ?? null);
  const [deviceToken] = useState(() =>
    takeDeviceToken({ location: window.location, history: window.history, storage: readStorage() }),
  );
  const [rotateMs] = useState(() => readRotateMs(window.location.search));
  const [deviceStore, setDeviceStore] = useState<AppStore | null>(null);

  useEffect(() => {
    if (!deviceToken) return undefined;
    const store = createAppStore();
    const bridge = createRealtimeBridge({ store, network: window, retryRefused: true });
    bridge.start(deviceToken);
    setDeviceStore(store);
    return () => {
      bridge.stop();
      setDeviceStore(null);
    };
  }, [deviceToken]);

  useEffect(() => {
    if (deviceToken || !sessionToken) return undefined;
    services.bridge.followWallboard(true);
    return () => services.bridge.followWallboard(false);
  }, [deviceToken, sessionToken, services.bridge]);

  if (!deviceToken && !sessionToken) {
    return (
      <main className="wb wb--message" data-testid="wb-no-token">
        <h1 className="wb-message__title">{t('wallboard.noToken')}</h1>
        <p className="wb-message__hint">{t('wallboard.noTokenHint')}</p>
      </main>
    );
  }
  const store = deviceToken ? deviceStore : services.store;
  if (!store) return <main className="wb" />;
  return <ConnectedWallboard store={store} rotateMs={rotateMs} kiosk={deviceToken !== null} />;
}

function ConnectedWallboard({
  store,
  rotateMs,
  kiosk,
}: {
  store: AppStore;
  rotateMs: number | undefined;
  kiosk: boolean;
}) {
  const t = useT();
  const status = useStore(store, (s) => s.connection.status);
  const error = useStore(store, (s) => s.connection.error);
  const incompatible = useStore(store, (s) => s.connection.incompatible);
  const metrics = useStore(store, (s) => s.deskMetrics);
  const receivedAt = useStore(store, (s) => s.deskMetricsAt);
  const offset = useStore(store, (s) => s.connection.serverOffsetMs);
  const localNow = useNow(1000);

  if (status === 'offline' && error !== null && /^unauthori[sz]ed/.test(error)) {
    return (
      <main className="wb wb--message" data-testid="wb-revoked" role="alert">
        <h1 className="wb-message__title">■ {t('wallboard.revoked')}</h1>
        <p className="wb-message__hint">{t('wallboard.revokedHint')}</p>
      </main>
    );
  }
  if (incompatible) {
    return (
      <main className="wb wb--message">
        <UpdateRequired side={incompatible} autoReload={kiosk} />
      </main>
    );
  }
  const live = status === 'live';
  return (
    <main className={live ? 'wb' : 'wb wb--stale'} data-status={status}>
      {!live && (
        <div className="wb-stale" role="alert" data-testid="wb-stale-banner">
          <span aria-hidden="true">⚠ </span>
          {receivedAt === null
            ? t('wallboard.staleNever')
            : t('wallboard.stale', { age: formatAge(t, localNow - receivedAt) })}
        </div>
      )}
      {metrics ? (
        <WallboardBoard metrics={metrics} now={localNow + offset} live={live} rotateMs={rotateMs} />
      ) : (
        <p className="wb-message__hint">{t('wallboard.status.connecting')}</p>
      )}
    </main>
  );
}
