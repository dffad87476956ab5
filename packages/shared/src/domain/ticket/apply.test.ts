import { describe, expect, it } from 'vitest';
import { eventSchema, type DomainEvent } from '../../contract/events';
import { ticketSchema, type Ticket } from '../../contract/ticket';
import { computeSla } from '../sla/clock';
import { defaultCalendars, defaultSlaPolicy } from '../sla/defaults';
import { applyEvent, applyEvents, buildSlaSubject } from './apply';

const T0 = '2026-03-02T08:00:00.000Z';
const T1 = '2026-03-02T08:10:00.000Z';
const T2 = '2026-03-02T08:20:00.000Z';

function makeEvent(input: Record<string, unknown>): DomainEvent {
  return eventSchema.parse({ ticketId: 't-1', at: T0, actorId: 'u-1', ...input });
}

const created = makeEvent({
  seq: 5,
  id: 'e-5',
  type: 'ticket.created',
  at: T1,
  data: {
    version: 1,
    number: 'INC-2026-000007',
    kind: 'incident',
    title: 'VPN down',
    description: '',
    channel: 'monitoring',
    impact: 'high',
    urgency: 'high',
    priority: 'P1',
    category: null,
    module: null,
    customer: { org: 'ACME', contact: null, phone: null, email: null },
    groupId: null,
    assigneeId: null,
    majorIncident: true,
    receivedAt: T0,
    status: 'received',
  },
});

function makeCreated(): Ticket {
  const t = applyEvent(null, created);
  if (!t) throw new Error('not created');
  return t;
}

const planned = makeEvent({
  seq: 6,
  id: 'e-6',
  type: 'sla.planned',
  data: {
    targets: [
      {
        name: 'response',
        dueAt: '2026-03-02T08:15:00.000Z',
        state: 'running',
        budgetMs: 900_000,
        calendar: '7x24',
        thresholds: [{ percent: 75, colour: 'amber', at: '2026-03-02T08:11:15.000Z' }],
      },
      { name: 'resolve', dueAt: '2026-03-02T12:00:00.000Z', state: 'running' },
    ],
  },
});

describe('applyEvent', () => {
  it('builds a ticket from ticket.created', () => {
    const t = makeCreated();
    expect(ticketSchema.parse(t)).toEqual(t);
    expect(t).toMatchObject({
      id: 't-1',
      version: 1,
      lastSeq: 5,
      createdAt: T1,
      updatedAt: T1,
      receivedAt: T0,
      createdBy: 'u-1',
      status: 'received',
      statusHistory: [{ at: T0, status: 'received', pendingReason: null }],
    });
  });

  it('gives null for any other event on no ticket, and ignores a second created', () => {
    expect(applyEvent(null, planned)).toBeNull();
    const t = makeCreated();
    expect(applyEvent(t, { ...created, seq: 9 })).toBe(t);
  });

  it('ignores events of other tickets, duplicates and replays (seq ≤ lastSeq)', () => {
    const t = makeCreated();
    expect(applyEvent(t, { ...planned, ticketId: 't-2' } as DomainEvent)).toBe(t);
    const withSla = applyEvent(t, planned);
    expect(applyEvent(withSla, planned)).toBe(withSla);
    expect(applyEvent(withSla, { ...planned, seq: 3 })).toBe(withSla);
  });

  it('records sla.planned, sla.warning and sla.breached without touching version or updatedAt', () => {
    let t = applyEvent(makeCreated(), planned);
    expect(t.sla.targets.map((x) => x.name)).toEqual(['response', 'resolve']);
    expect(t.sla.targets[0]).toMatchObject({
      budgetMs: 900_000,
      calendar: '7x24',
      thresholds: [{ percent: 75, colour: 'amber' }],
    });
    t = applyEvents(t, [
      makeEvent({
        seq: 7,
        id: 'e-7',
        type: 'sla.warning',
        at: T2,
        actorId: null,
        data: { target: 'response', threshold: 75 },
      }),
      makeEvent({
        seq: 8,
        id: 'e-8',
        type: 'sla.warning',
        actorId: null,
        data: { target: 'response', threshold: 50 },
      }),
      makeEvent({
        seq: 9,
        id: 'e-9',
        type: 'sla.breached',
        at: T2,
        actorId: null,
        data: { target: 'response', threshold: 100 },
      }),
      makeEvent({
        seq: 10,
        id: 'e-10',
        type: 'sla.warning',
        actorId: null,
        data: { target: 'unknown', threshold: 50 },
      }),
    ]);
    expect(t.sla.targets[0]).toMatchObject({
      state: 'breached',
      breachedAt: T2,
      warnedThresholds: [50, 75, 100],
    });
    expect(t.sla.targets[1]).toMatchObject({ state: 'running' });
    expect(t).toMatchObject({ version: 1, updatedAt: T1, lastSeq: 10 });
    expect(ticketSchema.safeParse(t).success).toBe(true);
  });

  it('leaves the ticket alone on alert events', () => {
    const t = makeCreated();
    const alert = makeEvent({
      seq: 6,
      id: 'e-6',
      type: 'alert.raised',
      data: { alertId: 'a-1', kind: 'sla', severity: 'critical', message: 'P1 breached' },
    });
    expect(applyEvent(t, alert)).toBe(t);
    const ack = makeEvent({
      seq: 7,
      id: 'e-7',
      type: 'alert.acknowledged',
      data: { alertId: 'a-1' },
    });
    expect(applyEvent(t, ack)).toBe(t);
  });

  it('takes version from the event and appends status changes only when the status changes', () => {
    const t = makeCreated();
    const reclassified = applyEvent(
      t,
      makeEvent({
        seq: 6,
        id: 'e-6',
        type: 'ticket.classified',
        at: T2,
        data: {
          version: 2,
          kind: 'incident',
          category: 'network',
          module: 'vpn',
          impact: 'high',
          urgency: 'high',
          priority: 'P1',
          majorIncident: true,
          status: 'received',
        },
      }),
    );
    expect(reclassified).toMatchObject({ version: 2, updatedAt: T2, category: 'network' });
    expect(reclassified.statusHistory).toHaveLength(1);
  });

  it('does not mutate its input', () => {
    const t = makeCreated();
    const copy = structuredClone(t);
    applyEvents(t, [
      planned,
      makeEvent({
        seq: 7,
        id: 'e-7',
        type: 'ticket.commented',
        data: { version: 2, commentId: 'c-1', body: 'hi', internal: false },
      }),
    ]);
    expect(t).toEqual(copy);
  });

  it('survives a JSON round trip of every event (server and seat agree)', () => {
    const events = [created, planned];
    const direct = applyEvents(null, events);
    const viaWire = applyEvents(
      null,
      events.map((e) => eventSchema.parse(JSON.parse(JSON.stringify(e)))),
    );
    expect(viaWire).toEqual(direct);
  });
});

