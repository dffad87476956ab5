import { createStore } from 'zustand/vanilla';

/** The colour theme a user chose: the system's (`prefers-color-scheme`), or light or dark. */
export const Theme = { system: 'system', light: 'light', dark: 'dark' } as const;
export type Theme = (typeof Theme)[keyof typeof Theme];

/** Where the choice is kept: beside the language (`dutydesk.locale`), in localStorage. */
export const THEME_STORAGE_KEY = 'dutydesk.theme';

/** A stored value as a theme; anything else (nothing stored, junk) follows the system. */
export function readTheme(stored: string | null): Theme {
  return stored === Theme.light || stored === Theme.dark ? stored : Theme.system;
}

function readStorage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/**
 * Puts a theme on the page: `data-theme` on <html> for light or dark (styles.css sets
 * `color-scheme` from it, and every colour is `light-dark()`), none for the system's.
 */
export function applyTheme(
  theme: Theme,
  root: HTMLElement | undefined = globalThis.document?.documentElement,
): void {
  if (!root) return;
  if (theme === Theme.system) delete root.dataset.theme;
  else root.dataset.theme = theme;
}

interface ThemeState {
  theme: Theme;
  setTheme(theme: Theme): void;
}

/** The user's theme, read once from storage; setting it stores and applies it at once. */
export const themeStore = createStore<ThemeState>()((set) => ({
  theme: readTheme(readStorage()?.getItem(THEME_STORAGE_KEY) ?? null),
  setTheme: (theme) => {
    try {
      readStorage()?.setItem(THEME_STORAGE_KEY, theme);
    } catch {
      // Storage full or refused: the choice still holds for this page.
    }
    applyTheme(theme);
    set({ theme });
  },
}));
