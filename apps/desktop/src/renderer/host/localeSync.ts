import type { StoreApi } from 'zustand/vanilla';
import type { Host } from './host';

/**
 * The shell's language for the console's: the shell has English and Chinese words only
 * (main/strings.ts), so Japanese and Korean consoles get an English tray and menus.
 */
export function toShellLocale(locale: string): 'en' | 'zh-CN' {
  return locale === 'zh-CN' ? 'zh-CN' : 'en';
}

/**
 * Tells the host the console's language now and at every change, so the Electron shell's
 * tray and menus speak it too (see `toShellLocale`). Returns the unsubscribe.
 */
export function syncLocaleToHost(
  host: Pick<Host, 'setLocale'>,
  store: Pick<StoreApi<{ locale: string }>, 'getState' | 'subscribe'>,
): () => void {
  let sent = toShellLocale(store.getState().locale);
  host.setLocale(sent);
  return store.subscribe((state) => {
    const next = toShellLocale(state.locale);
    if (next === sent) return;
    sent = next;
    host.setLocale(sent);
  });
}
