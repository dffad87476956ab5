import { act, cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { localeStore } from '../../i18n/i18n';
import { useAppStore } from '../../store/StoreContext';
import { makeTicket, session } from '../../test/fixtures';
import { fakeServices, renderWith } from '../../test/render';
import { Milestones } from './Milestones';
import { TicketActions } from './TicketActions';

const engineer = { ...session, user: { ...session.user, id: 'u2', roles: ['engineer'] } };
const at = '2026-03-02T09:30:00.000Z';

function ticketWith(lead: boolean, customer: boolean, addedBy = 'u3') {
  return makeTicket({
    id: 't1',
    version: 7,
    status: 'in_progress',
    milestones: [
      {
        id: 'm1',
        title: 'Environment ready',
        addedAt: at,
        addedBy,
        leadConfirmation: lead ? { by: 'u2', at } : null,
        customerConfirmation: customer ? { by: 'u1', at, onBehalf: true } : null,
      },
    ],
  } as never);
}

describe('milestone sign-off', () => {
  beforeEach(() => localeStore.getState().setLocale('en'));
  afterEach(cleanup);

  it('does not offer the lead sign-off to whoever did the work (four eyes)', () => {
    const services = fakeServices();
    services.store.getState().signIn(engineer);
    const run = vi.fn(() => Promise.resolve({ ok: true, ticketId: 't1' }));
    renderWith(<Milestones ticket={ticketWith(false, false, 'u2')} run={run} />, services);
    const row = screen.getByRole('listitem', { name: 'Environment ready' });
    const lead = within(row).getByRole('button', { name: 'Confirm as lead' });
    expect(lead).toHaveProperty('disabled', true);
    expect(lead.getAttribute('title')).toMatch(/another team lead/);
  });

  it('asks for both sign-offs, sends the lead confirmation, and says what it blocks', async () => {
    const user = userEvent.setup();
    const services = fakeServices();
    services.store.getState().signIn(engineer);
    const run = vi.fn(() => Promise.resolve({ ok: true, ticketId: 't1' }));
    renderWith(<Milestones ticket={ticketWith(false, false)} run={run} />, services);
    expect(screen.getByRole('note').textContent).toMatch(/Resolve is blocked: 1 milestone/);
    const row = screen.getByRole('listitem', { name: 'Environment ready' });
    // Engineers confirm as lead; the customer side is the desk's.
    expect(within(row).getByRole('button', { name: 'Confirm for customer' })).toHaveProperty(
      'disabled',
      true,
    );
    await user.click(within(row).getByRole('button', { name: 'Confirm as lead' }));
    expect(run).toHaveBeenCalledWith({
      type: 'ticket.milestone.confirm',
      ticketId: 't1',
      milestoneId: 'm1',
      side: 'lead',
    });
  });

  it('blocks Resolve until both sides confirmed, then enables it', () => {
    const services = fakeServices();
    services.store.getState().signIn(engineer);
    const run = vi.fn(() => Promise.resolve({ ok: true, ticketId: 't1' }));
    services.store.getState().loadSnapshot({ seq: 1, tickets: [ticketWith(true, false)] });
    function Live() {
      const ticket = useAppStore((state) => state.tickets['t1']);
      return ticket ? (
        <TicketActions ticket={ticket} run={run} openForm={null} setOpenForm={() => undefined} />
      ) : null;
    }
    renderWith(<Live />, services);
    const resolve = () => screen.getByRole('button', { name: /^Resolve/ });
    expect(resolve()).toHaveProperty('disabled', true);
    expect(screen.getByText(/Resolve is blocked: 1 milestone/)).toBeTruthy();
    act(() => services.store.getState().upsertTicket({ ...ticketWith(true, true), lastSeq: 2 }));
    expect(resolve()).toHaveProperty('disabled', false);
  });

  it('shows who confirmed, and the customer side on behalf', () => {
    const services = fakeServices();
    services.store.getState().signIn(session);
    renderWith(<Milestones ticket={ticketWith(true, true)} run={vi.fn()} />, services);
    expect(screen.getByText(/on the customer’s behalf/)).toBeTruthy();
    expect(screen.getByText('Every milestone has both sign-offs.')).toBeTruthy();
  });
});
