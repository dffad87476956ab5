import { sessionSchema } from './slices/session';
import type { Session } from './slices/session';
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

/** Keeps the session in storage across reloads; returns the unsubscribe. */
export function persistSession(store: AppStore, storage: Storage): () => void {
  return store.subscribe((state, previous) => {
    if (state.session === previous.session) return;
    if (state.session) storage.setItem(KEY, JSON.stringify(state.session));
    else storage.removeItem(KEY);
  });
}
