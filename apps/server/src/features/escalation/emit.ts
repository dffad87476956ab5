/**
 * How alerts reach the log and the seats: `alert.raised` events appended in the engine's
 * transaction, then published and each alert pushed (`alert`) to its recipients' and roles' rooms.
 */
import { rooms } from '@dutydesk/shared';
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../context';
import type { Tx } from '../../db/client';
import type { DutyServer } from '../../realtime/io';
import { appendEvents, type NewEvent, type StoredEvent } from '../events';
import { toAlertView } from './alertView';
import type { AlertRecord } from './escalation.repo';

/** Publishes committed events and pushes alerts to their audience. */
export type PushAlerts = (list: AlertRecord[], events: StoredEvent[]) => void;

function toRaisedEvent(a: AlertRecord, now: Date): NewEvent {
  return {
    id: randomUUID(),
    type: 'alert.raised',
    ticketId: a.ticketId,
    actorId: null,
    at: now.toISOString(),
    data: {
      ...a.data,
      alertId: a.id,
      kind: a.kind,
      severity: a.severity,
      message: a.message,
      recipientIds: a.targets.recipientIds,
      roles: a.targets.roles,
      level: a.level,
      count: a.count,
      stepKey: a.stepKey,
      climbAt: a.climbAt,
    },
  };
}

/** Appends an `alert.raised` per alert, then `extra`, in the caller's transaction. */
export async function commitRaises(
  tx: Tx,
  list: AlertRecord[],
  extra: NewEvent[],
  now: Date,
): Promise<StoredEvent[]> {
  return appendEvents(tx, [...list.map((a) => toRaisedEvent(a, now)), ...extra], null);
}

/** Publishes `events` and pushes each alert to its recipients and roles (when sockets are up). */
export function pushAlerts(
  ctx: AppContext,
  io: () => DutyServer | undefined,
  list: AlertRecord[],
  events: StoredEvent[],
): void {
  if (events.length > 0) ctx.publish(events);
  const server = io();
  if (!server) return;
  for (const a of list) {
    const to = [
      ...a.targets.recipientIds.map((id) => rooms.user(id)),
      ...a.targets.roles.map((r) => rooms.role(r)),
    ];
    server.to(to).emit('alert', toAlertView(a));
  }
}
