import type { StoreApi } from 'zustand/vanilla';
import type { Host } from './host';

/**
 * Tells the host the console's language now and at every change, so the Electron shell's
 * tray and menus speak it too. Returns the unsubscribe.
 */
export function syncLocaleToHost(
  host: Pick<Host, 'setLocale'>,
  store: Pick<StoreApi<{ locale: string }>, 'getState' | 'subscribe'>,
): () => void {
  let sent = store.getState().locale;
  host.setLocale(sent);
  return store.subscribe((state) => {
    if (state.locale === sent) return;
    sent = state.locale;
    host.setLocale(sent);
  });
}