describe('buildSlaSubject', () => {
  it('hands the SLA engine the instants and the fully confirmed milestones', () => {
    let t = makeCreated();
    t = applyEvents(t, [
      makeEvent({
        seq: 6,
        id: 'e-6',
        type: 'ticket.milestoneAdded',
        data: { version: 2, milestoneId: 'm-1', title: 'restore' },
      }),
      makeEvent({
        seq: 7,
        id: 'e-7',
        type: 'ticket.milestoneAdded',
        data: { version: 3, milestoneId: 'm-2', title: 'announce' },
      }),
      makeEvent({
        seq: 8,
        id: 'e-8',
        type: 'ticket.milestoneConfirmed',
        at: T2,
        data: { version: 4, milestoneId: 'm-1', side: 'lead', onBehalf: false },
      }),
      makeEvent({
        seq: 9,
        id: 'e-9',
        type: 'ticket.milestoneConfirmed',
        at: T1,
        data: { version: 5, milestoneId: 'm-1', side: 'customer', onBehalf: true },
      }),
      makeEvent({
        seq: 10,
        id: 'e-10',
        type: 'ticket.milestoneConfirmed',
        at: T1,
        data: { version: 6, milestoneId: 'm-2', side: 'lead', onBehalf: false },
      }),
    ]);
    const subject = buildSlaSubject(t);
    expect(subject).toMatchObject({
      receivedAt: T0,
      priority: 'P1',
      majorIncident: true,
      firstResponseAt: null,
      resolvedAt: null,
      milestones: { restore: T2, 'm-1': T2, announce: null, 'm-2': null },
    });
    expect(subject.statusHistory).toEqual(t.statusHistory);
  });
});

describe('complaint contacts (the SLA reading)', () => {
  const complaint = makeEvent({
    ...created,
    data: { ...(created.data as object), kind: 'complaint', majorIncident: false },
  });
  const contact = (seq: number, at: string, target: string | null): DomainEvent =>
    makeEvent({
      seq,
      id: `e-${seq}`,
      type: 'ticket.contactRecorded',
      at,
      data: {
        version: seq - 4,
        contactId: `c-${seq}`,
        channel: 'phone',
        summary: 'called',
        target,
      },
    });

  it('meets each contact target at its contact, never by a milestone of that title', () => {
    const t = applyEvents(null, [
      complaint,
      makeEvent({
        seq: 6,
        id: 'e-6',
        type: 'ticket.milestoneAdded',
        data: { version: 2, milestoneId: 'm-1', title: 'contact-24h' },
      }),
      makeEvent({
        seq: 7,
        id: 'e-7',
        type: 'ticket.milestoneConfirmed',
        at: T1,
        data: { version: 3, milestoneId: 'm-1', side: 'lead', onBehalf: false },
      }),
      makeEvent({
        seq: 8,
        id: 'e-8',
        type: 'ticket.milestoneConfirmed',
        at: T1,
        data: { version: 4, milestoneId: 'm-1', side: 'customer', onBehalf: true },
      }),
      contact(9, T1, 'contact-15m'),
      contact(10, T2, 'contact-2h'),
    ]);
    if (!t) throw new Error('no ticket');
    expect(t.contacts?.map((c) => c.target)).toEqual(['contact-15m', 'contact-2h']);
    const subject = buildSlaSubject(t);
    expect(subject.milestones).toMatchObject({ 'contact-15m': T1, 'contact-2h': T2 });
    expect(subject.milestones?.['contact-24h']).toBeUndefined();
    const states = computeSla(subject, defaultSlaPolicy, defaultCalendars, new Date(T2));
    const byName = Object.fromEntries(states.map((s) => [s.name, s]));
    expect(byName['contact-15m']).toMatchObject({ state: 'met', metAt: T1 });
    expect(byName['contact-2h']).toMatchObject({ state: 'met', metAt: T2 });
    expect(byName['contact-24h']).toMatchObject({ state: 'running', metAt: null });
  });
});
