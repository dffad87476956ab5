/**
 * `alert.ack`: acknowledging an alert (and a digest's members) for a target, a duty manager or
 * an admin, appending `alert.acknowledged`; idempotent per `commandId` and actor through the bus.
 */
import { makeError, type Actor, type CommandAck, type CommandOf } from '@dutydesk/shared';
import { randomUUID } from 'node:crypto';
import type { CommandResult, CommandSpec } from '../../commands/bus';
import { saveCommandResult } from '../../commands/results.repo';
import type { AppContext } from '../../context';
import type { Tx } from '../../db/client';
import { appendEvents, asWireEvents, type StoredEvent } from '../events';
import { checkAlertVisible } from './alertView';
import { acknowledgeMembers, lockAlert, saveAlert } from './escalation.repo';

/**
 * `alert.ack` on the command bus (which claims the `commandId` for the actor first): the alert
 * locked, the actor checked against its audience, the alert and a digest's members marked,
 * `alert.acknowledged` appended and the result stored for retries. Acknowledging one already
 * acknowledged answers ok with no events.
 */
export function createAlertCommands(ctx: AppContext): CommandSpec<'alert.ack'> {
  return {
    types: ['alert.ack'],
    handle: (tx, actor, command) => acknowledgeAlert(ctx, tx, actor, command),
  };
}

async function acknowledgeAlert(
  ctx: AppContext,
  tx: Tx,
  actor: Actor,
  command: CommandOf<'alert.ack'>,
): Promise<CommandResult> {
  const refuse = (ack: CommandAck): CommandResult => ({ ack, events: [], fresh: false });
  const alert = await lockAlert(tx, command.alertId);
  if (!alert)
    return refuse({ ok: false, error: makeError('not_found', `No alert ${command.alertId}`) });
  if (!checkAlertVisible(actor, alert)) {
    return refuse({
      ok: false,
      error: makeError(
        'forbidden',
        'Only a target of the alert, a duty manager or an admin may acknowledge it',
      ),
    });
  }
  const now = ctx.clock.now();
  let fresh: StoredEvent[] = [];
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
  }
  const ack: CommandAck = { ok: true, events: asWireEvents(fresh) };
  await saveCommandResult(tx, command.commandId, actor.id, ack, now);
  return { ack, events: fresh, fresh: true };
}
