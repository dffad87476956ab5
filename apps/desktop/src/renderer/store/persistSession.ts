import { sessionSchema } from '../features/login/session.slice';
import type { Session } from '../features/login/session.slice';
import type { AppStore } from './appStore';

const KEY = 'dutydesk.session';

/** The session saved by a previous page load, if it still parses. */
export function loadSession(storage: Storage): Session | null {
  try {
    const raw = storage.getItem(KEY);
    if (!raw) return null;
    const parsed = sessionSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Keeps the session in storage across reloads; returns the unsubscribe. The console passes
 * `sessionStorage` (decision 18): a reload or a wallboard's reconnect keeps the session, closing
 * the tab or window ends it, and no token sits in `localStorage` for every later visitor of the
 * profile (or a script's single read) to find.
 */
export function persistSession(store: AppStore, storage: Storage): () => void {
  return store.subscribe((state, previous) => {
    if (state.session === previous.session) return;
    if (state.session) storage.setItem(KEY, JSON.stringify(state.session));
    else storage.removeItem(KEY);
  });
}

/**
 * Moves a session an older console left in `localStorage` into `storage` (once, when `storage`
 * has none) and removes it from `localStorage` either way, so an upgrade neither signs a seat out
 * nor leaves the token behind.
 */
export function moveLegacySession(legacy: Storage, storage: Storage): void {
  try {
    const raw = legacy.getItem(KEY);
    if (raw === null) return;
    legacy.removeItem(KEY);
    if (storage.getItem(KEY) === null) storage.setItem(KEY, raw);
  } catch {
    // Storage refused (private mode, quota): nothing to move.
  }
}
