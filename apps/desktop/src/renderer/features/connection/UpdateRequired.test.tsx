import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { localeStore } from '../../i18n/i18n';
import { fakeServices, renderWith } from '../../test/render';
import { KIOSK_RELOAD_MS, UpdateRequired, UpdateRequiredBanner } from './UpdateRequired';

describe('<UpdateRequired>', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    localeStore.getState().setLocale('en');
  });
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  it('shows nothing while the protocol matches, and asks for a reload once the server is newer', () => {
    const services = fakeServices();
    renderWith(<UpdateRequiredBanner />, services);
    expect(screen.queryByTestId('update-required')).toBeNull();
    act(() => services.store.getState().setConnection({ incompatible: 'clientTooOld' }));
    expect(screen.getByRole('alert').textContent).toMatch(/updated on the server\. Reload/);
    expect(screen.getByRole('button', { name: 'Reload now' })).toBeTruthy();
  });

  it('reloads on the button, and a kiosk reloads itself after a while', () => {
    const reload = vi.fn();
    renderWith(<UpdateRequired side="clientTooOld" reload={reload} />, fakeServices());
    fireEvent.click(screen.getByRole('button', { name: 'Reload now' }));
    expect(reload).toHaveBeenCalledTimes(1);
    cleanup();
    const kiosk = vi.fn();
    renderWith(<UpdateRequired side="clientTooOld" autoReload reload={kiosk} />, fakeServices());
    act(() => {
      vi.advanceTimersByTime(KIOSK_RELOAD_MS - 1);
    });
    expect(kiosk).not.toHaveBeenCalled();
    act(() => {
      vi.advanceTimersByTime(1);
    });
    expect(kiosk).toHaveBeenCalledTimes(1);
  });

  it('says the server must be updated when it is older, in Chinese too, and never reloads', () => {
    const reload = vi.fn();
    localeStore.getState().setLocale('zh-CN');
    renderWith(<UpdateRequired side="serverTooOld" autoReload reload={reload} />, fakeServices());
    expect(screen.getByRole('alert').textContent).toContain('请联系管理员升级服务器');
    expect(screen.queryByRole('button')).toBeNull();
    act(() => {
      vi.advanceTimersByTime(KIOSK_RELOAD_MS * 2);
    });
    expect(reload).not.toHaveBeenCalled();
  });
});
