import { describe, expect, it, vi } from 'vitest';
import type { DesktopBridge } from '../../shared/bridge';
import { createBrowserHost, createElectronHost, detectHost, formatBadgeTitle } from './host';

describe('browser host', () => {
  it('puts the open-alert count in the title', () => {
    const env = { document: { title: 'Dutydesk' }, focus: vi.fn() };
    const host = createBrowserHost(env);
    host.setBadgeCount(3);
    expect(env.document.title).toBe('(3) Dutydesk');
    host.setBadgeCount(0);
    expect(env.document.title).toBe('Dutydesk');
    expect(formatBadgeTitle('X', 12)).toBe('(12) X');
  });

  it('shows a Web Notification when permitted and routes its click', () => {
    const created: { onclick: (() => void) | null; args: unknown[] }[] = [];
    const FakeNotification = vi.fn(function (this: { onclick: null }, ...args: unknown[]) {
      this.onclick = null;
      created.push(Object.assign(this, { args }));
    }) as unknown as typeof Notification;
    Object.assign(FakeNotification, { permission: 'granted' });
    const env = { document: { title: '' }, focus: vi.fn(), Notification: FakeNotification };
    const host = createBrowserHost(env);
    const listener = vi.fn();
    host.onOpenTicket(listener);
    host.notify({ title: 'Escalation', body: 'INC-1', ticketId: 't1' });
    expect(created[0]?.args).toEqual(['Escalation', { body: 'INC-1', tag: 't1' }]);
    created[0]?.onclick?.();
    expect(env.focus).toHaveBeenCalled();
    expect(listener).toHaveBeenCalledWith('t1');
  });

  it('stays silent without permission', () => {
    const FakeNotification = vi.fn() as unknown as typeof Notification;
    Object.assign(FakeNotification, { permission: 'denied' });
    createBrowserHost({
      document: { title: '' },
      focus: vi.fn(),
      Notification: FakeNotification,
    }).notify({ title: 'x', body: 'y' });
    expect(FakeNotification).not.toHaveBeenCalled();
  });
});

describe('electron host', () => {
  function bridge(): DesktopBridge {
    return {
      notify: vi.fn(() => Promise.resolve()),
      setBadgeCount: vi.fn(() => Promise.resolve()),
      flashFrame: vi.fn(() => Promise.resolve()),
      getInfo: vi.fn(() =>
        Promise.resolve({ appVersion: '1', platform: 'linux', serverUrl: '', wallboard: false }),
      ),
      onOpenTicket: vi.fn(() => () => undefined),
      setLocale: vi.fn(() => Promise.resolve()),
    };
  }

  it('forwards to the preload bridge', () => {
    const desktop = bridge();
    const host = createElectronHost(desktop);
    host.notify({ title: 'a', body: 'b' });
    host.setBadgeCount(2);
    host.flashFrame();
    expect(desktop.notify).toHaveBeenCalledWith({ title: 'a', body: 'b' });
    expect(desktop.setBadgeCount).toHaveBeenCalledWith(2);
    expect(desktop.flashFrame).toHaveBeenCalled();
    host.setLocale('zh-CN');
    expect(desktop.setLocale).toHaveBeenCalledWith('zh-CN');
  });

  it('is chosen when window.desktop exists', () => {
    expect(detectHost(Object.assign(Object.create(window), { desktop: bridge() })).kind).toBe(
      'electron',
    );
    expect(detectHost(window).kind).toBe('browser');
  });
});
