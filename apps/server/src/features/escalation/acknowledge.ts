/**
 * `alert.ack`: acknowledging an alert (and a digest's members) for a target, a duty manager or
 * an admin, idempotent per `commandId` and actor, appending `alert.acknowledged`.
 */
import { makeError, type Actor } from '@dutydesk/shared';
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../context';
import { appendEvents, asWireEvents, type StoredEvent } from '../events/events.repo';
import { commandIdTaken, type CommandAck } from '../tickets/tickets.commands';
import { findCommandResult, lockCommandId, saveCommandResult } from '../tickets/tickets.repo';
import { checkAlertVisible } from './alertView';
import { acknowledgeMembers, lockAlert, saveAlert, type AlertRecord } from './escalation.repo';

export async function acknowledgeAlert(
  ctx: AppContext,
  actor: Actor,
  command: { commandId: string } & Record<string, unknown>,
  push: (list: AlertRecord[], events: StoredEvent[]) => void,
): Promise<CommandAck> {
  const alertId = String(command.alertId);
  let fresh: StoredEvent[] = [];
  const ack = await ctx.database.db.transaction(async (tx): Promise<CommandAck> => {
    await lockCommandId(tx, command.commandId);
    const previous = await findCommandResult(tx, command.commandId);
    // Idempotency is per actor: another user's stored result is never replayed (it could carry
    // a ticket this actor may not see, and it would answer ok while the alert stays open).
    if (previous && previous.actorId !== actor.id) return commandIdTaken();
    if (previous) return previous.result as CommandAck;
    const alert = await lockAlert(tx, alertId);
    if (!alert) return { ok: false, error: makeError('not_found', `No alert ${alertId}`) };
    if (!checkAlertVisible(actor, alert)) {
      return {
        ok: false,
        error: makeError(
          'forbidden',
          'Only a target of the alert, a duty manager or an admin may acknowledge it',
        ),
      };
    }
    const now = ctx.clock.now();
    let result: CommandAck = { ok: true, events: [] };
    if (alert.status === 'open') {
      alert.status = 'acknowledged';
      alert.outcome = 'acknowledged';
      alert.acknowledgedBy = actor.id;
      alert.acknowledgedAt = now.toISOString();
      alert.climbAt = null;
      await saveAlert(tx, alert);
      if (alert.kind === 'digest') await acknowledgeMembers(tx, alert.id, actor.id, now);
      fresh = await appendEvents(
        tx,
        [
          {
            id: randomUUID(),
            type: 'alert.acknowledged',
            ticketId: alert.ticketId,
            actorId: actor.id,
            at: now.toISOString(),
            // The targets ride along so every read path can tell who may see it (realtime/visibility).
            data: {
              alertId: alert.id,
              level: alert.level,
              count: alert.count,
              recipientIds: alert.targets.recipientIds,
              roles: alert.targets.roles,
            },
          },
        ],
        command.commandId,
      );
      result = { ok: true, events: asWireEvents(fresh) };
    }
    await saveCommandResult(tx, command.commandId, actor.id, result, now);
    return result;
  });
  if (fresh.length > 0) push([], fresh);
  return ack;
}
