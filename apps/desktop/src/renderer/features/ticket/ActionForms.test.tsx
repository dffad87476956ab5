import { cleanup, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { localeStore } from '../../i18n/i18n';
import { makeTicket, session } from '../../test/fixtures';
import { fakeServices, renderWith } from '../../test/render';
import { MajorIncidentForm } from './ActionForms';
import { mayDeclareMajorIncident } from './permissions';

const manager = {
  ...session,
  user: { ...session.user, id: 'u7', roles: ['duty_manager' as const] },
};

describe('<MajorIncidentForm>', () => {
  beforeEach(() => localeStore.getState().setLocale('en'));
  afterEach(cleanup);

  it('declares on the server major-incident endpoint with the note, not by a classify command', async () => {
    const user = userEvent.setup();
    const services = fakeServices();
    services.store.getState().signIn(manager);
    const ticket = makeTicket({ id: 't1', status: 'classified', category: 'network' });
    const run = vi.fn();
    const onDone = vi.fn();
    renderWith(<MajorIncidentForm ticket={ticket} run={run} onDone={onDone} />, services);
    await user.type(screen.getByLabelText(/Note for the incident record/), 'Core network down');
    await user.click(screen.getByRole('button', { name: 'Declare major incident' }));
    expect(services.api.declareMajorIncident).toHaveBeenCalledWith('tok-1', 't1', {
      note: 'Core network down',
    });
    expect(run).not.toHaveBeenCalled();
    expect(services.bridge.sendCommand).not.toHaveBeenCalled();
    expect(onDone).toHaveBeenCalled();
  });

  it('keeps the form open and says why when the server refuses', async () => {
    const user = userEvent.setup();
    const services = fakeServices();
    services.api.declareMajorIncident = vi.fn(() =>
      Promise.resolve({
        ok: false as const,
        code: 'conflict',
        message: 'Already a major incident',
      }),
    );
    services.store.getState().signIn(manager);
    const onDone = vi.fn();
    renderWith(
      <MajorIncidentForm
        ticket={makeTicket({ id: 't1', status: 'classified', category: 'network' })}
        run={vi.fn()}
        onDone={onDone}
      />,
      services,
    );
    await user.click(screen.getByRole('button', { name: 'Declare major incident' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Not declared: Already a major incident',
    );
    expect(onDone).not.toHaveBeenCalled();
  });

  it('is offered to duty managers and admins only, as the endpoint allows', () => {
    const ticket = makeTicket({ id: 't1', status: 'classified', category: 'network' });
    expect(mayDeclareMajorIncident(manager.user, ticket)).toBe(true);
    expect(mayDeclareMajorIncident(session.user, ticket)).toBe(false);
    expect(mayDeclareMajorIncident(manager.user, { ...ticket, majorIncident: true })).toBe(false);
  });
});
