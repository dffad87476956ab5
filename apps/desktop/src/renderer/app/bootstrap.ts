import { playAlertBeep } from '../features/alerts/sound';
import { formatAlertMessage } from '../features/alerts/message';
import { selectUserName } from '../features/directory/directory.slice';
import { detectHost } from '../host/host';
import { syncLocaleToHost } from '../host/localeSync';
import { receiveNotification } from '../realtime/handoffEffects';
import { describeHandoff } from '../features/handoff/HandoffToasts';
import type { HandoffNotification } from '../realtime/contract';
import { currentT, localeStore } from '../i18n/i18n';
import { watchAlerts } from '../realtime/alertEffects';
import { createRealtimeBridge } from '../realtime/socketBridge';
import type { RealtimeBridge } from '../realtime/socketBridge';
import { createAppStore } from '../store/appStore';
import type { AppStore } from '../store/appStore';
import { loadSession, moveLegacySession, persistSession } from '../store/persistSession';
import type { Alert } from '../features/alerts/alerts.slice';
import { createApi } from './api';
import type { AppServices } from './services';

/** Runs the socket while a session exists, outside React. Returns the unsubscribe. */
export function bindBridgeToSession(store: AppStore, bridge: RealtimeBridge): () => void {
  const follow = (token: string | null): void => {
    if (token) bridge.start(token);
    else bridge.stop();
  };
  follow(store.getState().session?.token ?? null);
  return store.subscribe((state, previous) => {
    const token = state.session?.token ?? null;
    if (token !== (previous.session?.token ?? null)) follow(token);
  });
}

function describeAlert(store: AppStore, alert: Alert): { title: string; body: string } {
  const t = currentT();
  const ticket = alert.ticketId ? store.getState().tickets[alert.ticketId] : undefined;
  return {
    title: t('alert.title', { level: alert.level }),
    body: formatAlertMessage(t, alert, ticket?.number ?? null, (id) =>
      selectUserName(store.getState(), id),
    ),
  };
}

/** The real services of a page load: store, socket bridge, host and REST client. */
export function createServices(win: Window): AppServices {
  // The token lives in sessionStorage: it survives reloads, not the tab (decision 18).
  moveLegacySession(win.localStorage, win.sessionStorage);
  const store = createAppStore({ session: loadSession(win.sessionStorage) });
  persistSession(store, win.sessionStorage);
  const host = detectHost(win);
  syncLocaleToHost(host, localeStore);
  const bridge = createRealtimeBridge({
    store,
    network: win,
    onUnauthorized: () => store.getState().signOut(),
    onNotification: (raw) =>
      receiveNotification(store, host, raw, (n) => describeHandoffNotice(store, n)),
  });
  bindBridgeToSession(store, bridge);
  watchAlerts(store, host, (alert) => describeAlert(store, alert), playAlertBeep);
  return { store, bridge, host, api: createApi() };
}

/** A handoff notice's words in the seat's language, outside React. */
function describeHandoffNotice(store: AppStore, n: HandoffNotification): string {
  const { locale } = localeStore.getState();
  return describeHandoff(n, currentT(), store.getState().groups, locale);
}
