import { beforeEach, describe, expect, it } from 'vitest';
import { session } from '../test/fixtures';
import { createAppStore } from './appStore';
import { loadSession, moveLegacySession, persistSession } from './persistSession';

const KEY = 'dutydesk.session';

describe('session persistence', () => {
  beforeEach(() => {
    localStorage.clear();
    sessionStorage.clear();
  });

  it('keeps the token in sessionStorage only: a reload finds it, localStorage never holds it', () => {
    const store = createAppStore();
    persistSession(store, sessionStorage);
    store.getState().signIn(session);
    expect(localStorage.getItem(KEY)).toBeNull();
    expect(loadSession(sessionStorage)).toEqual(session);
    // The next page load (a reload) starts signed in.
    const reloaded = createAppStore({ session: loadSession(sessionStorage) });
    expect(reloaded.getState().session?.token).toBe(session.token);
    store.getState().signOut();
    expect(sessionStorage.getItem(KEY)).toBeNull();
  });

  it('moves a session an older console left in localStorage, and removes it there', () => {
    localStorage.setItem(KEY, JSON.stringify(session));
    moveLegacySession(localStorage, sessionStorage);
    expect(localStorage.getItem(KEY)).toBeNull();
    expect(loadSession(sessionStorage)).toEqual(session);
    // A newer session in this tab wins over a stale legacy copy, which is still removed.
    const newer = { ...session, token: 'newer-token' };
    sessionStorage.setItem(KEY, JSON.stringify(newer));
    localStorage.setItem(KEY, JSON.stringify(session));
    moveLegacySession(localStorage, sessionStorage);
    expect(localStorage.getItem(KEY)).toBeNull();
    expect(loadSession(sessionStorage)?.token).toBe('newer-token');
  });
});
