import {
  makeError,
  TIMELINE_LOGS,
  type AppError,
  type PendingEvent,
  type Ticket,
  type TimelineLog,
} from '@dutydesk/shared';

/** The bounds of one ticket (config: `ticketMaxEntries`, `ticketMaxBytes`). */
export interface TicketBounds {
  maxEntries: number;
  maxBytes: number;
}

/** Event types that add an entry to a ticket (a log entry, a milestone, a contact). */
const GROWING = new Set([
  'ticket.commented',
  'ticket.executionLogged',
  'ticket.supervisionLogged',
  'ticket.milestoneAdded',
  'ticket.contactRecorded',
]);

/** Log entries, milestones and contacts of a ticket: what its bound on entries counts. */
export function countEntries(t: Ticket): number {
  const contacts = (t as { contacts?: unknown[] }).contacts?.length ?? 0;
  return (
    t.comments.length +
    t.executionLog.length +
    t.supervisionLog.length +
    t.milestones.length +
    contacts
  );
}

/**
 * Whether the events a command decided would grow the ticket past its bounds: an error
 * (`payload_too_large`, HTTP 413) naming the bound, or null. Commands that add no entry are
 * never refused, so a full ticket can still be resolved and closed.
 */
export function checkTicketBounds(
  ticket: Ticket | null,
  events: readonly PendingEvent[],
  bounds: TicketBounds,
): AppError | null {
  if (!ticket) return null;
  const growing = events.filter((e) => GROWING.has(e.type));
  if (growing.length === 0) return null;
  const entries = countEntries(ticket) + growing.length;
  if (entries > bounds.maxEntries) {
    return makeError(
      'payload_too_large',
      `Ticket ${ticket.number} is full: at most ${bounds.maxEntries} log entries, milestones and contacts; open a follow-up ticket`,
    );
  }
  let bytes = Buffer.byteLength(JSON.stringify(ticket));
  for (const e of growing) bytes += Buffer.byteLength(JSON.stringify(e.data));
  if (bytes > bounds.maxBytes) {
    return makeError(
      'payload_too_large',
      `Ticket ${ticket.number} is full: at most ${bounds.maxBytes} bytes; open a follow-up ticket`,
    );
  }
  return null;
}

/**
 * The ticket with only the latest `keep` entries of each log (comments, execution and
 * supervision logs) and `omitted` saying how many older ones it leaves out; the ticket itself
 * when nothing is left out. Status history and milestones stay whole (the SLA clocks and the
 * resolve check need them; they are bounded by the ticket's bounds).
 */
export function trimTimeline(t: Ticket, keep: number): Ticket {
  if (TIMELINE_LOGS.every((log) => t[log].length <= keep)) return t;
  const omitted = { comments: 0, executionLog: 0, supervisionLog: 0 };
  const copy = { ...t };
  for (const log of TIMELINE_LOGS) {
    const list = t[log];
    const drop = Math.max(0, list.length - keep);
    omitted[log] = drop + (t.omitted?.[log] ?? 0);
    if (drop > 0) (copy as Record<TimelineLog, unknown[]>)[log] = list.slice(drop);
  }
  return { ...copy, omitted };
}

/** One page of a ticket's log, oldest first: entries at positions [from, from + entries.length). */
export interface TimelinePage {
  log: TimelineLog;
  /** Position of the first entry returned (entries are append-only, so positions are stable). */
  from: number;
  /** How many entries the log holds. */
  total: number;
  entries: unknown[];
  /** `before` for the next (older) page, or null when this page starts at the first entry. */
  next: number | null;
}

/** The entries of `log` before position `before` (default: the end), at most `limit`. */
export function pageTimeline(
  t: Ticket,
  log: TimelineLog,
  before: number | undefined,
  limit: number,
): TimelinePage {
  const list = t[log] as unknown[];
  const end = Math.min(before ?? list.length, list.length);
  const from = Math.max(0, end - limit);
  return {
    log,
    from,
    total: list.length,
    entries: list.slice(from, end),
    next: from > 0 ? from : null,
  };
}
