import { act, cleanup, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { localeStore } from '../../i18n/i18n';
import { createdEvent, makeTicket, session } from '../../test/fixtures';
import { fakeServices, renderWith } from '../../test/render';
import { CommandPalette } from './CommandPalette';

describe('<CommandPalette> finds tickets', () => {
  beforeEach(() => localeStore.getState().setLocale('en'));
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('lists tickets the seat holds by number or title and opens the chosen one', async () => {
    const user = userEvent.setup();
    const services = fakeServices();
    services.store.getState().signIn(session);
    services.store
      .getState()
      .applyEvents([
        createdEvent(1, makeTicket({ id: 't1', number: 'INC-2026-000001', title: 'Printer jam' })),
        createdEvent(2, makeTicket({ id: 't2', number: 'INC-2026-000002', title: 'VPN down' })),
      ]);
    const onClose = vi.fn();
    renderWith(<CommandPalette actions={[]} onClose={onClose} />, services);
    await user.keyboard('printer');
    const options = screen.getAllByRole('option').map((o) => o.textContent);
    expect(options).toEqual(['Open INC-2026-000001: Printer jam']);
    await user.keyboard('{Enter}');
    expect(onClose).toHaveBeenCalled();
    await act(() => Promise.resolve());
    expect(window.location.pathname).toBe('/tickets/t1');
  });

  it('looks a number it does not hold (a closed ticket) up on the server', async () => {
    const user = userEvent.setup();
    const fetchMock = vi.fn((url: string) =>
      Promise.resolve(
        url.includes('INC-2025-000777')
          ? new Response(
              JSON.stringify({ id: 'old', number: 'INC-2025-000777', title: 'Closed one' }),
              {
                status: 200,
              },
            )
          : new Response('{"error":{"code":"not_found"}}', { status: 404 }),
      ),
    );
    vi.stubGlobal('fetch', fetchMock);
    const services = fakeServices();
    services.store.getState().signIn(session);
    renderWith(<CommandPalette actions={[]} onClose={vi.fn()} />, services);
    await user.keyboard('INC-2025-000777');
    expect(await screen.findByText('Open INC-2025-000777: Closed one')).toBeTruthy();
    expect(fetchMock.mock.calls[0]?.[0]).toBe('/api/tickets/by-number/INC-2025-000777');
    await user.clear(screen.getByRole('combobox'));
    await user.keyboard('INC-2025-000999');
    expect(await screen.findByText('No ticket INC-2025-000999.')).toBeTruthy();
  });
});
