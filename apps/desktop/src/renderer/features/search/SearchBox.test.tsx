import { act, cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { localeStore } from '../../i18n/i18n';
import type { SearchResponse, SearchResult } from '../../realtime/contract';
import { session } from '../../test/fixtures';
import { fakeServices, renderWith } from '../../test/render';
import { SearchBox } from './SearchBox';

const WAIT = { timeout: 10_000 };

function ticketResult(over: Partial<SearchResult> = {}): SearchResult {
  return {
    kind: 'ticket',
    id: 't1',
    title: 'VPN 无法连接 error 809',
    snippet: '今晚数据库备份失败，已重启备份任务',
    highlights: [{ start: 2, end: 7 }],
    titleHighlights: [],
    source: 'execution',
    rank: 1.5,
    number: 'INC-2026-000001',
    status: 'in_progress',
    priority: 'P2',
    groupId: 'l2',
    receivedAt: '2026-03-02T02:00:00.000Z',
    ...over,
  };
}

/** A fake `GET /api/search`: answers `results` and records every URL asked. */
function stubSearch(results: SearchResult[], extra: Partial<SearchResponse> = {}) {
  const urls: string[] = [];
  const fetchMock = vi.fn((url: string) => {
    urls.push(url);
    const body: SearchResponse = { results, indexedSeq: 10, complete: true, ...extra };
    return Promise.resolve(new Response(JSON.stringify(body), { status: 200 }));
  });
  vi.stubGlobal('fetch', fetchMock);
  return { urls, fetchMock };
}

function setUp() {
  const services = fakeServices();
  services.store.getState().signIn(session);
  services.store.getState().setDirectory({
    groups: [{ id: 'l2', name: 'L2 network', nameZh: '二线网络', tier: 2 }],
  });
  return renderWith(<SearchBox />, services);
}

describe('<SearchBox>', () => {
  beforeEach(() => {
    localeStore.getState().setLocale('en');
    window.history.replaceState(null, '', '/');
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('asks the server once typing pauses and shows the results grouped, the words marked', async () => {
    const user = userEvent.setup();
    const { urls } = stubSearch([
      ticketResult(),
      ticketResult({
        id: 't2',
        number: 'INC-2026-000002',
        title: '数据库备份告警',
        titleHighlights: [{ start: 0, end: 5 }],
        snippet: '数据库备份告警',
        highlights: [{ start: 0, end: 5 }],
        source: 'title',
      }),
    ]);
    setUp();
    await user.click(screen.getByRole('combobox', { name: 'Search tickets and customers' }));
    await user.keyboard('数据库备份');
    const list = await screen.findByRole('listbox', { name: 'Search results' }, WAIT);
    const group = await within(list).findByRole('group', { name: 'Tickets' }, WAIT);
    const options = within(group).getAllByRole('option');
    expect(options).toHaveLength(2);
    expect(options[0]?.textContent).toContain('INC-2026-000001');
    expect(options[0]?.textContent).toContain('In progress · P2 high · L2 network · execution log');
    expect([...(options[0]?.querySelectorAll('mark') ?? [])].map((m) => m.textContent)).toEqual([
      '数据库备份',
    ]);
    expect(options[1]?.querySelector('.search__title mark')?.textContent).toBe('数据库备份');
    // Typing paused once: one request, for the whole word.
    expect(urls).toEqual([`/api/search?q=${encodeURIComponent('数据库备份')}`]);
  });

  it('moves with the arrow keys and opens the chosen ticket with Enter', async () => {
    const user = userEvent.setup();
    stubSearch([ticketResult(), ticketResult({ id: 't2', number: 'INC-2026-000002' })]);
    setUp();
    const input = screen.getByRole('combobox');
    await user.click(input);
    await user.keyboard('vpn');
    const list = await screen.findByRole('listbox', {}, WAIT);
    await within(list).findAllByRole('option', {}, WAIT);
    expect(within(list).getAllByRole('option')[0]?.getAttribute('aria-selected')).toBe('true');
    await user.keyboard('{ArrowDown}');
    const second = within(list).getAllByRole('option')[1];
    expect(second?.getAttribute('aria-selected')).toBe('true');
    expect(input.getAttribute('aria-activedescendant')).toBe(second?.id);
    await user.keyboard('{ArrowDown}{ArrowUp}{ArrowDown}{Enter}');
    expect(window.location.pathname).toBe('/tickets/t2');
    expect(screen.queryByRole('listbox')).toBeNull();
  });

  it('sends the filters with the query (dates as desk days, the end day included)', async () => {
    const user = userEvent.setup();
    const { urls } = stubSearch([ticketResult()]);
    setUp();
    await user.click(screen.getByRole('combobox'));
    await user.keyboard('vpn');
    await within(await screen.findByRole('listbox', {}, WAIT)).findAllByRole('option', {}, WAIT);
    await user.selectOptions(screen.getByLabelText('Status'), 'in_progress');
    await user.selectOptions(screen.getByLabelText('Priority'), 'P2');
    await user.selectOptions(screen.getByLabelText('Group'), 'l2');
    await user.selectOptions(screen.getByLabelText('Kind'), 'ticket');
    await user.type(screen.getByLabelText('Received from'), '2026-03-02');
    await user.type(screen.getByLabelText('Received until'), '2026-03-03');
    await vi.waitFor(() => {
      const last = new URL(urls[urls.length - 1] ?? '', 'http://x').searchParams;
      expect(Object.fromEntries(last)).toEqual({
        q: 'vpn',
        kind: 'ticket',
        status: 'in_progress',
        priority: 'P2',
        groupId: 'l2',
        // Asia/Shanghai, the desk's zone: days start at 16:00 UTC the day before.
        from: '2026-03-01T16:00:00.000Z',
        to: '2026-03-03T16:00:00.000Z',
      });
    }, WAIT);
  });

  it('says when nothing was found, when to type more, and closes with Esc, then clears', async () => {
    const user = userEvent.setup();
    const { fetchMock } = stubSearch([]);
    setUp();
    const input = screen.getByRole('combobox');
    await user.click(input);
    await user.keyboard('x');
    expect(screen.getByRole('status').textContent).toBe(
      'Type two letters or digits, or one Chinese character.',
    );
    await user.keyboard('yz');
    expect(await screen.findByText('Nothing found for “xyz”.', {}, WAIT)).toBeTruthy();
    expect(fetchMock).toHaveBeenCalledTimes(1);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('status')).toBeNull();
    expect((input as HTMLInputElement).value).toBe('xyz');
    await user.keyboard('{Escape}');
    expect((input as HTMLInputElement).value).toBe('');
    expect(document.activeElement).not.toBe(input);
  });

  it('speaks Chinese, and says when the server refuses for load', async () => {
    const user = userEvent.setup();
    vi.stubGlobal(
      'fetch',
      vi.fn(() =>
        Promise.resolve(new Response('{"error":{"code":"rate_limited"}}', { status: 429 })),
      ),
    );
    act(() => localeStore.getState().setLocale('zh-CN'));
    setUp();
    const input = screen.getByRole('combobox', { name: '搜索工单和客户' });
    expect(input.getAttribute('placeholder')).toBe('全局搜索（f）');
    await user.click(input);
    await user.keyboard('备份');
    expect(await screen.findByText('搜索过于频繁，请稍候。', {}, WAIT)).toBeTruthy();
    expect(screen.getByRole('group', { name: '搜索筛选' })).toBeTruthy();
    expect(screen.getByLabelText('受理起')).toBeTruthy();
  });
});
