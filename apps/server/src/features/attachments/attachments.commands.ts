import { makeError, type Actor, type CommandOf, type FieldError } from '@dutydesk/shared';
import type { CommandResult, CommandSpec } from '../../commands/bus';
import type { AppContext } from '../../context';
import type { Tx } from '../../db/client';
import { runTicketCommand } from '../tickets';
import { lockAttachment, markAttached } from './attachments.repo';

type AddAttachment = CommandOf<'ticket.attachment.add'>;

function refuse(
  code: 'invalid' | 'not_found',
  message: string,
  fields?: FieldError[],
): CommandResult {
  return { ack: { ok: false, error: makeError(code, message, fields) }, events: [], fresh: false };
}

/**
 * `ticket.attachment.add` on the bus. The command names an upload (`attachmentId`) the server
 * staged with its metadata and hash: only the uploader may attach it, only to the ticket it was
 * uploaded for, and only with the metadata stored (so no seat can claim another ticket's blob
 * by its digest). Then the ticket's own rules (`decide`: role, scope, status, limits) and, in
 * the same transaction, the row is marked with its event's seq.
 */
export function createAttachmentCommands(ctx: AppContext): CommandSpec<'ticket.attachment.add'> {
  return {
    types: ['ticket.attachment.add'],
    handle: (tx, actor, command) => attach(ctx, tx, actor, command),
  };
}

async function attach(
  ctx: AppContext,
  tx: Tx,
  actor: Actor,
  command: AddAttachment,
): Promise<CommandResult> {
  const row = await lockAttachment(tx, command.attachmentId);
  if (!row || row.uploadedBy !== actor.id || row.ticketId !== command.ticketId || row.purgedAt) {
    return refuse('not_found', `No upload ${command.attachmentId} of yours for this ticket`, [
      {
        path: 'attachmentId',
        message: 'upload the file first (POST /api/tickets/:id/attachments)',
      },
    ]);
  }
  const mismatched = (
    [
      ['name', row.name, command.name],
      ['contentType', row.contentType, command.contentType],
      ['size', row.size, command.size],
      ['sha256', row.sha256, command.sha256],
      ['logEntryId', row.logEntryId, command.logEntryId ?? null],
    ] as const
  ).filter(([, stored, sent]) => stored !== sent);
  if (mismatched.length > 0) {
    return refuse(
      'invalid',
      'The attachment does not match the upload it names',
      mismatched.map(([path]) => ({ path, message: 'differs from the stored upload' })),
    );
  }
  // The row is written after the append, so the append must not commit the transaction.
  const result = await runTicketCommand(ctx, tx, actor, command, { commitNow: false });
  const added = result.events.find((e) => e.type === 'ticket.attachmentAdded');
  if (result.ack.ok && result.fresh && added) await markAttached(tx, row.id, added.seq);
  return { ...result, committed: false };
}
