import { describe, expect, it, vi } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { syncLocaleToHost } from './localeSync';

describe('syncLocaleToHost', () => {
  it('sends the language at once and again only when it changes', () => {
    const store = createStore<{ locale: string; other: number }>()(() => ({
      locale: 'en',
      other: 0,
    }));
    const host = { setLocale: vi.fn() };
    const stop = syncLocaleToHost(host, store);
    expect(host.setLocale.mock.calls).toEqual([['en']]);
    store.setState({ other: 1 });
    store.setState({ locale: 'zh-CN' });
    expect(host.setLocale.mock.calls).toEqual([['en'], ['zh-CN']]);
    stop();
    store.setState({ locale: 'en' });
    expect(host.setLocale).toHaveBeenCalledTimes(2);
  });

  it('gives the shell English for Japanese and Korean (its words are English and Chinese)', () => {
    const store = createStore<{ locale: string }>()(() => ({ locale: 'ja' }));
    const host = { setLocale: vi.fn() };
    syncLocaleToHost(host, store);
    store.setState({ locale: 'ko' });
    store.setState({ locale: 'zh-CN' });
    expect(host.setLocale.mock.calls).toEqual([['en'], ['zh-CN']]);
  });
});
