import { cleanup, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { localeStore } from '../../i18n/i18n';
import { makeTicket, session } from '../../test/fixtures';
import { fakeServices, renderWith } from '../../test/render';
import { ClassifyForm, ContactForm } from './ActionForms';
import { mayActAtAll, mayPerform } from './permissions';

const agent = { ...session.user, id: 'u-agent', roles: ['agent'], groupIds: ['l1'] };
const ok = () => Promise.resolve({ ok: true, ticketId: 't1' });

describe('classify keeps the priority (issue 13 point 2)', () => {
  beforeEach(() => localeStore.getState().setLocale('en'));
  afterEach(cleanup);

  it('sends no priority when the user keeps it, though the matrix suggests another', async () => {
    const user = userEvent.setup();
    const run = vi.fn(ok);
    const ticket = makeTicket({ id: 't1', priority: 'P2', impact: 'low', urgency: 'low' });
    renderWith(<ClassifyForm ticket={ticket} run={run} onDone={vi.fn()} />, fakeServices());
    expect(screen.getByTestId('classify-priority-note').textContent).toMatch(
      /Priority stays P2\. Impact × urgency suggests P3\./,
    );
    await user.type(screen.getByLabelText('Category'), 'network');
    await user.click(screen.getByRole('button', { name: 'Classify' }));
    expect(run).toHaveBeenCalledTimes(1);
    const sent = (run.mock.calls[0] as unknown as [Record<string, unknown>])[0];
    expect(sent).not.toHaveProperty('priority');
    expect(sent).toMatchObject({ type: 'ticket.classify', category: 'network' });
  });

  it('says so before sending when the priority changes, and sends the reason', async () => {
    const user = userEvent.setup();
    const run = vi.fn(ok);
    const ticket = makeTicket({ id: 't1', priority: 'P2' });
    renderWith(<ClassifyForm ticket={ticket} run={run} onDone={vi.fn()} />, fakeServices());
    await user.type(screen.getByLabelText('Category'), 'network');
    await user.selectOptions(screen.getByTestId('classify-priority'), 'P1');
    expect(screen.getByTestId('classify-priority-note').textContent).toMatch(
      /Priority changes from P2 to P1\./,
    );
    await user.click(screen.getByRole('button', { name: 'Classify' }));
    expect(run).not.toHaveBeenCalled();
    await user.type(screen.getByLabelText('Reason for the priority change'), 'whole site down');
    await user.click(screen.getByRole('button', { name: 'Classify' }));
    expect(run).toHaveBeenCalledWith(
      expect.objectContaining({ priority: 'P1', reason: 'whole site down' }),
    );
  });
});

describe('record customer contact (issue 13 point 4)', () => {
  beforeEach(() => localeStore.getState().setLocale('en'));
  afterEach(cleanup);

  it('names the deadline it meets and sends no expectedVersion', async () => {
    const user = userEvent.setup();
    const run = vi.fn(ok);
    const ticket = makeTicket({
      id: 't1',
      kind: 'complaint',
      contacts: [
        {
          id: 'c1',
          at: '2026-03-02T08:00:00.000Z',
          actorId: 'u1',
          channel: 'phone',
          summary: 'first call',
          target: 'contact-15m',
        },
      ] as never,
    });
    renderWith(<ContactForm ticket={ticket} run={run} onDone={vi.fn()} />, fakeServices());
    expect(screen.getByTestId('contact-target').textContent).toBe(
      'This contact meets the 2-hour contact deadline.',
    );
    await user.selectOptions(screen.getByLabelText('How'), 'email');
    await user.type(screen.getByLabelText('What was said'), 'sent the refund details');
    await user.click(screen.getByRole('button', { name: 'Record customer contact' }));
    expect(run).toHaveBeenCalledWith({
      type: 'ticket.contact.record',
      ticketId: 't1',
      channel: 'email',
      summary: 'sent the refund details',
    });
  });
});

describe('the desk keeps its rights on a ticket in L2 (issue 13 point 1)', () => {
  it('enables the desk’s actions and hides the read-only notice for the agent', () => {
    const ticket = makeTicket({
      id: 't1',
      status: 'resolved',
      groupId: 'l2-network',
      assigneeId: 'u-eng',
      createdBy: 'u-agent',
    });
    expect(mayActAtAll(agent, ticket)).toBe(true);
    expect(mayPerform(agent, ticket, 'ticket.followUp', 'satisfied')).toBe(true);
    expect(mayPerform(agent, ticket, 'ticket.comment')).toBe(true);
    expect(mayPerform(agent, ticket, 'ticket.log.supervision')).toBe(true);
    expect(mayPerform(agent, { ...ticket, status: 'in_progress' }, 'ticket.resolve')).toBe(false);
    const l3 = { ...agent, id: 'u-l3', roles: ['engineer'], groupIds: ['l3'] };
    expect(mayActAtAll(l3, ticket)).toBe(false);
  });
});
