import { describe, expect, it } from 'vitest';
import { en } from './en';
import { catalogues, detectLocale, Locale, translate } from './i18n';
import { zhCN } from './zhCN';

describe('i18n catalogues', () => {
  it('zh-CN and en have exactly the same keys', () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
  });

  it('use the same placeholders for every key', () => {
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(placeholders(zhCN[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it('have no empty messages', () => {
    for (const catalogue of Object.values(catalogues)) {
      for (const [key, message] of Object.entries(catalogue)) expect(message, key).not.toBe('');
    }
  });
});

describe('translate', () => {
  it('fills placeholders and keeps unknown ones', () => {
    expect(translate(Locale.en, 'queue.count', { shown: 3, total: 10 })).toBe('3 of 10 tickets');
    expect(translate(Locale.zhCN, 'queue.count', { shown: 3, total: 10 })).toBe(
      '显示 3 / 共 10 张工单',
    );
    expect(translate(Locale.en, 'queue.count', { shown: 3 })).toBe('3 of {total} tickets');
  });

  it('detects the locale: stored choice, then browser languages', () => {
    expect(detectLocale('zh-CN', ['en-US'])).toBe(Locale.zhCN);
    expect(detectLocale(null, ['zh-TW', 'en'])).toBe(Locale.zhCN);
    expect(detectLocale(null, ['fr-FR', 'en-GB'])).toBe(Locale.en);
    expect(detectLocale('garbage', ['de'])).toBe(Locale.en);
  });
});
