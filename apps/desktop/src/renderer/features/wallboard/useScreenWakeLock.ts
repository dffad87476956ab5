import { useEffect } from 'react';

interface WakeLockSentinelLike {
  readonly released: boolean;
  release(): Promise<void>;
}

export interface WakeLockEnv {
  document: Pick<Document, 'visibilityState' | 'addEventListener' | 'removeEventListener'>;
  /** `navigator.wakeLock`; absent in older browsers and outside secure contexts. */
  wakeLock?: { request(type: 'screen'): Promise<WakeLockSentinelLike> };
}

/**
 * Keeps the screen on while the page is visible (Screen Wake Lock API). The browser releases
 * the lock whenever the page is hidden, so it is asked for again each time the page becomes
 * visible. Failures (no API, not allowed, low battery) leave the screen to its own settings:
 * the Electron kiosk holds a power-save blocker in the main process anyway. Returns the stop.
 */
export function holdScreenWakeLock(env: WakeLockEnv): () => void {
  const api = env.wakeLock;
  if (!api) return () => undefined;
  let sentinel: WakeLockSentinelLike | null = null;
  let stopped = false;
  const acquire = (): void => {
    if (stopped || env.document.visibilityState !== 'visible') return;
    if (sentinel && !sentinel.released) return;
    api.request('screen').then(
      (lock) => {
        if (stopped) void lock.release().catch(() => undefined);
        else sentinel = lock;
      },
      () => undefined,
    );
  };
  const onVisibility = (): void => acquire();
  env.document.addEventListener('visibilitychange', onVisibility);
  acquire();
  return () => {
    stopped = true;
    env.document.removeEventListener('visibilitychange', onVisibility);
    if (sentinel && !sentinel.released) void sentinel.release().catch(() => undefined);
    sentinel = null;
  };
}

/** The wallboard's screen stays on while it is shown. */
export function useScreenWakeLock(): void {
  useEffect(
    () =>
      holdScreenWakeLock({
        document,
        wakeLock: (navigator as Navigator & { wakeLock?: WakeLockEnv['wakeLock'] }).wakeLock,
      }),
    [],
  );
}
