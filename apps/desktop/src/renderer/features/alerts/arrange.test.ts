import { describe, expect, it } from 'vitest';
import type { Alert } from './alerts.slice';
import { arrangeAlerts } from './arrange';

const make = (id: string, over: Partial<Alert> & { target?: string | null }): Alert => ({
  id,
  ticketId: 't1',
  kind: 'sla.warning',
  severity: 'warning',
  level: 1,
  message: '',
  details: {
    target: over.target ?? 'response',
    threshold: null,
    ticketNumber: null,
    count: 1,
    memberKind: null,
    climbAt: null,
    priority: null,
    handoverId: null,
    shiftId: null,
    refusedBy: null,
    reason: null,
  },
  recipientIds: [],
  roles: [],
  raisedAt: '2026-03-02T09:00:00.000Z',
  ackedAt: null,
  ackedBy: null,
  ...over,
});

describe('arrangeAlerts', () => {
  it('supersedes a warning by the breach of the same target on the same ticket only', () => {
    const w = make('w', {});
    const otherTarget = make('w2', { target: 'resolve' });
    const otherTicket = make('w3', { ticketId: 't2' });
    const b = make('b', { kind: 'sla.breached', severity: 'critical' });
    const out = arrangeAlerts([w, otherTarget, otherTicket, b]);
    expect(out.escalations.map((a) => a.id)).toEqual(['w2', 'w3', 'b']);
    expect(out.superseded.map((a) => a.id)).toEqual(['w']);
  });

  it('puts info alerts (handover) apart from the ladder', () => {
    const h = make('h', { kind: 'handover', severity: 'info', ticketId: null, target: null });
    expect(arrangeAlerts([h]).notices.map((a) => a.id)).toEqual(['h']);
  });
});
