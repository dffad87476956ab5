/**
 * The contract between the preload and the renderer: channel names and the
 * typed `window.desktop` API. Pure types and constants, no electron import, so
 * the renderer may import it (type-only) and the preload and main share the
 * channel names.
 */

/** IPC channels, one per message. Renderer → main unless noted. */
export const IpcChannel = {
  notify: 'desktop:notify',
  setBadgeCount: 'desktop:set-badge-count',
  flashFrame: 'desktop:flash-frame',
  getInfo: 'desktop:get-info',
  /** The console's language (`en`, `zh-CN`): tray, menus and shell notifications follow it. */
  setLocale: 'desktop:set-locale',
  /** Main → renderer: the user clicked a notification about this ticket. */
  openTicket: 'desktop:open-ticket',
} as const;
export type IpcChannel = (typeof IpcChannel)[keyof typeof IpcChannel];

/** A native notification about a ticket or an alert. */
export interface NotifyPayload {
  title: string;
  body: string;
  ticketId?: string;
}

/** What the shell tells the renderer about itself. */
export interface DesktopInfo {
  appVersion: string;
  platform: string;
  serverUrl: string;
  wallboard: boolean;
}

/** The API the preload exposes as `window.desktop`: one function per message. */
export interface DesktopBridge {
  notify(payload: NotifyPayload): Promise<void>;
  /** Open-alert count: tray tooltip, dock/launcher badge. */
  setBadgeCount(count: number): Promise<void>;
  /** Draws attention to the window (taskbar flash) until it is focused. */
  flashFrame(): Promise<void>;
  getInfo(): Promise<DesktopInfo>;
  /** The console's language changed (or was first chosen): `en` or `zh-CN`. */
  setLocale(locale: string): Promise<void>;
  /** Subscribes to notification clicks; returns the unsubscribe function. */
  onOpenTicket(listener: (ticketId: string) => void): () => void;
}
