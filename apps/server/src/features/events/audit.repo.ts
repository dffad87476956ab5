import { asc, gt, inArray, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client';
import { events, tickets } from '../../db/schema/index';
import { toStored, type StoredEvent } from './events.repo';

/** A stored ticket row: its columns and the reducer's output in `state`. */
export interface StoredTicketRow {
  id: string;
  number: string;
  kind: string;
  status: string;
  priority: string;
  groupId: string | null;
  assigneeId: string | null;
  organisationId: string | null;
  contactId: string | null;
  majorIncident: boolean;
  open: boolean;
  version: number;
  lastSeq: number;
  receivedAt: string;
  updatedAt: string;
  state: unknown;
}

/** Ticket rows with id > `after`, in id order. */
export async function readTicketRows(
  db: Db,
  after: string,
  limit: number,
): Promise<StoredTicketRow[]> {
  const rows = await db
    .select()
    .from(tickets)
    .where(gt(tickets.id, after))
    .orderBy(asc(tickets.id))
    .limit(limit);
  return rows.map((r) => ({
    ...r,
    receivedAt: r.receivedAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  }));
}

/** Every event of these tickets, by ticket then seq. */
export async function readEventsOfTickets(db: Db, ids: string[]): Promise<StoredEvent[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select()
    .from(events)
    .where(inArray(events.ticketId, ids))
    .orderBy(asc(events.ticketId), asc(events.seq));
  return rows.map(toStored);
}

/** Tickets the log created whose row is gone. */
export async function findTicketsWithoutRow(
  db: Db,
  limit: number,
): Promise<Array<{ ticketId: string; seq: number }>> {
  const rows = await queryRows<{ ticket_id: string; seq: string | number }>(
    db,
    sql`select e.ticket_id, e.seq from events e
        where e.type = 'ticket.created' and e.ticket_id is not null
          and not exists (select 1 from tickets t where t.id = e.ticket_id)
        order by e.seq limit ${limit}`,
  );
  return rows.map((r) => ({ ticketId: r.ticket_id, seq: Number(r.seq) }));
}

/** How many stored command results there are. */
export async function countCommandResults(db: Db): Promise<number> {
  const rows = await queryRows<{ n: string | number }>(
    db,
    sql`select count(*) as n from command_results`,
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * Stored command results naming an event the log does not hold as theirs: no row at that seq,
 * another event's id there, or an event of another command. In the database, in one query.
 */
export async function findDanglingCommandResults(
  db: Db,
  limit: number,
): Promise<Array<{ commandId: string; seq: number; problem: string }>> {
  const rows = await queryRows<{
    command_id: string;
    seq: string | number;
    found_id: string | null;
    want_id: string | null;
    found_command: string | null;
  }>(
    db,
    sql`select c.command_id, (ev.value->>'seq')::bigint as seq, e.id as found_id,
               ev.value->>'id' as want_id, e.command_id as found_command
        from command_results c
        cross join lateral jsonb_array_elements(
          case when jsonb_typeof(c.result->'events') = 'array' then c.result->'events'
               else '[]'::jsonb end) as ev(value)
        left join events e on e.seq = (ev.value->>'seq')::bigint
        where e.seq is null or e.id is distinct from ev.value->>'id'
           or e.command_id is distinct from c.command_id
        order by 2 limit ${limit}`,
  );
  return rows.map((r) => ({
    commandId: r.command_id,
    seq: Number(r.seq),
    problem:
      r.found_id === null
        ? 'the log has no event at that seq'
        : r.found_id !== r.want_id
          ? 'the event at that seq is another event'
          : `the event at that seq belongs to command ${r.found_command ?? '(none)'}`,
  }));
}

/**
 * Attachment rows that disagree with the log: an attached row whose event (at its
 * `attached_seq`) is missing, of another type or ticket, or carries other metadata or another
 * digest; and `ticket.attachmentAdded` events whose row is gone or points elsewhere. The
 * bytes are checked against the digest on every download.
 */
export async function findAttachmentMismatches(
  db: Db,
  limit: number,
): Promise<Array<{ attachmentId: string; seq: number; problem: string }>> {
  const rows = await queryRows<{
    id: string;
    seq: string | number;
    found: string | null;
    field: string | null;
  }>(
    db,
    sql`select a.id, a.attached_seq as seq, e.type as found,
               case when e.seq is null then null
                    when e.type <> 'ticket.attachmentAdded' then 'type'
                    when e.ticket_id is distinct from a.ticket_id then 'ticketId'
                    when e.data->>'attachmentId' is distinct from a.id then 'attachmentId'
                    when e.data->>'sha256' is distinct from a.sha256 then 'sha256'
                    when (e.data->>'size')::bigint is distinct from a.size then 'size'
                    when e.data->>'name' is distinct from a.name then 'name'
                    when e.data->>'contentType' is distinct from a.content_type then 'contentType'
                    else 'logEntryId' end as field
        from attachments a left join events e on e.seq = a.attached_seq
        where a.attached_seq is not null and (
          e.seq is null or e.type <> 'ticket.attachmentAdded'
          or e.ticket_id is distinct from a.ticket_id
          or e.data->>'attachmentId' is distinct from a.id
          or e.data->>'sha256' is distinct from a.sha256
          or (e.data->>'size')::bigint is distinct from a.size
          or e.data->>'name' is distinct from a.name
          or e.data->>'contentType' is distinct from a.content_type
          or e.data->>'logEntryId' is distinct from a.log_entry_id)
        union all
        select e.data->>'attachmentId', e.seq, 'orphan', null
        from events e
        where e.type = 'ticket.attachmentAdded' and not exists (
          select 1 from attachments a where a.id = e.data->>'attachmentId' and a.attached_seq = e.seq)
        order by 2 limit ${limit}`,
  );
  return rows.map((r) => ({
    attachmentId: r.id,
    seq: Number(r.seq),
    problem:
      r.found === 'orphan'
        ? 'the log attached it here, but no attachment row says so'
        : r.found === null
          ? 'the log has no event at its seq'
          : `its ${r.field ?? 'metadata'} differs from the ticket.attachmentAdded event`,
  }));
}
