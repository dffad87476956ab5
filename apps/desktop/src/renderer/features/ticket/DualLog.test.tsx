import { act, cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { localeStore } from '../../i18n/i18n';
import { useAppStore } from '../../store/StoreContext';
import { classifiedEvent, makeTicket, session } from '../../test/fixtures';
import { fakeServices, renderWith } from '../../test/render';
import { DualLog } from './DualLog';
import { draftKey } from './drafts';

const engineer = { ...session, user: { ...session.user, id: 'u2', roles: ['engineer'] } };

function entry(id: string, work: string, correctsEntryId: string | null = null) {
  return {
    id,
    at: '2026-03-02T09:10:00.000Z',
    actorId: 'u2',
    work,
    problems: null,
    progress: 40,
    minutesSpent: 30,
    correctsEntryId,
  };
}

describe('<DualLog>', () => {
  beforeEach(() => {
    localStorage.clear();
    localeStore.getState().setLocale('en');
  });
  afterEach(cleanup);

  it('shows both logs side by side and sends an execution entry without expectedVersion (append-only)', async () => {
    const user = userEvent.setup();
    const services = fakeServices();
    services.store.getState().signIn(engineer);
    const ticket = makeTicket({ id: 't1', version: 4 });
    const onTyping = vi.fn();
    const run = vi.fn(() => Promise.resolve({ ok: true, ticketId: 't1' }));
    renderWith(<DualLog ticket={ticket} run={run} onTyping={onTyping} />, services);
    expect(screen.getByRole('heading', { name: 'Execution log' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Supervision log' })).toBeTruthy();
    const form = screen.getByRole('form', { name: 'New execution log entry' });
    await user.type(within(form).getByLabelText('Work done'), 'Replaced the uplink');
    await user.clear(within(form).getByLabelText('Progress %'));
    await user.type(within(form).getByLabelText('Progress %'), '60');
    await user.clear(within(form).getByLabelText('Minutes spent'));
    await user.type(within(form).getByLabelText('Minutes spent'), '45');
    expect(onTyping).toHaveBeenCalled();
    await user.click(within(form).getByRole('button', { name: 'Add entry' }));
    expect(run).toHaveBeenCalledWith({
      type: 'ticket.log.execution',
      ticketId: 't1',
      work: 'Replaced the uplink',
      problems: null,
      progress: 60,
      minutesSpent: 45,
    });
    expect((within(form).getByLabelText('Work done') as HTMLTextAreaElement).value).toBe('');
  });

  it('corrects an entry by writing a new one linked to it; the old one stays, marked', async () => {
    const user = userEvent.setup();
    const services = fakeServices();
    services.store.getState().signIn(engineer);
    const run = vi.fn(() => Promise.resolve({ ok: true, ticketId: 't1' }));
    const ticket = makeTicket({
      id: 't1',
      version: 6,
      executionLog: [
        entry('e1', 'Rebooted the switch'),
        entry('e2', 'Rebooted core switch 2', 'e1'),
      ],
    } as never);
    renderWith(<DualLog ticket={ticket} run={run} onTyping={() => undefined} />, services);
    const entries = within(screen.getByTestId('execution-entries')).getAllByRole('listitem');
    expect(entries).toHaveLength(2);
    expect(within(entries[0] as HTMLElement).getByText('Corrected')).toBeTruthy();
    expect(within(entries[1] as HTMLElement).getByText('Correction')).toBeTruthy();
    await user.click(within(entries[1] as HTMLElement).getByRole('button', { name: 'Correct' }));
    const form = screen.getByRole('form', { name: 'New execution log entry' });
    const work = within(form).getByLabelText('Work done') as HTMLTextAreaElement;
    expect(work.value).toBe('Rebooted core switch 2');
    await user.clear(work);
    await user.type(work, 'Rebooted core switch 2 and 3');
    await user.click(within(form).getByRole('button', { name: 'Save correction' }));
    expect(run).toHaveBeenCalledWith(
      expect.objectContaining({ correctsEntryId: 'e2', work: 'Rebooted core switch 2 and 3' }),
    );
  });

  it('keeps drafts in localStorage and keeps focus while live updates arrive', async () => {
    const user = userEvent.setup();
    const services = fakeServices();
    services.store.getState().signIn(engineer);
    const run = vi.fn(() => Promise.resolve({ ok: false, ticketId: null }));
    services.store
      .getState()
      .loadSnapshot({ seq: 1, tickets: [makeTicket({ id: 't1', version: 1 })] });
    function Live() {
      const ticket = useAppStore((state) => state.tickets['t1']);
      return ticket ? <DualLog ticket={ticket} run={run} onTyping={() => undefined} /> : null;
    }
    renderWith(<Live />, services);
    const work = screen.getByLabelText('Work done');
    await user.type(work, 'Half a thought');
    expect(
      JSON.parse(localStorage.getItem(draftKey('u2', 't1', 'execution')) ?? '{}'),
    ).toMatchObject({
      work: 'Half a thought',
    });
    act(() => {
      services.store.getState().applyEvents([classifiedEvent(2, 't1', 2, { category: 'network' })]);
    });
    expect(services.store.getState().tickets['t1']?.version).toBe(2);
    expect(document.activeElement).toBe(work);
    cleanup();
    renderWith(<Live />, services);
    expect((screen.getByLabelText('Work done') as HTMLTextAreaElement).value).toBe(
      'Half a thought',
    );
  });

  it('lets an agent write the supervision log with ratings but not the execution log', async () => {
    const user = userEvent.setup();
    const services = fakeServices();
    services.store.getState().signIn(session);
    const run = vi.fn(() => Promise.resolve({ ok: true, ticketId: 't1' }));
    renderWith(
      <DualLog
        ticket={makeTicket({ id: 't1', version: 3 })}
        run={run}
        onTyping={() => undefined}
      />,
      services,
    );
    expect(screen.queryByRole('form', { name: 'New execution log entry' })).toBeNull();
    const form = screen.getByRole('form', { name: 'New supervision log entry' });
    await user.click(within(form).getByLabelText('From the customer'));
    await user.type(within(form).getByLabelText('Feedback'), 'Quick and polite');
    await user.selectOptions(within(form).getByLabelText('Overall'), '5');
    await user.click(within(form).getByRole('button', { name: 'Add entry' }));
    expect(run).toHaveBeenCalledWith({
      type: 'ticket.log.supervision',
      ticketId: 't1',
      source: 'customer',
      attitude: null,
      professionalism: null,
      feedback: 'Quick and polite',
      ratings: { overall: 5 },
    });
  });
});
