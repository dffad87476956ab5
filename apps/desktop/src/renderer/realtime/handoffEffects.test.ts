import { describe, expect, it, vi } from 'vitest';
import { createAppStore } from '../store/appStore';
import { receiveNotification } from './handoffEffects';

const notice = {
  kind: 'handoff',
  seq: 42,
  at: '2026-03-02T08:00:00.000Z',
  ticketId: 't-1',
  number: 'INC-2026-000042',
  title: 'Branch VPN down',
  priority: 'P2',
  groupId: 'l2-network',
  assigneeId: null,
  to: 'group',
  actorId: 'u-agent',
  reason: 'router',
};

describe('handoff notifications (issue 13 point 6)', () => {
  it('keeps a notice once per event and notifies natively once', () => {
    const store = createAppStore();
    const host = { notify: vi.fn() };
    const describe = () => 'INC-2026-000042 landed in L2 Network';
    receiveNotification(store, host, notice, describe);
    receiveNotification(store, host, notice, describe);
    receiveNotification(store, host, { ...notice, seq: 'x' }, describe);
    expect(store.getState().handoffs.map((h) => h.seq)).toEqual([42]);
    expect(host.notify).toHaveBeenCalledTimes(1);
    expect(host.notify).toHaveBeenCalledWith({
      title: 'INC-2026-000042 landed in L2 Network',
      body: 'Branch VPN down',
      ticketId: 't-1',
    });
    store.getState().dismissHandoff(42);
    expect(store.getState().handoffs).toEqual([]);
  });
});
