// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';
import type { BrowserWindow } from 'electron';
import { flashUntilFocused, showAlertNotification } from './notifications';

function fakeWindow(focused: boolean) {
  const listeners = new Map<string, () => void>();
  return {
    isDestroyed: () => false,
    isFocused: () => focused,
    flashFrame: vi.fn(),
    once: vi.fn((name: string, listener: () => void) => listeners.set(name, listener)),
    listeners,
  };
}

describe('alert notifications', () => {
  it('shows a native notification and flashes an unfocused window until focused', () => {
    const notification = { on: vi.fn(), show: vi.fn() };
    const deps = {
      isSupported: () => true,
      create: vi.fn(() => notification as never),
      onClick: vi.fn(),
    };
    const window = fakeWindow(false);
    showAlertNotification(
      deps,
      { title: 'P1 alert', body: 'INC-1', ticketId: 't1' },
      window as unknown as BrowserWindow,
    );
    expect(deps.create).toHaveBeenCalledWith(expect.objectContaining({ title: 'P1 alert' }));
    expect(notification.show).toHaveBeenCalledOnce();
    expect(window.flashFrame).toHaveBeenCalledWith(true);
    window.listeners.get('focus')?.();
    expect(window.flashFrame).toHaveBeenLastCalledWith(false);
    const click = notification.on.mock.calls[0]?.[1] as () => void;
    click();
    expect(deps.onClick).toHaveBeenCalledWith(window, 't1');
  });

  it('does not flash a focused window', () => {
    const window = fakeWindow(true);
    flashUntilFocused(window as unknown as BrowserWindow);
    expect(window.flashFrame).not.toHaveBeenCalled();
  });
});
