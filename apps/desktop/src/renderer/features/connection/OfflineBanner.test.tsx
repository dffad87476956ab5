import { act, cleanup, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { localeStore } from '../../i18n/i18n';
import { createdEvent, makeTicket, T0 } from '../../test/fixtures';
import { fakeServices, renderWith } from '../../test/render';
import { OfflineBanner, RECOVERED_NOTICE_MS } from './OfflineBanner';

describe('<OfflineBanner>', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    localeStore.getState().setLocale('en');
  });
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  it('says Offline with the waiting commands and their commandId, then how much it caught up', () => {
    const services = fakeServices();
    const store = services.store;
    store.getState().applyEvents([createdEvent(1, makeTicket({ id: 't1', number: 'INC-7' }))]);
    store.getState().setConnection({ status: 'live' });
    renderWith(<OfflineBanner />, services);
    expect(screen.queryByTestId('offline-banner')).toBeNull();

    act(() => {
      store.getState().setConnection({ status: 'reconnecting', lostAt: T0 });
      store.getState().queueOutbox({
        commandId: '0b6c2a4e-1111-4222-8333-944455556666',
        type: 'ticket.comment',
        ticketId: 't1',
        queuedAt: T0,
      });
    });
    const banner = screen.getByTestId('offline-banner');
    expect(banner.getAttribute('role')).toBe('alert');
    expect(banner.textContent).toContain('Offline.');
    expect(banner.textContent).toContain('1 waiting to send:');
    const item = screen.getByText('INC-7').closest('li');
    expect(item?.getAttribute('data-command-id')).toBe('0b6c2a4e-1111-4222-8333-944455556666');
    expect(item?.textContent).toContain('Comment');
    expect(item?.textContent).toContain('0b6c2a4e');

    act(() => {
      store.getState().removeOutbox('0b6c2a4e-1111-4222-8333-944455556666');
      store.getState().setConnection({
        status: 'live',
        lostAt: null,
        recovered: { events: 4, at: T0 + 12_000 },
      });
    });
    expect(screen.getByTestId('offline-banner').textContent).toBe(
      'Back online: 4 events caught up',
    );
    act(() => {
      vi.advanceTimersByTime(RECOVERED_NOTICE_MS);
    });
    expect(screen.queryByTestId('offline-banner')).toBeNull();
  });
});
