import { describe, expect, it } from 'vitest';
import { en } from './en';
import { catalogues, detectLocale, formatNumber, Locale, LOCALES, translate } from './i18n';
import { ja } from './ja';
import { ko } from './ko';
import { zhCN } from './zhCN';

const TRANSLATED = { 'zh-CN': zhCN, ja, ko } as const;

describe.each(Object.entries(TRANSLATED))('the %s catalogue against en', (_name, catalogue) => {
  it('has exactly the same keys', () => {
    expect(Object.keys(catalogue).sort()).toEqual(Object.keys(en).sort());
  });

  it('uses the same placeholders for every key', () => {
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(placeholders(catalogue[key]), key).toEqual(placeholders(en[key]));
    }
  });
});

describe('i18n catalogues', () => {
  it('have no empty messages', () => {
    for (const catalogue of Object.values(catalogues)) {
      for (const [key, message] of Object.entries(catalogue)) expect(message, key).not.toBe('');
    }
  });

  it('are all in the switcher', () => {
    expect([...LOCALES].sort()).toEqual(Object.keys(catalogues).sort());
  });

  it('write Japanese in kana and kanji, Korean in hangul, on the words a screen is made of', () => {
    // Not a word-for-word check: the sentence-length texts of the main screens must be in the
    // language's own script (an English text pasted in would fail).
    for (const key of [
      'queue.title',
      'queue.empty',
      'action.refuse',
      'alert.promptTitle',
    ] as const) {
      expect(ja[key], key).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
      expect(ko[key], key).toMatch(/[\uac00-\ud7af]/);
    }
  });
});

describe('translate', () => {
  it('fills placeholders and keeps unknown ones', () => {
    expect(translate(Locale.en, 'queue.count', { shown: 3, total: 10 })).toBe('3 of 10 tickets');
    expect(translate(Locale.zhCN, 'queue.count', { shown: 3, total: 10 })).toBe(
      '显示 3 / 共 10 张工单',
    );
    expect(translate(Locale.ja, 'queue.count', { shown: 3, total: 10 })).toBe('10 件中 3 件を表示');
    expect(translate(Locale.ko, 'queue.count', { shown: 3, total: 10 })).toBe('전체 10건 중 3건');
    expect(translate(Locale.en, 'queue.count', { shown: 3 })).toBe('3 of {total} tickets');
  });

  it('formats numbers for the language with Intl', () => {
    expect(translate(Locale.ja, 'queue.count', { shown: 1200, total: 10000 })).toBe(
      '10,000 件中 1,200 件を表示',
    );
    expect(formatNumber(Locale.ko, 12345.678)).toBe(new Intl.NumberFormat('ko').format(12345.68));
    expect(formatNumber(Locale.ja, 0.5)).toBe('0.5');
  });

  it('detects the locale: stored choice, then browser languages', () => {
    expect(detectLocale('zh-CN', ['en-US'])).toBe(Locale.zhCN);
    expect(detectLocale('ko', ['en-US'])).toBe(Locale.ko);
    expect(detectLocale(null, ['zh-TW', 'en'])).toBe(Locale.zhCN);
    expect(detectLocale(null, ['ja-JP', 'en'])).toBe(Locale.ja);
    expect(detectLocale(null, ['ko-KR'])).toBe(Locale.ko);
    expect(detectLocale(null, ['fr-FR', 'ja'])).toBe(Locale.ja);
    expect(detectLocale(null, ['fr-FR', 'en-GB'])).toBe(Locale.en);
    expect(detectLocale('garbage', ['de'])).toBe(Locale.en);
  });
});
