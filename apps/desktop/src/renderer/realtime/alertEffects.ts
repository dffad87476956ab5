import type { Host } from '../host/host';
import type { AppStore } from '../store/appStore';
import { isAlertForUser, selectOpenAlertCount } from '../features/alerts/alerts.slice';
import type { Alert } from '../features/alerts/alerts.slice';

/**
 * Side effects of alerts, outside React: for every newly raised alert meant
 * for this user a native notification, a window flash and a sound (`ring`);
 * the open count on the badge (tray in Electron, tab title in a browser).
 * Alerts already acknowledged when first seen (a replay) stay silent.
 */
export function watchAlerts(
  store: AppStore,
  host: Host,
  describe: (alert: Alert) => { title: string; body: string },
  ring: () => void = () => undefined,
): () => void {
  const seen = new Set(Object.keys(store.getState().alerts));
  let count = selectOpenAlertCount(store.getState());
  host.setBadgeCount(count);
  return store.subscribe((state, previous) => {
    if (state.alerts === previous.alerts && state.session === previous.session) return;
    const user = state.session?.user ?? null;
    let rang = false;
    for (const alert of Object.values(state.alerts)) {
      if (seen.has(alert.id)) continue;
      seen.add(alert.id);
      if (alert.ackedAt !== null || !isAlertForUser(alert, user)) continue;
      host.notify({ ...describe(alert), ...(alert.ticketId ? { ticketId: alert.ticketId } : {}) });
      host.flashFrame();
      if (!rang) ring();
      rang = true;
    }
    const next = selectOpenAlertCount(state);
    if (next !== count) {
      count = next;
      host.setBadgeCount(count);
    }
  });
}
