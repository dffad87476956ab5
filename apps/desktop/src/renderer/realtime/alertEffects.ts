import type { Host } from '../host/host';
import type { AppStore } from '../store/appStore';
import { selectOpenAlertCount } from '../store/slices/alerts';
import type { Alert } from '../store/slices/alerts';

/**
 * Side effects of alerts, outside React: a native notification and a window
 * flash for every newly raised alert, the open count on the badge.
 */
export function watchAlerts(
  store: AppStore,
  host: Host,
  describe: (alert: Alert) => { title: string; body: string },
): () => void {
  const seen = new Set(Object.keys(store.getState().alerts));
  let count = selectOpenAlertCount(store.getState());
  host.setBadgeCount(count);
  return store.subscribe((state, previous) => {
    if (state.alerts === previous.alerts) return;
    for (const alert of Object.values(state.alerts)) {
      if (seen.has(alert.id)) continue;
      seen.add(alert.id);
      if (alert.ackedAt !== null) continue;
      host.notify({ ...describe(alert), ...(alert.ticketId ? { ticketId: alert.ticketId } : {}) });
      host.flashFrame();
    }
    const next = selectOpenAlertCount(state);
    if (next !== count) {
      count = next;
      host.setBadgeCount(count);
    }
  });
}
