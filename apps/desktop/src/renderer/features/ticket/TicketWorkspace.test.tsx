import { cleanup } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localeStore } from '../../i18n/i18n';
import { createdEvent, makeTicket, session } from '../../test/fixtures';
import { fakeServices, renderWith } from '../../test/render';
import { usePaletteRegistry } from '../keyboard/paletteRegistry';
import { mayPerform } from './permissions';
import { TICKET_ACTIONS } from './TicketActions';
import { TicketWorkspace } from './TicketWorkspace';

let seen: string[] = [];
function PaletteProbe() {
  seen = usePaletteRegistry().map((a) => a.id);
  return null;
}

describe('<TicketWorkspace> palette actions', () => {
  beforeEach(() => localeStore.getState().setLocale('en'));
  afterEach(cleanup);

  it('offers only the actions the action bar enables (the same shared check)', () => {
    const services = fakeServices();
    services.store.getState().signIn(session);
    const ticket = makeTicket({ id: 't1', number: 'INC-1', status: 'closed' });
    services.store.getState().applyEvents([createdEvent(1, ticket)]);
    const stored = services.store.getState().tickets['t1'];
    if (!stored) throw new Error('ticket not in the store');
    renderWith(
      <>
        <TicketWorkspace ticketId="t1" />
        <PaletteProbe />
      </>,
      services,
    );
    const expected = TICKET_ACTIONS.filter(
      (spec) =>
        (spec.form || spec.id === 'accept' || spec.id === 'resume') &&
        (spec.variants ?? [null]).some((v) => mayPerform(session.user, stored, spec.command, v)),
    ).map((spec) => `ticket.${spec.id}`);
    const offered = seen.filter((id) => id.startsWith('ticket.'));
    expect(offered).toEqual(expected);
    // A closed ticket can be neither accepted, resolved nor pended.
    expect(offered).not.toContain('ticket.accept');
    expect(offered).not.toContain('ticket.resolve');
    expect(offered).not.toContain('ticket.pend');
  });
});
