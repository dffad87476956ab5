import { describe, expect, it, vi } from 'vitest';
import { holdScreenWakeLock } from './useScreenWakeLock';

function setup(initial: DocumentVisibilityState = 'visible') {
  const listeners = new Set<() => void>();
  const doc = {
    visibilityState: initial,
    addEventListener: vi.fn((_type: string, listener: () => void) => listeners.add(listener)),
    removeEventListener: vi.fn((_type: string, listener: () => void) => listeners.delete(listener)),
  };
  const locks: Array<{ released: boolean; release: ReturnType<typeof vi.fn> }> = [];
  const wakeLock = {
    request: vi.fn((_type: 'screen') => {
      const lock = {
        released: false,
        release: vi.fn(() => {
          lock.released = true;
          return Promise.resolve();
        }),
      };
      locks.push(lock);
      return Promise.resolve(lock);
    }),
  };
  const setVisibility = (state: DocumentVisibilityState) => {
    doc.visibilityState = state;
    for (const listener of [...listeners]) listener();
  };
  return { doc, wakeLock, locks, listeners, setVisibility };
}

describe('screen wake lock', () => {
  it('holds the lock while visible and asks again after the page was hidden', async () => {
    const { doc, wakeLock, locks, setVisibility } = setup();
    const stop = holdScreenWakeLock({ document: doc as never, wakeLock });
    expect(wakeLock.request).toHaveBeenCalledWith('screen');
    await vi.waitFor(() => expect(locks).toHaveLength(1));
    // Hidden: the browser releases the lock itself.
    const first = locks[0];
    if (first) first.released = true;
    setVisibility('hidden');
    expect(wakeLock.request).toHaveBeenCalledTimes(1);
    setVisibility('visible');
    expect(wakeLock.request).toHaveBeenCalledTimes(2);
    await vi.waitFor(() => expect(locks).toHaveLength(2));
    // Visible again while still held: no second request.
    setVisibility('visible');
    expect(wakeLock.request).toHaveBeenCalledTimes(2);
    stop();
    expect(locks[1]?.release).toHaveBeenCalled();
    setVisibility('visible');
    expect(wakeLock.request).toHaveBeenCalledTimes(2);
  });

  it('waits for the page to be visible, and tolerates a refusal or a missing API', async () => {
    const { doc, wakeLock, setVisibility } = setup('hidden');
    wakeLock.request.mockImplementationOnce(() => Promise.reject(new Error('NotAllowedError')));
    const stop = holdScreenWakeLock({ document: doc as never, wakeLock });
    expect(wakeLock.request).not.toHaveBeenCalled();
    setVisibility('visible');
    expect(wakeLock.request).toHaveBeenCalledTimes(1);
    stop();
    expect(holdScreenWakeLock({ document: doc as never })).toBeTypeOf('function');
  });

  it('releases a lock granted after it was stopped', async () => {
    const { doc, wakeLock, locks } = setup();
    const stop = holdScreenWakeLock({ document: doc as never, wakeLock });
    stop();
    await vi.waitFor(() => expect(locks[0]?.release).toHaveBeenCalled());
  });
});
