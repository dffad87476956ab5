import { describe, expect, it, vi } from 'vitest';
import type { Host } from '../host/host';
import { createAppStore } from '../store/appStore';
import { T0 } from '../test/fixtures';
import { watchAlerts } from './alertEffects';

const raise = (seq: number, alertId: string) => ({
  seq,
  id: `e${seq}`,
  type: 'alert.raised',
  ticketId: 't1',
  at: new Date(T0).toISOString(),
  actorId: null,
  data: { alertId, level: 1, message: 'ack within 5 min' },
});

describe('watchAlerts', () => {
  it('notifies and flashes once per new alert and keeps the badge at the open count', () => {
    const store = createAppStore();
    const host: Host = {
      kind: 'browser',
      notify: vi.fn(),
      setBadgeCount: vi.fn(),
      flashFrame: vi.fn(),
      onOpenTicket: vi.fn(() => () => undefined),
      requestNotificationPermission: vi.fn(),
    };
    watchAlerts(store, host, (alert) => ({ title: `L${alert.level}`, body: alert.message }));
    expect(host.setBadgeCount).toHaveBeenLastCalledWith(0);
    store.getState().applyEvents([raise(1, 'a1')]);
    store.getState().applyEvents([raise(2, 'a2')]);
    expect(host.notify).toHaveBeenCalledTimes(2);
    expect(host.notify).toHaveBeenCalledWith({
      title: 'L1',
      body: 'ack within 5 min',
      ticketId: 't1',
    });
    expect(host.flashFrame).toHaveBeenCalledTimes(2);
    expect(host.setBadgeCount).toHaveBeenLastCalledWith(2);
    store
      .getState()
      .applyEvents([{ ...raise(3, 'a1'), type: 'alert.acknowledged', data: { alertId: 'a1' } }]);
    expect(host.notify).toHaveBeenCalledTimes(2);
    expect(host.setBadgeCount).toHaveBeenLastCalledWith(1);
  });
});
