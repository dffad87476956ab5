import type { PowerSaveBlocker } from 'electron';

interface WallboardWindow {
  isVisible(): boolean;
  on(event: 'show' | 'hide' | 'closed', listener: () => void): unknown;
}

/**
 * Keeps the display awake while the wallboard window is shown: a service-hall screen that
 * sleeps hides the breaches it is there to show. The blocker starts when the window is shown
 * (or at once if it already is), stops when it is hidden or closed, and is never started twice.
 * Returns a stop function (also called on `closed`).
 */
export function keepDisplayAwakeWhileShown(
  window: WallboardWindow,
  blocker: Pick<PowerSaveBlocker, 'start' | 'stop' | 'isStarted'>,
): () => void {
  let id: number | null = null;
  const start = (): void => {
    if (id !== null && blocker.isStarted(id)) return;
    id = blocker.start('prevent-display-sleep');
  };
  const stop = (): void => {
    if (id === null) return;
    if (blocker.isStarted(id)) blocker.stop(id);
    id = null;
  };
  window.on('show', start);
  window.on('hide', stop);
  window.on('closed', stop);
  if (window.isVisible()) start();
  return stop;
}
