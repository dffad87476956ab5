import { OPEN_STATUSES } from '../../realtime/contract';
import type { Ticket } from '../../realtime/contract';

/** Open tickets counted per assignee and per group (and the group's unassigned ones). */
export interface TeamLoad {
  byUser: Record<string, number>;
  byGroup: Record<string, { open: number; unassigned: number }>;
}

/** Counts the load from the tickets in the store; resolved and closed do not count. */
export function computeTeamLoad(tickets: Iterable<Ticket>): TeamLoad {
  const byUser: Record<string, number> = {};
  const byGroup: Record<string, { open: number; unassigned: number }> = {};
  for (const ticket of tickets) {
    if (
      !OPEN_STATUSES.includes(ticket.status) ||
      ticket.status === 'resolved' ||
      ticket.status === 'follow_up'
    )
      continue;
    if (ticket.assigneeId) byUser[ticket.assigneeId] = (byUser[ticket.assigneeId] ?? 0) + 1;
    if (ticket.groupId) {
      const entry = (byGroup[ticket.groupId] ??= { open: 0, unassigned: 0 });
      entry.open += 1;
      if (!ticket.assigneeId) entry.unassigned += 1;
    }
  }
  return { byUser, byGroup };
}

/** A drop target: a person or a group. */
export type ReassignTarget = { kind: 'user'; id: string } | { kind: 'group'; id: string };

export function encodeTarget(target: ReassignTarget): string {
  return `${target.kind}:${target.id}`;
}

export function decodeTarget(value: string): ReassignTarget | null {
  const [kind, ...rest] = value.split(':');
  const id = rest.join(':');
  if (!id) return null;
  if (kind === 'user' || kind === 'group') return { kind, id };
  return null;
}
