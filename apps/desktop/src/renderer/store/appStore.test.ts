import { describe, expect, it } from 'vitest';
import { classifiedEvent, makeEvent, makeTicket, session } from '../test/fixtures';
import { createAppStore } from './appStore';
import { applyAlertEvent, selectOpenAlertCount } from '../features/alerts/alerts.slice';

const raised = (seq: number, data: Record<string, unknown>) =>
  makeEvent(
    seq,
    'alert.raised',
    '1',
    { kind: 'sla', severity: 'warning', message: '', ...data },
    null,
  );

describe('app store', () => {
  it('applies ticket events through the reducer and keeps untouched tickets identical', () => {
    const store = createAppStore();
    const other = makeTicket({ id: '2' });
    store.getState().loadSnapshot({ seq: 10, tickets: [makeTicket({ id: '1' }), other] });
    store.getState().applyEvents([classifiedEvent(11, '1', 2, { category: 'updated' })]);
    const state = store.getState();
    expect(state.lastSeq).toBe(11);
    expect(state.tickets['1']?.category).toBe('updated');
    expect(state.tickets['2']).toBe(other);
  });

  it('ignores events the ticket already holds, and older REST copies', () => {
    const store = createAppStore();
    const held = makeTicket({ id: '1', version: 5, lastSeq: 9 });
    store.getState().loadSnapshot({ seq: 9, tickets: [held] });
    store.getState().applyEvents([classifiedEvent(8, '1', 4, { category: 'old' })]);
    expect(store.getState().tickets['1']).toBe(held);
    store.getState().upsertTicket(makeTicket({ id: '1', version: 4, lastSeq: 7 }));
    expect(store.getState().tickets['1']).toBe(held);
    store.getState().upsertTicket(makeTicket({ id: '1', version: 6, lastSeq: 12 }));
    expect(store.getState().tickets['1']?.version).toBe(6);
  });

  it('routes alert events to the alerts slice and counts open ones', () => {
    const store = createAppStore({ session });
    store
      .getState()
      .applyEvents([
        raised(1, { alertId: 'a1', level: 2, message: 'P1 unacknowledged' }),
        raised(2, { alertId: 'a2' }),
        makeEvent(3, 'alert.acknowledged', '1', { alertId: 'a1' }, 'u9'),
      ]);
    const { alerts } = store.getState();
    expect(alerts['a1']).toMatchObject({ level: 2, ackedBy: 'u9', ticketId: '1' });
    expect(selectOpenAlertCount(store.getState())).toBe(1);
  });

  it('leaves alerts alone on malformed or unknown alert events', () => {
    const before = {};
    const base = { ticketId: '1', at: '2026-03-02T09:00:00.000Z', actorId: null };
    expect(applyAlertEvent(before, { ...base, type: 'alert.raised', data: { nope: 1 } })).toBe(
      before,
    );
    expect(applyAlertEvent(before, { ...base, type: 'alert.unknown', data: {} })).toBe(before);
  });

  it('forgets server facts on sign-out', () => {
    const store = createAppStore({ session });
    store.getState().loadSnapshot({ seq: 4, tickets: [makeTicket({ id: '1' })] });
    store.getState().signOut();
    expect(store.getState()).toMatchObject({ session: null, tickets: {}, lastSeq: 0 });
  });

  it('updates presence per ticket', () => {
    const store = createAppStore();
    const viewer = { userId: 'u2', displayName: 'Wang Wei', typing: true };
    store.getState().setPresence({ ticketId: '1', viewers: [viewer] });
    expect(store.getState().presence['1']).toEqual([viewer]);
    store.getState().setPresence({ ticketId: '1', viewers: [] });
    expect(store.getState().presence['1']).toBeUndefined();
  });
});
