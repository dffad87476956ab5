// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';
import { claimSingleInstance } from './instance';

function fakeApp(hasLock: boolean) {
  const listeners = new Map<string, (...args: unknown[]) => void>();
  return {
    requestSingleInstanceLock: vi.fn(() => hasLock),
    quit: vi.fn(),
    on: vi.fn((name: string, listener: (...args: unknown[]) => void) => {
      listeners.set(name, listener);
    }),
    listeners,
  };
}

describe('claimSingleInstance', () => {
  it('quits a second launch', () => {
    const app = fakeApp(false);
    const reveal = vi.fn();
    expect(claimSingleInstance(app as never, reveal)).toBe(false);
    expect(app.quit).toHaveBeenCalledOnce();
    expect(app.on).not.toHaveBeenCalled();
  });

  it('reveals the first instance when another launch happens', () => {
    const app = fakeApp(true);
    const reveal = vi.fn();
    expect(claimSingleInstance(app as never, reveal)).toBe(true);
    expect(app.quit).not.toHaveBeenCalled();
    app.listeners.get('second-instance')?.({}, ['dutydesk', '--wallboard'], '/');
    expect(reveal).toHaveBeenCalledWith(['dutydesk', '--wallboard']);
  });
});
