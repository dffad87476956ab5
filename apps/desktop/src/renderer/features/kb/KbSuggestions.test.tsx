import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { localeStore } from '../../i18n/i18n';
import type { KbHit } from '../../realtime/contract';
import { session } from '../../test/fixtures';
import { fakeServices, renderWith } from '../../test/render';
import { KbSuggestions } from './KbSuggestions';
import { Markdown } from './Markdown';

const WAIT = { timeout: 10_000 };

const hit: KbHit = {
  id: 'k1',
  revision: 1,
  state: 'published',
  title: 'VPN 证书过期',
  titleHighlights: [{ start: 4, end: 6 }],
  snippet: '客户端提示证书已过期',
  highlights: [{ start: 5, end: 7 }],
  language: 'zh-CN',
  visibility: 'public',
  category: '网络',
  module: 'VPN',
  subFunction: null,
  helped: 2,
  rank: 1.2,
};

function Typing() {
  const [text, setText] = useState('');
  return (
    <>
      <textarea aria-label="Description" value={text} onChange={(e) => setText(e.target.value)} />
      <KbSuggestions description={text} />
    </>
  );
}

describe('<KbSuggestions>', () => {
  beforeEach(() => localeStore.getState().setLocale('en'));
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('asks once typing pauses and shows the matches marked', async () => {
    const bodies: unknown[] = [];
    const signals: AbortSignal[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn((url: string, init: RequestInit) => {
        bodies.push(JSON.parse(String(init.body)));
        if (init.signal) signals.push(init.signal);
        expect(url).toBe('/api/kb/suggest');
        return Promise.resolve(new Response(JSON.stringify({ results: [hit] }), { status: 200 }));
      }),
    );
    const services = fakeServices();
    services.store.getState().signIn(session);
    renderWith(<Typing />, services);
    const user = userEvent.setup();
    await user.type(screen.getByRole('textbox', { name: 'Description' }), 'VPN 证书');
    const panel = await screen.findByRole('region', { name: 'Knowledge suggestions' }, WAIT);
    // Typed in one go: one request, for the whole text.
    expect(bodies).toEqual([{ description: 'VPN 证书', limit: 5 }]);
    expect(within(panel).getAllByText('证书', { selector: 'mark' })).toHaveLength(1);
    await user.click(within(panel).getByRole('button', { name: /证书过期/ }));
    // The snippet opens with its match marked too.
    expect(within(panel).getAllByText('证书', { selector: 'mark' })).toHaveLength(2);
    expect(within(panel).getByText(/客户端提示/)).toBeTruthy();
    expect(signals.every((s) => !s.aborted)).toBe(true);
  });

  it('asks nothing for less than two characters', async () => {
    const fetchMock = vi.fn();
    vi.stubGlobal('fetch', fetchMock);
    const services = fakeServices();
    services.store.getState().signIn(session);
    renderWith(<KbSuggestions description="v" />, services);
    await new Promise((r) => setTimeout(r, 400));
    expect(fetchMock).not.toHaveBeenCalled();
  });
});

describe('<Markdown>', () => {
  afterEach(cleanup);

  it('renders CommonMark and never raw HTML or script links', () => {
    const { container } = render(
      <Markdown
        source={
          '## 解决方法\n\n1. **重启**\n\n<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>'
        }
      />,
    );
    expect(container.querySelector('h2')?.textContent).toBe('解决方法');
    expect(container.querySelector('strong')?.textContent).toBe('重启');
    expect(container.querySelector('script')).toBeNull();
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('a')?.getAttribute('href') ?? '').not.toMatch(/javascript/);
    expect(container.textContent).toContain('<script>');
  });
});
