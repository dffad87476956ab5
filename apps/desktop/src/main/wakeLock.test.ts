// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';
import { keepDisplayAwakeWhileShown } from './wakeLock';

function setup(visible: boolean) {
  const listeners = new Map<string, () => void>();
  const window = {
    isVisible: () => visible,
    on: vi.fn((event: 'show' | 'hide' | 'closed', listener: () => void) => {
      listeners.set(event, listener);
    }),
  };
  const started = new Set<number>();
  let next = 1;
  const blocker = {
    start: vi.fn((_type: 'prevent-app-suspension' | 'prevent-display-sleep') => {
      const id = next++;
      started.add(id);
      return id;
    }),
    stop: vi.fn((id: number) => started.delete(id)),
    isStarted: vi.fn((id: number) => started.has(id)),
  };
  const fire = (event: string) => listeners.get(event)?.();
  return { window, blocker, started, fire };
}

describe('wallboard power-save blocker', () => {
  it('keeps the display awake from show until close, and starts once', () => {
    const { window, blocker, started, fire } = setup(false);
    keepDisplayAwakeWhileShown(window, blocker);
    expect(blocker.start).not.toHaveBeenCalled();
    fire('show');
    fire('show');
    expect(blocker.start).toHaveBeenCalledTimes(1);
    expect(blocker.start).toHaveBeenCalledWith('prevent-display-sleep');
    expect(started.size).toBe(1);
    fire('closed');
    expect(blocker.stop).toHaveBeenCalledWith(1);
    expect(started.size).toBe(0);
  });

  it('starts at once for a window already shown, stops when hidden and again when shown', () => {
    const { window, blocker, started, fire } = setup(true);
    const stop = keepDisplayAwakeWhileShown(window, blocker);
    expect(started.size).toBe(1);
    fire('hide');
    expect(started.size).toBe(0);
    fire('show');
    expect(blocker.start).toHaveBeenCalledTimes(2);
    expect(started.size).toBe(1);
    stop();
    fire('closed');
    expect(started.size).toBe(0);
    expect(blocker.stop).toHaveBeenCalledTimes(2);
  });
});
