import { useCallback } from 'react';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { en } from './en';
import type { MessageKey } from './en';
import { ja } from './ja';
import { ko } from './ko';
import { zhCN } from './zhCN';

export type { MessageKey } from './en';

export const Locale = { zhCN: 'zh-CN', en: 'en', ja: 'ja', ko: 'ko' } as const;
export type Locale = (typeof Locale)[keyof typeof Locale];

/** Every language of the console, in the order the switcher lists them. */
export const LOCALES: readonly Locale[] = [Locale.zhCN, Locale.en, Locale.ja, Locale.ko];

/** Each language's name in itself, for the switcher. */
export const LOCALE_NAMES: Record<Locale, string> = {
  [Locale.zhCN]: '简体中文',
  [Locale.en]: 'English',
  [Locale.ja]: '日本語',
  [Locale.ko]: '한국어',
};

export const catalogues: Record<Locale, Record<MessageKey, string>> = {
  [Locale.en]: en,
  [Locale.zhCN]: zhCN,
  [Locale.ja]: ja,
  [Locale.ko]: ko,
};

/** A value as one of the console's languages, or null. */
export function readLocale(value: string | null | undefined): Locale | null {
  return (LOCALES as readonly string[]).includes(value ?? '') ? (value as Locale) : null;
}

const STORAGE_KEY = 'dutydesk.locale';

export type MessageParams = Record<string, string | number>;

const numberFormats = new Map<Locale, Intl.NumberFormat>();

/**
 * Formats a number for the console's language (Intl: digit grouping, decimal sign).
 * @example formatNumber('ja', 12345.5) // '12,345.5'
 */
export function formatNumber(locale: Locale, value: number): string {
  let f = numberFormats.get(locale);
  if (!f) {
    f = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
    numberFormats.set(locale, f);
  }
  return f.format(value);
}

/**
 * Looks a key up and fills `{name}` placeholders (numbers formatted for the language with
 * Intl); an unknown placeholder stays visible rather than silently vanishing.
 * @example translate('en', 'queue.count', { shown: 3, total: 10 }) // '3 of 10 tickets'
 */
export function translate(locale: Locale, key: MessageKey, params?: MessageParams): string {
  const template = catalogues[locale][key];
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    if (!(name in params)) return whole;
    const value = params[name];
    return typeof value === 'number' ? formatNumber(locale, value) : String(value);
  });
}

/** Stored choice first, then the first browser language the console has, then English. */
export function detectLocale(stored: string | null, languages: readonly string[]): Locale {
  const chosen = readLocale(stored);
  if (chosen) return chosen;
  for (const language of languages) {
    const lower = language.toLowerCase();
    if (lower.startsWith('zh')) return Locale.zhCN;
    if (lower.startsWith('en')) return Locale.en;
    if (lower === 'ja' || lower.startsWith('ja-')) return Locale.ja;
    if (lower === 'ko' || lower.startsWith('ko-')) return Locale.ko;
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
