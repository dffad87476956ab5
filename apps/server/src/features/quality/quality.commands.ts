/**
 * QA reviews on the bus (issue 22, decision 61): `qa.verdict.record` writes the item's verdict
 * and appends `qa.verdictRecorded` in one transaction, so every verdict (and every change of
 * one) is in the hash-chained audit trail and reaches the seats that may read it live.
 */
import {
  checklistScore,
  holdsQaReviewRole,
  makeError,
  QA_COMMAND_TYPES,
  QA_REVIEW_ROLES,
  type Actor,
  type CommandAck,
  type QaCommand,
  type QaCommandType,
  type QaVerdict,
  type QaVerdictRecordedData,
} from '@dutydesk/shared';
import { randomUUID } from 'node:crypto';
import type { CommandResult, CommandSpec } from '../../commands/bus';
import { saveCommandResult } from '../../commands/results.repo';
import type { AppContext } from '../../context';
import type { Tx } from '../../db/client';
import { appendEvents, asWireEvents } from '../events';
import { lockItem, saveVerdict } from './quality.repo';

export function createQualityCommands(ctx: AppContext): CommandSpec<QaCommandType> {
  return {
    types: QA_COMMAND_TYPES,
    precheck(actor) {
      if (!holdsQaReviewRole(actor.roles))
        return makeError(
          'forbidden',
          `${actor.roles.join(', ') || 'no role'} may not record QA verdicts (${QA_REVIEW_ROLES.join(', ')} do)`,
        );
      return null;
    },
    handle: (tx, actor, command) => recordVerdict(ctx, tx, actor, command),
  };
}

async function recordVerdict(
  ctx: AppContext,
  tx: Tx,
  actor: Actor,
  command: QaCommand,
): Promise<CommandResult> {
  const now = ctx.clock.now();
  const item = await lockItem(tx, command.itemId);
  if (!item)
    return {
      ack: {
        ok: false,
        error: makeError('not_found', `No QA item ${command.itemId}`, [
          { path: 'itemId', message: 'not found' },
        ]),
      },
      events: [],
      fresh: false,
    };
  const verdict: QaVerdict = {
    checklist: command.checklist,
    outcome: command.outcome,
    score: checklistScore(command.checklist),
    note: command.note ? command.note : null,
  };
  await saveVerdict(tx, item.id, verdict, actor.id, now);
  const data: QaVerdictRecordedData = {
    itemId: item.id,
    sampleId: item.sampleId,
    period: item.period,
    ticketId: item.ticketId,
    ticketNumber: item.ticketNumber,
    agentId: item.agentId,
    verdict,
    previous: item.verdict ? { outcome: item.verdict.outcome, score: item.verdict.score } : null,
  };
  const stored = await appendEvents(
    tx,
    [
      {
        id: randomUUID(),
        // Not a ticket event: the ticket's row, version and timeline stay as they are.
        ticketId: null,
        actorId: actor.id,
        at: now.toISOString(),
        type: 'qa.verdictRecorded',
        data,
      },
    ],
    command.commandId,
  );
  const ack: CommandAck = { ok: true, events: asWireEvents(stored) };
  await saveCommandResult(tx, command.commandId, actor.id, ack, now);
  return { ack, events: stored, fresh: true };
}
