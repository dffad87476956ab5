import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { localeStore } from '../../i18n/i18n';
import { session } from '../../test/fixtures';
import { fakeServices, renderWith } from '../../test/render';
import { CategorySuggestion, sendCategoryFeedback } from './CategorySuggestion';
import type { CategoryOffer } from './CategorySuggestion';

const WAIT = { timeout: 10_000 };

const answer = (confidence: number) => ({
  modelVersion: 3,
  fields: {
    category: [
      { value: 'Network', confidence },
      { value: 'Hardware', confidence: (1 - confidence) * 0.7 },
      { value: 'Access', confidence: (1 - confidence) * 0.3 },
    ],
  },
});

let offers: Array<CategoryOffer | null> = [];

function Typing({ initial = '' }: { initial?: string }) {
  const [text, setText] = useState('');
  const [category, setCategory] = useState(initial);
  return (
    <>
      <textarea aria-label="Description" value={text} onChange={(e) => setText(e.target.value)} />
      <CategorySuggestion
        description={text}
        value={category}
        onChange={setCategory}
        onOffer={(o) => offers.push(o)}
      />
    </>
  );
}

function stubClassify(body: unknown) {
  const calls: Array<{ url: string; body: unknown; signal?: AbortSignal | null }> = [];
  vi.stubGlobal(
    'fetch',
    vi.fn((url: string, init: RequestInit) => {
      calls.push({ url, body: JSON.parse(String(init.body)), signal: init.signal });
      return Promise.resolve(new Response(JSON.stringify(body), { status: 200 }));
    }),
  );
  return calls;
}

function signedIn() {
  const services = fakeServices();
  services.store.getState().signIn(session);
  return services;
}

describe('<CategorySuggestion>', () => {
  beforeEach(() => {
    localeStore.getState().setLocale('en');
    offers = [];
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('asks once typing pauses, pre-fills a confident category, says so and offers the top 3', async () => {
    const calls = stubClassify(answer(0.82));
    renderWith(<Typing />, signedIn());
    const user = userEvent.setup();
    await user.type(screen.getByRole('textbox', { name: 'Description' }), 'VPN down');
    const group = await screen.findByRole('group', { name: 'Suggested categories' }, WAIT);
    expect(calls.map((c) => [c.url, c.body])).toEqual([
      ['/api/classify', { description: 'VPN down' }],
    ]);
    expect(calls.every((c) => !c.signal?.aborted)).toBe(true);
    const field = screen.getByRole('textbox', { name: 'Category' });
    expect((field as HTMLInputElement).value).toBe('Network');
    expect(screen.getByTestId('category-prefilled').textContent).toContain('82 %');
    const picks = within(group).getAllByRole('button');
    expect(picks.map((b) => b.textContent)).toEqual([
      'Network 82 %',
      'Hardware 13 %',
      'Access 5 %',
    ]);
    expect(picks[0]?.getAttribute('aria-pressed')).toBe('true');
    await user.click(picks[1]!);
    expect((field as HTMLInputElement).value).toBe('Hardware');
    expect(screen.queryByTestId('category-prefilled')).toBeNull();
    expect(offers.at(-1)?.top[0]?.value).toBe('Network');
  });

  it('does not overwrite a category the agent chose, nor fill one it is unsure of', async () => {
    stubClassify(answer(0.82));
    renderWith(<Typing initial="Printing" />, signedIn());
    const user = userEvent.setup();
    await user.type(screen.getByRole('textbox', { name: 'Description' }), 'VPN down');
    await screen.findByRole('group', { name: 'Suggested categories' }, WAIT);
    expect((screen.getByRole('textbox', { name: 'Category' }) as HTMLInputElement).value).toBe(
      'Printing',
    );
    cleanup();
    stubClassify(answer(0.4));
    renderWith(<Typing />, signedIn());
    await user.type(screen.getByRole('textbox', { name: 'Description' }), 'VPN down');
    await screen.findByRole('group', { name: 'Suggested categories' }, WAIT);
    expect((screen.getByRole('textbox', { name: 'Category' }) as HTMLInputElement).value).toBe('');
    expect(screen.queryByTestId('category-prefilled')).toBeNull();
  });

  it('shows nothing but the field when no model is trained', async () => {
    const calls = stubClassify({ modelVersion: null, fields: {} });
    const error = vi.spyOn(console, 'error');
    const warn = vi.spyOn(console, 'warn');
    renderWith(<Typing />, signedIn());
    const user = userEvent.setup();
    await user.type(screen.getByRole('textbox', { name: 'Description' }), 'VPN down');
    await waitFor(() => expect(offers).toEqual([null]), WAIT);
    expect(calls).toHaveLength(1);
    expect(screen.queryByTestId('category-suggestion')).toBeNull();
    expect(error).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
    error.mockRestore();
    warn.mockRestore();
  });

  it('sends what was suggested and what the agent kept', async () => {
    const calls = stubClassify({});
    await sendCategoryFeedback(
      session.token,
      { modelVersion: 3, top: answer(0.82).fields.category },
      ' Hardware ',
      't-9',
    );
    expect(calls).toEqual([
      {
        url: '/api/classifier/feedback',
        signal: undefined,
        body: {
          ticketId: 't-9',
          modelVersion: 3,
          fields: [{ field: 'category', suggested: 'Network', confidence: 0.82, kept: 'Hardware' }],
        },
      },
    ]);
  });
});
