import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { localeStore } from '../../i18n/i18n';
import { makeTicket, session } from '../../test/fixtures';
import { fakeServices, renderWith } from '../../test/render';
import { TicketWorkspace } from './TicketWorkspace';

describe('conflict banner', () => {
  beforeEach(() => localeStore.getState().setLocale('en'));
  afterEach(cleanup);

  it('sends the version the form was opened on and, on conflict, shows the fresh ticket without retrying', async () => {
    const user = userEvent.setup();
    const services = fakeServices();
    const stale = makeTicket({ id: 't1', version: 1, status: 'received', lastSeq: 1 });
    const fresh = makeTicket({
      id: 't1',
      version: 3,
      status: 'classified',
      priority: 'P1',
      category: 'network',
      lastSeq: 5,
    });
    services.store.getState().signIn(session);
    services.store.getState().loadSnapshot({ seq: 1, tickets: [stale] });
    const sendCommand = vi.fn(() =>
      Promise.resolve({
        ok: false as const,
        error: { code: 'conflict' as const, message: 'version 3, expected 1', ticket: fresh },
      }),
    );
    services.bridge.sendCommand = sendCommand;
    renderWith(<TicketWorkspace ticketId="t1" />, services);
    await user.click(screen.getByRole('button', { name: /^Classify/ }));
    const form = screen.getByRole('form', { name: 'Classify' });
    await user.type(within(form).getByLabelText('Category'), 'printer');
    await user.click(within(form).getByRole('button', { name: 'Classify' }));
    expect(sendCommand).toHaveBeenCalledTimes(1);
    expect(sendCommand).toHaveBeenCalledWith(
      expect.objectContaining({ type: 'ticket.classify', expectedVersion: 1, category: 'printer' }),
    );
    const banner = await screen.findByTestId('conflict-banner');
    expect(banner.textContent).toMatch(/Your “Classify” was NOT applied/);
    expect(banner.textContent).toMatch(/version 1; the ticket is now at version 3/);
    expect(within(banner).getByText('Classified')).toBeTruthy();
    expect(within(banner).getByText('P1 critical')).toBeTruthy();
    // The fresh ticket is what the store shows now; nothing was retried.
    expect(services.store.getState().tickets['t1']?.version).toBe(3);
    expect(sendCommand).toHaveBeenCalledTimes(1);
    // The form stays with what was typed.
    expect((within(form).getByLabelText('Category') as HTMLInputElement).value).toBe('printer');
    await user.click(within(banner).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByTestId('conflict-banner')).toBeNull();
  });
});
