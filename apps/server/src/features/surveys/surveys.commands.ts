/**
 * `survey.answer` on the bus (decision 53): the answer row, the invitation used, and the
 * `survey.answered` event in one transaction, so the audit chain covers every answer and every
 * seat sees it live. Only the server's survey actor runs it (the public answer route, for a
 * valid token); a staff seat is refused. One CSAT per ticket, one NPS per contact and round.
 */
import {
  makeError,
  needsFollowUp,
  SURVEY_ACTOR_ID,
  SURVEY_SCALE,
  type Actor,
  type AppError,
  type CommandAck,
  type CommandOf,
  type SurveyAnsweredData,
  type UserId,
} from '@dutydesk/shared';
import { randomUUID } from 'node:crypto';
import type { CommandResult, CommandSpec } from '../../commands/bus';
import { saveCommandResult } from '../../commands/results.repo';
import type { AppContext } from '../../context';
import type { Tx } from '../../db/client';
import { appendEvents, asWireEvents, type StoredEvent } from '../events';
import {
  insertAnswer,
  isAnswered,
  markInvitationUsed,
  readContact,
  readInvitation,
  readTicketFacts,
} from './surveys.repo';

/** The actor the public answer route runs `survey.answer` as (no role: it can do nothing else). */
export const SURVEY_ACTOR: Actor = {
  id: SURVEY_ACTOR_ID as UserId,
  roles: [],
  groupIds: [],
  displayName: 'Survey',
};

/** Why an answer was refused, for the page (`error.fields[0].message`). */
export type SurveyRefusal = 'unknown' | 'expired' | 'used' | 'answered' | 'score';

function refuse(code: AppError['code'], reason: SurveyRefusal, message: string): CommandResult {
  return {
    ack: { ok: false, error: makeError(code, message, [{ path: 'token', message: reason }]) },
    events: [],
    fresh: false,
  };
}

export function createSurveyCommands(ctx: AppContext): CommandSpec<'survey.answer'> {
  return {
    types: ['survey.answer'],
    precheck(actor) {
      if (actor.id !== SURVEY_ACTOR_ID)
        return makeError(
          'forbidden',
          'Survey answers come from the customer through their survey link only',
        );
      return null;
    },
    handle: (tx, actor, command) => answer(ctx, tx, actor, command),
  };
}

async function answer(
  ctx: AppContext,
  tx: Tx,
  actor: Actor,
  command: CommandOf<'survey.answer'>,
): Promise<CommandResult> {
  const now = ctx.clock.now();
  const inv = await readInvitation(tx, command.invitationId, true);
  if (!inv) return refuse('unauthorized', 'unknown', 'This survey link is not valid');
  if (inv.expiresAt.getTime() <= now.getTime())
    return refuse('forbidden', 'expired', 'This survey link has expired');
  if (inv.usedAt !== null)
    return refuse('conflict', 'used', 'This survey link has been used already');
  const scale = SURVEY_SCALE[inv.kind];
  if (command.score < scale.min || command.score > scale.max)
    return {
      ack: {
        ok: false,
        error: makeError('invalid', `The score must be ${scale.min}–${scale.max}`, [
          { path: 'score', message: `${scale.min}–${scale.max}` },
        ]),
      },
      events: [],
      fresh: false,
    };
  if (await isAnswered(tx, inv))
    return refuse(
      'conflict',
      'answered',
      inv.kind === 'csat'
        ? 'This ticket has its satisfaction answer already'
        : 'This quarter’s survey has been answered already',
    );
  const ticket = inv.ticketId ? await readTicketFacts(tx, inv.ticketId) : null;
  const contact = await readContact(tx, inv.contactId);
  const organisationId = ticket?.organisationId ?? contact?.organisationId ?? null;
  const followUp = needsFollowUp(inv.kind, command.score);
  const answerId = randomUUID();
  const comment = command.comment ?? '';
  const stored = await insertAnswer(tx, {
    id: answerId,
    kind: inv.kind,
    invitationId: inv.id,
    ticketId: inv.ticketId,
    contactId: inv.contactId,
    organisationId,
    round: inv.round,
    score: command.score,
    comment,
    followUp,
    answeredAt: now,
  });
  // Another link of the same ticket (or round) answered in the same instant.
  if (!stored) return refuse('conflict', 'answered', 'This survey has been answered already');
  await markInvitationUsed(tx, inv.id, now);
  const data: SurveyAnsweredData = {
    answerId,
    kind: inv.kind,
    score: command.score,
    comment,
    ticketId: inv.ticketId,
    ticketNumber: ticket?.number ?? null,
    contactId: inv.contactId,
    organisationId,
    round: inv.round,
    followUp,
  };
  const events: StoredEvent[] = await appendEvents(
    tx,
    [
      {
        id: randomUUID(),
        type: 'survey.answered',
        ticketId: null,
        actorId: actor.id,
        at: now.toISOString(),
        data,
      },
    ],
    command.commandId,
  );
  const ack: CommandAck = { ok: true, events: asWireEvents(events) };
  await saveCommandResult(tx, command.commandId, actor.id, ack, now);
  return { ack, events, fresh: true };
}
