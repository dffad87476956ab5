/**
 * The only code with both `electron` and the page in reach. It exposes one
 * small function per message as `window.desktop`; the page never sees
 * `ipcRenderer` itself. Sandboxed preloads are CommonJS and may only require
 * `electron`, so this file stays free of other runtime dependencies.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { IpcChannel } from '../shared/bridge';
import type { DesktopBridge, DesktopInfo } from '../shared/bridge';

export const desktop = {
  notify: async ({ title, body, ticketId }) => {
    await ipcRenderer.invoke(
      IpcChannel.notify,
      ticketId === undefined ? { title, body } : { title, body, ticketId },
    );
  },
  setBadgeCount: async (count) => {
    await ipcRenderer.invoke(IpcChannel.setBadgeCount, count);
  },
  flashFrame: async () => {
    await ipcRenderer.invoke(IpcChannel.flashFrame);
  },
  getInfo: async () => (await ipcRenderer.invoke(IpcChannel.getInfo)) as DesktopInfo,
  setLocale: async (locale) => {
    await ipcRenderer.invoke(IpcChannel.setLocale, locale);
  },
  onOpenTicket: (listener) => {
    const forward = (_event: unknown, ticketId: unknown): void => {
      if (typeof ticketId === 'string') listener(ticketId);
    };
    ipcRenderer.on(IpcChannel.openTicket, forward);
    return () => {
      ipcRenderer.removeListener(IpcChannel.openTicket, forward);
    };
  },
} satisfies DesktopBridge;

contextBridge.exposeInMainWorld('desktop', desktop);
