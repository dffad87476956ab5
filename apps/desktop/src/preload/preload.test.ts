// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';
import { IpcChannel } from '../shared/bridge';

const electron = vi.hoisted(() => ({
  contextBridge: { exposeInMainWorld: vi.fn() },
  ipcRenderer: {
    invoke: vi.fn((..._args: unknown[]) => Promise.resolve(undefined as unknown)),
    on: vi.fn(),
    removeListener: vi.fn(),
  },
}));
vi.mock('electron', () => electron);

const { desktop } = await import('./index');

describe('preload bridge', () => {
  it('exposes only the typed desktop API', () => {
    expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledWith('desktop', desktop);
    expect(Object.keys(desktop).sort()).toEqual(
      ['flashFrame', 'getInfo', 'notify', 'onOpenTicket', 'setBadgeCount', 'setLocale'].sort(),
    );
  });

  it('sends one message per function, with only the known fields', async () => {
    await desktop.notify({ title: 'a', body: 'b', ticketId: 't', extra: 1 } as never);
    expect(electron.ipcRenderer.invoke).toHaveBeenLastCalledWith(IpcChannel.notify, {
      title: 'a',
      body: 'b',
      ticketId: 't',
    });
    await desktop.setBadgeCount(4);
    expect(electron.ipcRenderer.invoke).toHaveBeenLastCalledWith(IpcChannel.setBadgeCount, 4);
    await desktop.flashFrame();
    expect(electron.ipcRenderer.invoke).toHaveBeenLastCalledWith(IpcChannel.flashFrame);
    await desktop.setLocale('zh-CN');
    expect(electron.ipcRenderer.invoke).toHaveBeenLastCalledWith(IpcChannel.setLocale, 'zh-CN');
  });

  it('forwards notification clicks and unsubscribes', () => {
    const listener = vi.fn();
    const off = desktop.onOpenTicket(listener);
    const forward = electron.ipcRenderer.on.mock.calls[0]?.[1] as (e: unknown, id: unknown) => void;
    forward({}, 't9');
    forward({}, { not: 'a string' });
    expect(listener).toHaveBeenCalledExactlyOnceWith('t9');
    off();
    expect(electron.ipcRenderer.removeListener).toHaveBeenCalledWith(
      IpcChannel.openTicket,
      forward,
    );
  });
});
