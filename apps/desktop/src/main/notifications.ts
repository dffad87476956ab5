import type { BrowserWindow, Notification, NotificationConstructorOptions } from 'electron';
import type { NotifyPayload } from '../shared/bridge';

export interface NotificationDeps {
  isSupported(): boolean;
  create(options: NotificationConstructorOptions): Notification;
  /** The user clicked the notification: bring the window up and open the ticket. */
  onClick(window: BrowserWindow | null, ticketId: string | undefined): void;
}

/**
 * A native notification for an alert, and a taskbar flash when the window is
 * not focused: an escalation prompt must be seen even from another app.
 */
export function showAlertNotification(
  deps: NotificationDeps,
  payload: NotifyPayload,
  window: BrowserWindow | null,
): void {
  if (deps.isSupported()) {
    const notification = deps.create({
      title: payload.title,
      body: payload.body,
      urgency: 'critical',
      silent: false,
    });
    notification.on('click', () => deps.onClick(window, payload.ticketId));
    notification.show();
  }
  flashUntilFocused(window);
}

/** Flashes the frame of an unfocused window; focusing it stops the flash. */
export function flashUntilFocused(window: BrowserWindow | null): void {
  if (!window || window.isDestroyed() || window.isFocused()) return;
  window.flashFrame(true);
  window.once('focus', () => window.flashFrame(false));
}
