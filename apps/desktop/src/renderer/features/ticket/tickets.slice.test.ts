import type { Ticket } from '../../realtime/contract';
import { describe, expect, it } from 'vitest';
import { makeEvent, makeTicket } from '../../test/fixtures';
import { createAppStore } from '../../store/appStore';

const comment = (id: string, body: string): Ticket['comments'][number] =>
  ({
    id,
    at: '2026-03-02T02:00:00.000Z',
    authorId: 'u1',
    body,
    internal: false,
  }) as unknown as Ticket['comments'][number];

describe('tickets slice: cut copies and withheld events', () => {
  it('a whole copy at the same seq replaces one cut to its latest entries (`omitted`), never the other way round', () => {
    const store = createAppStore();
    const cut = makeTicket({
      id: '1',
      lastSeq: 9,
      comments: [comment('c3', 'latest')],
      omitted: { comments: 2, executionLog: 0, supervisionLog: 0 },
    });
    store.getState().loadSnapshot({ seq: 9, tickets: [cut] });
    const whole = makeTicket({
      id: '1',
      lastSeq: 9,
      comments: [comment('c1', 'first'), comment('c2', 'second'), comment('c3', 'latest')],
    });
    store.getState().upsertTicket(whole);
    expect(store.getState().tickets['1']?.comments.map((c) => c.body)).toEqual([
      'first',
      'second',
      'latest',
    ]);
    expect(store.getState().tickets['1']?.omitted).toBeUndefined();
    store.getState().upsertTicket(cut);
    expect(store.getState().tickets['1']?.comments).toHaveLength(3);
  });

  it('an event.withheld advances the seq and touches no ticket', () => {
    const store = createAppStore();
    const ticket = makeTicket({ id: '1', lastSeq: 4 });
    store.getState().loadSnapshot({ seq: 4, tickets: [ticket] });
    store.getState().applyEvents([makeEvent(5, 'event.withheld', null, {}, null)]);
    expect(store.getState().lastSeq).toBe(5);
    expect(store.getState().tickets['1']).toBe(ticket);
  });
});
