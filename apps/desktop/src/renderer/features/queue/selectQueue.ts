import { timeLeftSortKey } from '../../clock/countdown';
import { OPEN_STATUSES } from '../../realtime/contract';
import type { Ticket } from '../../realtime/contract';
import { AssigneeFilter, QueueSort } from './queue.slice';
import type { QueueFilters } from './queue.slice';

const PRIORITY_RANK: Record<string, number> = { P1: 0, P2: 1, P3: 2 };

/** The group filter's "my groups and mine": tickets of the user's groups or assigned to them. */
export const MY_GROUPS = '@mine';

function matches(
  ticket: Ticket,
  filters: QueueFilters,
  userId: string | null,
  groupIds: readonly string[],
): boolean {
  // A whole ticket number typed in the filter finds that ticket whatever the other filters
  // say (closed, another group): it is how a caller's ticket is looked up.
  const typed = filters.text.trim().toUpperCase();
  if (typed && (ticket.number === typed || (ticket.numberAliases ?? []).includes(typed))) {
    return true;
  }
  if (filters.priority && ticket.priority !== filters.priority) return false;
  if (filters.status === 'open') {
    if (!OPEN_STATUSES.includes(ticket.status)) return false;
  } else if (filters.status && ticket.status !== filters.status) return false;
  if (filters.groupId === MY_GROUPS) {
    const mine = ticket.groupId !== null && groupIds.includes(ticket.groupId);
    if (!mine && (!userId || ticket.assigneeId !== userId)) return false;
  } else if (filters.groupId && (ticket.groupId ?? '') !== filters.groupId) return false;
  if (filters.assignee === AssigneeFilter.me) {
    if (!userId || ticket.assigneeId !== userId) return false;
  } else if (filters.assignee === AssigneeFilter.none) {
    if (ticket.assigneeId) return false;
  } else if (filters.assignee && filters.assignee !== AssigneeFilter.any) {
    if (ticket.assigneeId !== filters.assignee) return false;
  }
  const text = filters.text.trim().toLowerCase();
  if (text) {
    // Number (also an earlier one), title, and the caller: organisation, contact, phone.
    return [
      ticket.number,
      ...(ticket.numberAliases ?? []),
      ticket.title ?? '',
      ticket.customer.org ?? '',
      ticket.customer.contact ?? '',
      ticket.customer.phone ?? '',
    ].some((field) => field.toLowerCase().includes(text));
  }
  return true;
}

/**
 * The rows of the queue: filtered, then sorted. Sorting by time left orders
 * by deadline, which does not change as time passes, so rows do not reshuffle
 * every second.
 */
export function selectQueueRows(
  tickets: Iterable<Ticket>,
  filters: QueueFilters,
  sort: QueueSort,
  userId: string | null,
  groupIds: readonly string[] = [],
): Ticket[] {
  const rows: { ticket: Ticket; due: number; rank: number; received: number }[] = [];
  for (const ticket of tickets) {
    if (!matches(ticket, filters, userId, groupIds)) continue;
    rows.push({
      ticket,
      due: timeLeftSortKey(ticket.sla.targets),
      rank: PRIORITY_RANK[ticket.priority] ?? 9,
      received: ticket.receivedAt ? Date.parse(ticket.receivedAt) || 0 : 0,
    });
  }
  const byNumber = (a: (typeof rows)[number], b: (typeof rows)[number]): number =>
    a.ticket.number.localeCompare(b.ticket.number);
  rows.sort((a, b) => {
    if (sort === QueueSort.priority) return a.rank - b.rank || a.due - b.due || byNumber(a, b);
    if (sort === QueueSort.newest) return b.received - a.received || byNumber(b, a);
    return a.due - b.due || a.rank - b.rank || byNumber(a, b);
  });
  return rows.map((row) => row.ticket);
}

/** Distinct group ids present in the tickets, for the group filter. */
export function collectGroupIds(tickets: Iterable<Ticket>): string[] {
  const ids = new Set<string>();
  for (const ticket of tickets) if (ticket.groupId) ids.add(ticket.groupId);
  return [...ids].sort();
}
