import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { localeStore } from '../../i18n/i18n';
import type { ReportTable } from '../../realtime/contract';
import { session } from '../../test/fixtures';
import { fakeServices, renderWith } from '../../test/render';
import { matchPreset, presetPeriod } from './period';
import type { ReportsApi } from './reportsApi';
import { ReportsScreen } from './ReportsScreen';

const plots: Array<{
  opts: { series: Array<{ label?: string; stroke?: unknown }> };
  data: unknown[];
}> = [];
vi.mock('uplot', () => ({
  default: class {
    constructor(opts: never, data: never) {
      plots.push({ opts, data });
    }
    destroy(): void {}
  },
}));
vi.mock('uplot/dist/uPlot.min.css', () => ({}));

const WAIT = { timeout: 10_000 };

const volume: ReportTable = {
  name: 'volume',
  from: '2026-11-01',
  to: '2026-11-30',
  timeZone: 'Asia/Shanghai',
  generatedAt: '2026-12-01T00:00:00.000Z',
  filters: { customerId: null },
  columns: [
    { key: 'label', type: 'text' },
    { key: 'tickets', type: 'count' },
    { key: 'share', type: 'ratio' },
  ],
  rows: [
    { label: '网络 / VPN', tickets: 1200, share: 0.6 },
    { label: 'Hardware / Printer', tickets: 800, share: 0.4 },
  ],
  chart: { kind: 'bar', x: 'label', series: ['tickets'] },
};

function scriptedApi() {
  const calls: string[] = [];
  const api: ReportsApi = {
    getJson: vi.fn(async (_t, path: string, schema) => {
      calls.push(path);
      const parsed = schema.parse(path.startsWith('/service-reports') ? { reports: [] } : volume);
      return { ok: true as const, body: parsed };
    }) as ReportsApi['getJson'],
    post: vi.fn() as ReportsApi['post'],
    download: vi.fn(async (_t, path: string) => {
      calls.push(path);
      return { ok: true as const, body: { blob: new Blob(['x']), filename: 'volume.csv' } };
    }),
  };
  return { api, calls };
}

describe('<ReportsScreen>', () => {
  beforeEach(() => {
    localeStore.getState().setLocale('en');
    plots.length = 0;
    vi.stubGlobal(
      'URL',
      Object.assign(URL, { createObjectURL: () => 'blob:x', revokeObjectURL: () => {} }),
    );
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('reads the report of the period, draws its chart hint and shows the table in the language', async () => {
    const { api, calls } = scriptedApi();
    const services = fakeServices();
    services.store.getState().signIn(session);
    renderWith(<ReportsScreen name="volume" api={api} />, services);
    const table = await screen.findByTestId('report-table', {}, WAIT);
    const month = presetPeriod('thisMonth', Date.now());
    expect(calls[0]).toBe(`/reports/volume?from=${month.from}&to=${month.to}&lang=en&format=json`);
    expect(within(table).getByRole('columnheader', { name: 'Category / module' })).toBeTruthy();
    expect(within(table).getByText('1,200')).toBeTruthy();
    expect(within(table).getByText('60 %')).toBeTruthy();
    await waitFor(() => expect(plots).toHaveLength(1), WAIT);
    expect(plots[0]?.opts.series.map((s) => s.label)).toEqual(['Category / module', 'Tickets']);
    expect(
      screen
        .getByRole('tab', { name: 'Volume by category and module' })
        .getAttribute('aria-selected'),
    ).toBe('true');
    // The month preset shows pressed.
    expect(screen.getByRole('button', { name: 'This month' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
  });

  it('downloads CSV and XLSX from the server with the same query', async () => {
    const { api, calls } = scriptedApi();
    const services = fakeServices();
    services.store.getState().signIn(session);
    renderWith(<ReportsScreen name="volume" api={api} />, services);
    await screen.findByTestId('report-table', {}, WAIT);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Last month' }));
    await user.click(screen.getByRole('button', { name: 'Download CSV' }));
    await user.click(screen.getByRole('button', { name: 'Download XLSX' }));
    const last = presetPeriod('lastMonth', Date.now());
    await waitFor(() =>
      expect(calls.filter((c) => !c.endsWith('format=json'))).toEqual([
        `/reports/volume?from=${last.from}&to=${last.to}&lang=en&format=csv`,
        `/reports/volume?from=${last.from}&to=${last.to}&lang=en&format=xlsx`,
      ]),
    );
  });

  it('moves between reports with the arrow keys and names them in Chinese', async () => {
    localeStore.getState().setLocale('zh-CN');
    const { api } = scriptedApi();
    const services = fakeServices();
    services.store.getState().signIn(session);
    renderWith(<ReportsScreen name="sla-attainment" api={api} />, services);
    const tab = screen.getByRole('tab', { name: '按周和优先级的 SLA 达成率' });
    tab.focus();
    fireEvent.keyDown(tab, { key: 'ArrowDown' });
    expect(window.location.pathname).toBe('/reports/response-times');
    expect(screen.getByRole('tab', { name: '月度服务报告' })).toBeTruthy();
  });

  it('knows its presets', () => {
    const now = Date.parse('2026-03-04T06:00:00Z');
    expect(presetPeriod('lastMonth', now)).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(presetPeriod('last3Months', now)).toEqual({ from: '2025-12-01', to: '2026-02-28' });
    expect(presetPeriod('thisYear', now)).toEqual({ from: '2026-01-01', to: '2026-03-04' });
    expect(matchPreset({ from: '2026-03-01', to: '2026-03-04' }, now)).toBe('thisMonth');
    expect(matchPreset({ from: '2026-03-02', to: '2026-03-04' }, now)).toBeNull();
  });
});
