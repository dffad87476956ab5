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

/** Serialised bytes of one log's entries a cut copy carries at most (always the latest one). */
export const CARRIED_BYTES_PER_LOG = 64_000;

/** About the JSON size of a log entry (flat objects): its strings' lengths plus some per key. */
function approxBytes(entry: unknown): number {
  let n = 2;
  for (const v of Object.values(entry as Record<string, unknown>)) {
    n += 16 + (typeof v === 'string' ? v.length : 8);
  }
  return n;
}

/** How many of the oldest entries to leave out so at most `keep` and about `maxBytes` remain. */
function countDropped(list: readonly unknown[], keep: number, maxBytes: number): number {
  let bytes = 0;
  let kept = 0;
  for (let i = list.length - 1; i >= 0 && kept < keep; i -= 1) {
    bytes += approxBytes(list[i]);
    if (bytes > maxBytes && kept > 0) break;
    kept += 1;
  }
  return list.length - kept;
}

/**
 * The ticket with only the latest `keep` entries (and about {@link CARRIED_BYTES_PER_LOG}) of
 * each log (comments, execution and supervision logs) and `omitted` saying how many older ones it leaves out; the ticket itself
 * when nothing is left out. Status history and milestones stay whole (the SLA clocks and the
 * resolve check need them; they are bounded by the ticket's bounds).
 */
export function trimTimeline(t: Ticket, keep: number, maxBytes = CARRIED_BYTES_PER_LOG): Ticket {
  const drops = TIMELINE_LOGS.map((log) => countDropped(t[log], keep, maxBytes));
  if (drops.every((d) => d === 0)) return t;
  const omitted = { comments: 0, executionLog: 0, supervisionLog: 0 };
  const copy = { ...t };
  for (const [i, log] of TIMELINE_LOGS.entries()) {
    const list = t[log];
    const drop = drops[i] ?? 0;
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
