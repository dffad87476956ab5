import { useCallback } from 'react';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { en } from './en';
import type { MessageKey } from './en';
import { zhCN } from './zhCN';

export type { MessageKey } from './en';

export const Locale = { zhCN: 'zh-CN', en: 'en' } as const;
export type Locale = (typeof Locale)[keyof typeof Locale];

export const catalogues: Record<Locale, Record<MessageKey, string>> = {
  [Locale.en]: en,
  [Locale.zhCN]: zhCN,
};

const STORAGE_KEY = 'dutydesk.locale';

export type MessageParams = Record<string, string | number>;

/**
 * Looks a key up and fills `{name}` placeholders; an unknown placeholder
 * stays visible rather than silently vanishing.
 * @example translate('en', 'queue.count', { shown: 3, total: 10 }) // '3 of 10 tickets'
 */
export function translate(locale: Locale, key: MessageKey, params?: MessageParams): string {
  const template = catalogues[locale][key];
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** Stored choice first, then the browser's language, then English. */
export function detectLocale(stored: string | null, languages: readonly string[]): Locale {
  if (stored === Locale.en || stored === Locale.zhCN) return stored;
  for (const language of languages) {
    const lower = language.toLowerCase();
    if (lower.startsWith('zh')) return Locale.zhCN;
    if (lower.startsWith('en')) return Locale.en;
  }
  return Locale.en;
}

function readStorage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

interface LocaleState {
  locale: Locale;
  setLocale(locale: Locale): void;
}

export const localeStore = createStore<LocaleState>()((set) => ({
  locale: detectLocale(
    readStorage()?.getItem(STORAGE_KEY) ?? null,
    typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language]),
  ),
  setLocale: (locale) => {
    readStorage()?.setItem(STORAGE_KEY, locale);
    if (typeof document !== 'undefined') document.documentElement.lang = locale;
    set({ locale });
  },
}));

export type Translate = (key: MessageKey, params?: MessageParams) => string;

/** The current locale's `t`, re-rendering when the language changes. */
export function useT(): Translate {
  const locale = useStore(localeStore, (state) => state.locale);
  return useCallback<Translate>((key, params) => translate(locale, key, params), [locale]);
}

export function useLocale(): [Locale, (locale: Locale) => void] {
  const locale = useStore(localeStore, (state) => state.locale);
  const setLocale = useStore(localeStore, (state) => state.setLocale);
  return [locale, setLocale];
}

/** `t` for code outside React (notifications). */
export function currentT(): Translate {
  const { locale } = localeStore.getState();
  return (key, params) => translate(locale, key, params);
}
