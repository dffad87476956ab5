import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Ticket } from '../../realtime/contract';
import { makeTicket, runningTarget, session, T0 } from '../../test/fixtures';
import { fakeServices, renderWith } from '../../test/render';
import { QueueView } from './QueueView';

const VIEWPORT = 440; // ten rows of 44 px

// jsdom has no layout: give the scroll container a height so the virtualiser
// has a viewport to fill.
let restore: (() => void) | undefined;
beforeAll(() => {
  const original = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientHeight');
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return this.classList.contains('queue__scroll') ? VIEWPORT : 0;
    },
  });
  restore = () => {
    if (original) Object.defineProperty(HTMLElement.prototype, 'clientHeight', original);
  };
});
afterAll(() => restore?.());
afterEach(() => cleanup());

function load(tickets: Ticket[]) {
  const services = fakeServices();
  services.store.getState().signIn(session);
  services.store.getState().loadSnapshot({ seq: 1, tickets });
  return services;
}

/** Rows of the queue (the filters' <option>s share the role). */
function rows(): HTMLElement[] {
  return within(screen.getByRole('listbox')).getAllByRole('option');
}

function visibleNumbers(): string[] {
  return rows().map((row) => within(row).getByText(/^INC-/).textContent ?? '');
}

const mixed = [
  makeTicket({
    id: '1',
    priority: 'P3',
    groupId: 'l2',
    sla: { targets: [runningTarget('resolve', T0 + 8 * 3_600_000)] },
  }),
  makeTicket({
    id: '2',
    priority: 'P1',
    assigneeId: 'u1',
    sla: { targets: [runningTarget('response', T0 + 10 * 60_000)] },
  }),
  makeTicket({
    id: '3',
    priority: 'P2',
    status: 'pending',
    sla: { targets: [{ name: 'resolve', dueAt: null, state: 'paused' }] },
  }),
  makeTicket({
    id: '4',
    priority: 'P2',
    title: 'Printer on fire',
    sla: { targets: [runningTarget('response', T0 + 30 * 60_000)] },
  }),
  makeTicket({ id: '5', priority: 'P1', status: 'closed' }),
];

describe('<QueueView>', () => {
  it('renders only the visible rows of 10 000 tickets', () => {
    const tickets = Array.from({ length: 10_000 }, (_, i) =>
      makeTicket({
        id: String(i + 1),
        sla: { targets: [runningTarget('resolve', T0 + (i + 1) * 60_000)] },
      }),
    );
    renderWith(<QueueView onOpen={vi.fn()} />, load(tickets));
    const rendered = rows();
    expect(rendered.length).toBeGreaterThanOrEqual(10);
    expect(rendered.length).toBeLessThan(30);
    expect(screen.getByText('10,000 of 10,000 tickets')).toBeTruthy();
    expect(rendered[0]?.getAttribute('aria-setsize')).toBe('10000');
  });

  it('sorts by time left by default: running deadlines first, paused after, open only', () => {
    renderWith(<QueueView onOpen={vi.fn()} />, load(mixed));
    expect(visibleNumbers()).toEqual(['INC-000002', 'INC-000004', 'INC-000001', 'INC-000003']);
  });

  it('sorts by priority', async () => {
    const user = userEvent.setup();
    renderWith(<QueueView onOpen={vi.fn()} />, load(mixed));
    await user.selectOptions(screen.getByLabelText('Sort'), 'priority');
    expect(visibleNumbers()).toEqual(['INC-000002', 'INC-000004', 'INC-000003', 'INC-000001']);
  });

  it('filters by priority, group, status, assignee and text', async () => {
    const user = userEvent.setup();
    renderWith(<QueueView onOpen={vi.fn()} />, load(mixed));
    await user.selectOptions(screen.getByLabelText('Priority'), 'P2');
    expect(visibleNumbers()).toEqual(['INC-000004', 'INC-000003']);
    await user.selectOptions(screen.getByLabelText('Status'), 'pending');
    expect(visibleNumbers()).toEqual(['INC-000003']);
    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    await user.selectOptions(screen.getByLabelText('Group'), 'l2');
    expect(visibleNumbers()).toEqual(['INC-000001']);
    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    await user.selectOptions(screen.getByLabelText('Assignee'), 'me');
    expect(visibleNumbers()).toEqual(['INC-000002']);
    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    await user.selectOptions(screen.getByLabelText('Status'), '');
    expect(visibleNumbers()).toHaveLength(5);
    await user.type(screen.getByLabelText('Filter'), 'printer');
    expect(visibleNumbers()).toEqual(['INC-000004']);
  });

  it('says so when nothing matches', async () => {
    const user = userEvent.setup();
    renderWith(<QueueView onOpen={vi.fn()} />, load(mixed));
    await user.type(screen.getByLabelText('Filter'), 'no such ticket');
    expect(screen.getByText('No tickets match these filters.')).toBeTruthy();
  });

  it('shows priority as a label, not colour alone', () => {
    renderWith(<QueueView onOpen={vi.fn()} />, load(mixed));
    const first = rows()[0];
    const badge = within(first as HTMLElement).getByText('P1');
    expect(badge.className).toContain('priority--P1');
  });

  it('moves with j/k, opens with Enter, focuses the filter with /', async () => {
    const user = userEvent.setup();
    const onOpen = vi.fn();
    renderWith(<QueueView onOpen={onOpen} />, load(mixed));
    await user.keyboard('j');
    expect(rows()[0]?.getAttribute('aria-selected')).toBe('true');
    await user.keyboard('jjk');
    const selected = rows().filter((r) => r.ariaSelected === 'true');
    expect(selected.map((r) => r.id)).toEqual(['queue-row-4']);
    await user.keyboard('{Enter}');
    expect(onOpen).toHaveBeenCalledWith('4');
    await user.keyboard('/');
    expect(document.activeElement).toBe(screen.getByLabelText('Filter'));
    await user.keyboard('j');
    expect((screen.getByLabelText('Filter') as HTMLInputElement).value).toBe('j');
  });

  it('opens a row on double click', () => {
    const onOpen = vi.fn();
    renderWith(<QueueView onOpen={onOpen} />, load(mixed));
    const row = rows()[1] as HTMLElement;
    fireEvent.doubleClick(row);
    expect(onOpen).toHaveBeenCalledWith('4');
  });
});
