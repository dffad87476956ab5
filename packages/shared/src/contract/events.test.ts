import { describe, expect, it } from 'vitest';
import {
  stampEvent,
  EventType,
  eventDataSchemas,
  eventSchema,
  isTicketEvent,
  pendingEventSchema,
} from './events';

describe('event contract', () => {
  it('has one member per event type, past tense', () => {
    expect(eventSchema.options.map((o) => o.shape.type.value).sort()).toEqual(
      [...EventType].sort(),
    );
    expect(Object.keys(eventDataSchemas).sort()).toEqual([...EventType].sort());
    // `event.withheld` is the stand-in for an event a seat may not read (decision 20);
    // `attachment.purged` is the retention job's (decision 33).
    // `kb.*` are the knowledge base's (decision 51), `survey.*` the surveys' (decision 53),
    // `problem.*` and `change.*` the problem records' and change requests' (decision 58),
    // `qa.*` QA reviews' (decision 61).
    for (const t of EventType)
      expect(t).toMatch(
        /^(ticket|sla|alert|event|organisation|contact|attachment|kb|survey|problem|change|qa)\.[a-zA-Z]+$/,
      );
  });

  it('parses an envelope and refuses a bad one', () => {
    const good = {
      seq: 1,
      id: 'e-1',
      type: 'alert.acknowledged',
      ticketId: null,
      at: '2026-03-02T08:00:00.000Z',
      actorId: 'u-1',
      data: { alertId: 'a-1' },
    };
    expect(eventSchema.safeParse(good).success).toBe(true);
    expect(eventSchema.safeParse({ ...good, seq: 0 }).success).toBe(false);
    expect(eventSchema.safeParse({ ...good, at: 'now' }).success).toBe(false);
    expect(eventSchema.safeParse({ ...good, type: 'alert.acked' }).success).toBe(false);
    expect(eventSchema.safeParse({ ...good, data: {} }).success).toBe(false);
    const { seq: _seq, id: _id, ...pending } = good;
    expect(pendingEventSchema.safeParse(pending).success).toBe(true);
    const parsed = pendingEventSchema.parse(pending);
    expect(eventSchema.parse(stampEvent(parsed, 1, 'e-1'))).toEqual(good);
  });

  it('tells ticket events (which carry data.version) from the rest', () => {
    expect(isTicketEvent({ type: 'ticket.closed' })).toBe(true);
    expect(isTicketEvent({ type: 'sla.planned' })).toBe(false);
    expect(isTicketEvent({ type: 'alert.raised' })).toBe(false);
  });
});
