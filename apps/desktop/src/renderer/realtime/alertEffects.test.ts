import { describe, expect, it, vi } from 'vitest';
import type { Host } from '../host/host';
import { createAppStore } from '../store/appStore';
import { makeEvent, session } from '../test/fixtures';
import { watchAlerts } from './alertEffects';

const raise = (seq: number, alertId: string, recipientIds = ['u1']) =>
  makeEvent(
    seq,
    'alert.raised',
    't1',
    {
      alertId,
      kind: 'sla',
      severity: 'critical',
      level: 1,
      message: 'ack within 5 min',
      recipientIds,
    },
    null,
  );

describe('watchAlerts', () => {
  it('notifies and flashes once per new alert for this user and badges the open count', () => {
    const store = createAppStore({ session });
    const host: Host = {
      kind: 'browser',
      notify: vi.fn(),
      setBadgeCount: vi.fn(),
      flashFrame: vi.fn(),
      onOpenTicket: vi.fn(() => () => undefined),
      requestNotificationPermission: vi.fn(),
      setLocale: vi.fn(),
    };
    watchAlerts(store, host, (alert) => ({ title: `L${alert.level}`, body: alert.message }));
    expect(host.setBadgeCount).toHaveBeenLastCalledWith(0);
    store.getState().applyEvents([raise(1, 'a1')]);
    store.getState().applyEvents([raise(2, 'a2')]);
    store.getState().applyEvents([raise(3, 'other', ['u7'])]);
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
      .applyEvents([makeEvent(4, 'alert.acknowledged', 't1', { alertId: 'a1' }, 'u2')]);
    expect(host.notify).toHaveBeenCalledTimes(2);
    expect(host.setBadgeCount).toHaveBeenLastCalledWith(1);
  });
});
