import type { PendingEvent, Ticket } from '@dutydesk/shared';
import { describe, expect, it } from 'vitest';
import { CARRIED_BYTES_PER_LOG, checkTicketBounds, pageTimeline, trimTimeline } from './timeline';

const entry = (i: number, body = `entry ${i}`) => ({
  id: `c${i}`,
  at: '2026-03-02T02:00:00.000Z',
  authorId: null,
  body,
  internal: false,
});

function ticketWith(comments: number, body?: string): Ticket {
  return {
    id: 't1',
    number: 'INC-2026-000001',
    comments: Array.from({ length: comments }, (_, i) => entry(i, body)),
    executionLog: [],
    supervisionLog: [],
    milestones: [],
  } as unknown as Ticket;
}

const commented = { type: 'ticket.commented', data: { body: 'x' } } as unknown as PendingEvent;
const closed = { type: 'ticket.closed', data: {} } as unknown as PendingEvent;

describe('ticket bounds and cut copies (pure)', () => {
  it('cuts each log to the latest entries and says how many it left out', () => {
    const t = ticketWith(30);
    expect(trimTimeline(t, 50)).toBe(t);
    const cut = trimTimeline(t, 20);
    expect(cut.comments.map((c) => c.id)).toEqual(t.comments.slice(10).map((c) => c.id));
    expect(cut.omitted).toEqual({ comments: 10, executionLog: 0, supervisionLog: 0 });
    expect(t.comments).toHaveLength(30);
  });

  it('carries about CARRIED_BYTES_PER_LOG of a log, always its latest entry', () => {
    const long = 'z'.repeat(20_000);
    const cut = trimTimeline(ticketWith(10, long), 20);
    const bytes = JSON.stringify(cut.comments).length;
    expect(bytes).toBeLessThanOrEqual(CARRIED_BYTES_PER_LOG + 1_000);
    expect(cut.comments.at(-1)?.id).toBe('c9');
    expect(trimTimeline(ticketWith(1, 'w'.repeat(100_000)), 20).comments).toHaveLength(1);
  });

  it('refuses only commands that add an entry past a bound', () => {
    const bounds = { maxEntries: 5, maxBytes: 1_000_000 };
    expect(checkTicketBounds(ticketWith(4), [commented], bounds)).toBeNull();
    expect(checkTicketBounds(ticketWith(5), [commented], bounds)?.code).toBe('payload_too_large');
    expect(checkTicketBounds(ticketWith(5), [closed], bounds)).toBeNull();
    expect(
      checkTicketBounds(ticketWith(2, 'y'.repeat(600)), [commented], {
        maxEntries: 100,
        maxBytes: 1_000,
      })?.code,
    ).toBe('payload_too_large');
  });

  it('pages a log by stable positions, oldest first', () => {
    const t = ticketWith(7);
    expect(pageTimeline(t, 'comments', undefined, 3)).toMatchObject({ from: 4, total: 7, next: 4 });
    expect(pageTimeline(t, 'comments', 4, 3)).toMatchObject({ from: 1, next: 1 });
    const first = pageTimeline(t, 'comments', 1, 3);
    expect(first).toMatchObject({ from: 0, next: null });
    expect(first.entries).toEqual([t.comments[0]]);
  });
});
