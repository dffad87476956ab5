import { bigint, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The append-only audit trail. `seq` is global and gap-free in commit order;
 * `hash = sha256(prev_hash || canonical(event))`. Nothing updates or deletes a row.
 */
export const events = pgTable(
  'events',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    id: text('id').notNull().unique(),
    type: text('type').notNull(),
    ticketId: text('ticket_id'),
    actorId: text('actor_id'),
    at: timestamp('at', { withTimezone: true }).notNull(),
    data: jsonb('data').notNull(),
    commandId: text('command_id'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [index('events_ticket_idx').on(t.ticketId, t.seq)],
);
