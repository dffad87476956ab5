import { cleanup, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { localeStore } from '../../i18n/i18n';
import type { Ticket } from '../../realtime/contract';
import { makeTicket, session } from '../../test/fixtures';
import { fakeServices, renderWith } from '../../test/render';
import { TicketWorkspace } from './TicketWorkspace';

const comment = (id: string, body: string): Ticket['comments'][number] =>
  ({
    id,
    at: '2026-03-02T02:00:00.000Z',
    authorId: null,
    body,
    internal: false,
  }) as unknown as Ticket['comments'][number];

describe('<TicketWorkspace> with a cut copy (decision 20)', () => {
  beforeEach(() => localeStore.getState().setLocale('en'));
  afterEach(cleanup);

  it("reads the ticket whole when the store holds a snapshot's cut copy, and shows its oldest entries", async () => {
    const services = fakeServices();
    services.store.getState().signIn(session);
    const cut = makeTicket({
      id: 't1',
      number: 'INC-1',
      lastSeq: 5,
      comments: [comment('c2', 'Latest note')],
      omitted: { comments: 1, executionLog: 0, supervisionLog: 0 },
    });
    const whole = makeTicket({
      id: 't1',
      number: 'INC-1',
      lastSeq: 5,
      comments: [comment('c1', 'Oldest note'), comment('c2', 'Latest note')],
    });
    services.store.getState().loadSnapshot({ seq: 5, tickets: [cut] });
    services.api.getTicket = vi.fn(() => Promise.resolve(whole));
    renderWith(<TicketWorkspace ticketId="t1" />, services);
    await waitFor(() => expect(screen.getByText('Oldest note')).toBeTruthy());
    expect(services.api.getTicket).toHaveBeenCalledWith(session.token, 't1');
    expect(services.store.getState().tickets['t1']?.omitted).toBeUndefined();
  });
});
