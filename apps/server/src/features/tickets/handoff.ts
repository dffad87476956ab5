import { rooms, type HandoffNotification, type Ticket } from '@dutydesk/shared';
import type { AppContext } from '../../context';
import type { StoredEvent } from '../events';
import type { DutyServer } from '../../realtime/io';
import { readTicket } from './tickets.repo';

/**
 * The notifications one committed `ticket.assigned` makes: to the new group's queue room when
 * the group changed, and to the new assignee's user room when the assignee changed; never to
 * the one who made the change (their seats are excluded by the caller).
 */
export function planHandoffNotifications(
  event: Pick<StoredEvent, 'seq' | 'type' | 'at' | 'actorId' | 'ticketId' | 'data'>,
  ticket: Pick<Ticket, 'id' | 'number' | 'title' | 'priority'>,
): Array<{ room: string; notification: HandoffNotification }> {
  if (event.type !== 'ticket.assigned') return [];
  const d = event.data as {
    groupId: string | null;
    assigneeId: string | null;
    previousGroupId: string | null;
    previousAssigneeId: string | null;
    reason: string | null;
  };
  const base = {
    kind: 'handoff' as const,
    seq: event.seq,
    at: event.at,
    ticketId: ticket.id,
    number: ticket.number,
    title: ticket.title,
    priority: ticket.priority,
    groupId: d.groupId,
    assigneeId: d.assigneeId,
    actorId: event.actorId,
    reason: d.reason,
  } as HandoffNotification;
  const out: Array<{ room: string; notification: HandoffNotification }> = [];
  if (d.assigneeId && d.assigneeId !== d.previousAssigneeId && d.assigneeId !== event.actorId) {
    out.push({ room: rooms.user(d.assigneeId), notification: { ...base, to: 'assignee' } });
  }
  if (d.groupId && d.groupId !== d.previousGroupId) {
    out.push({ room: rooms.queue(d.groupId), notification: { ...base, to: 'group' } });
  }
  return out;
}

/**
 * Tells engineers when a ticket lands in their group or is assigned to them: a `notification`
 * socket message to the group's queue room and the assignee's user room, through the adapter
 * (every node's seats), leaving out the seats of whoever made the change. A seat in the group
 * that is also the new assignee gets the assignee notice only.
 */
export function createHandoffNotifier(ctx: AppContext, io: () => DutyServer | undefined) {
  return (events: StoredEvent[]): void => {
    const assigned = events.filter((e) => e.type === 'ticket.assigned' && e.ticketId);
    if (assigned.length === 0) return;
    void (async () => {
      for (const e of assigned) {
        const ticket = await readTicket(ctx.database.db, e.ticketId as string);
        const server = io();
        if (!ticket || !server) continue;
        const plan = planHandoffNotifications(e, ticket);
        const assignee = plan.find((p) => p.notification.to === 'assignee');
        for (const { room, notification } of plan) {
          let target = server.to(room);
          if (e.actorId) target = target.except(rooms.user(e.actorId));
          if (notification.to === 'group' && assignee) {
            target = target.except(assignee.room);
          }
          target.emit('notification', notification);
        }
      }
    })().catch((err: unknown) => ctx.log.warn({ err }, 'handoff notification failed'));
  };
}
