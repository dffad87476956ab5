import type { DesktopBridge, NotifyPayload } from '../../shared/bridge';

/**
 * Everything the renderer asks of whatever hosts it. Two implementations:
 * the Electron preload (`window.desktop`) and a plain browser.
 */
export interface Host {
  readonly kind: 'electron' | 'browser';
  notify(payload: NotifyPayload): void;
  /** Open-alert count: tray and dock in Electron, the tab title in a browser. */
  setBadgeCount(count: number): void;
  /** Draws attention to the window (no-op where impossible). */
  flashFrame(): void;
  /** A notification about a ticket was clicked; returns the unsubscribe. */
  onOpenTicket(listener: (ticketId: string) => void): () => void;
  /** Asks for notification permission; call it from a user gesture. */
  requestNotificationPermission(): void;
  /** The console's language, so the shell's own words (tray, menus) follow it. */
  setLocale(locale: string): void;
}

/** Host backed by the Electron preload bridge. */
export function createElectronHost(bridge: DesktopBridge): Host {
  const report = (promise: Promise<unknown>): void => {
    promise.catch((error: unknown) => console.warn('desktop bridge:', error));
  };
  return {
    kind: 'electron',
    notify: (payload) => report(bridge.notify(payload)),
    setBadgeCount: (count) => report(bridge.setBadgeCount(count)),
    flashFrame: () => report(bridge.flashFrame()),
    onOpenTicket: (listener) => bridge.onOpenTicket(listener),
    requestNotificationPermission: () => undefined,
    // An older shell without the message: the promise rejects and is only logged.
    setLocale: (locale) => report(bridge.setLocale(locale)),
  };
}

/** Title with a `(n)` badge in front when n > 0. */
export function formatBadgeTitle(baseTitle: string, count: number): string {
  return count > 0 ? `(${count}) ${baseTitle}` : baseTitle;
}

interface BrowserEnv {
  document: Pick<Document, 'title'>;
  Notification?: typeof Notification;
  focus(): void;
}

/** Host for a plain browser: Web Notifications and a title badge. */
export function createBrowserHost(env: BrowserEnv, baseTitle = 'Dutydesk'): Host {
  const listeners = new Set<(ticketId: string) => void>();
  return {
    kind: 'browser',
    notify({ title, body, ticketId }) {
      const NotificationApi = env.Notification;
      if (!NotificationApi || NotificationApi.permission !== 'granted') return;
      const notification = new NotificationApi(title, { body, tag: ticketId });
      notification.onclick = () => {
        env.focus();
        if (ticketId) for (const listener of listeners) listener(ticketId);
      };
    },
    setBadgeCount(count) {
      env.document.title = formatBadgeTitle(baseTitle, count);
    },
    flashFrame: () => undefined,
    onOpenTicket(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    requestNotificationPermission() {
      const NotificationApi = env.Notification;
      if (NotificationApi && NotificationApi.permission === 'default') {
        void NotificationApi.requestPermission();
      }
    },
    setLocale: () => undefined,
  };
}

/** Picks the host: the preload's bridge when present, else the browser. */
export function detectHost(win: Window & { desktop?: DesktopBridge }): Host {
  return win.desktop
    ? createElectronHost(win.desktop)
    : createBrowserHost({
        document: win.document,
        Notification: typeof Notification === 'undefined' ? undefined : Notification,
        focus: () => win.focus(),
      });
}
