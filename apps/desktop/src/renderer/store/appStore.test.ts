import { describe, expect, it } from 'vitest';
import { makeTicket, session, ticketEvent, T0 } from '../test/fixtures';
import { createAppStore } from './appStore';
import { applyAlertEvent, selectOpenAlertCount } from './slices/alerts';

const alertEvent = (seq: number, type: string, data: unknown) => ({
  seq,
  id: `e${seq}`,
  type,
  ticketId: '1',
  at: new Date(T0 + seq).toISOString(),
  actorId: 'u9',
  data,
});

describe('app store', () => {
  it('applies ticket events through the reducer and keeps untouched tickets identical', () => {
    const store = createAppStore();
    const other = makeTicket({ id: '2' });
    store.getState().loadSnapshot({ seq: 10, tickets: [makeTicket({ id: '1' }), other] });
    store
      .getState()
      .applyEvents([ticketEvent(11, makeTicket({ id: '1', version: 2, title: 'updated' }))]);
    const state = store.getState();
    expect(state.lastSeq).toBe(11);
    expect(state.tickets['1']?.title).toBe('updated');
    expect(state.tickets['2']).toBe(other);
  });

  it('ignores an older version of a ticket', () => {
    const store = createAppStore();
    store.getState().loadSnapshot({ seq: 1, tickets: [makeTicket({ id: '1', version: 5 })] });
    store
      .getState()
      .applyEvents([ticketEvent(2, makeTicket({ id: '1', version: 4, title: 'old' }))]);
    expect(store.getState().tickets['1']?.version).toBe(5);
    expect(store.getState().lastSeq).toBe(2);
  });

  it('routes alert events to the alerts slice and counts open ones', () => {
    const store = createAppStore();
    store
      .getState()
      .applyEvents([
        alertEvent(1, 'alert.raised', { alertId: 'a1', level: 2, message: 'P1 unacknowledged' }),
        alertEvent(2, 'alert.raised', { alertId: 'a2' }),
        alertEvent(3, 'alert.acknowledged', { alertId: 'a1' }),
      ]);
    const { alerts } = store.getState();
    expect(alerts['a1']).toMatchObject({ level: 2, ackedBy: 'u9', ticketId: '1' });
    expect(selectOpenAlertCount(store.getState())).toBe(1);
  });

  it('leaves alerts alone on malformed or unknown alert events', () => {
    const before = {};
    expect(applyAlertEvent(before, alertEvent(1, 'alert.raised', { nope: 1 }))).toBe(before);
    expect(applyAlertEvent(before, alertEvent(1, 'alert.unknown', {}))).toBe(before);
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
