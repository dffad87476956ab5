import {
  resolveContentType,
  sniffContentType,
  SNIFF_BYTES,
  type Actor,
  type AppError,
  type CommandAck,
} from '@dutydesk/shared';
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../context';
import type { BlobStore } from './blobStore';
import { stageUpload, unstage } from './staging';
import { cleanFileName } from './upload';

/** A file the server itself brings to a ticket (an e-mail's attachment), with its bytes in hand. */
export interface ServerFile {
  ticketId: string;
  /** The comment it belongs to (a mail reply's), or null: the ticket itself. */
  logEntryId: string | null;
  /** The name as the sender gave it (cleaned here). */
  name: string | undefined;
  /** The media type the sender declared (checked against the bytes here). */
  declaredType: string;
  bytes: Buffer;
  /** The `ticket.attachment.add` command's id: the same file sent again has its effect once. */
  commandId: string;
}

export type ServerFileOutcome =
  | { ok: true; attachmentId: string; name: string }
  | {
      ok: false;
      /** `size`/`type`/`empty`: the file is not taken; `refused`: the command was (its error). */
      reason: 'size' | 'type' | 'empty' | 'refused';
      name: string;
      message: string;
      error?: AppError;
    };

/**
 * Attaches a file the server holds in memory, the way an upload is attached: the size limit
 * (`DUTYDESK_ATTACHMENT_MAX_BYTES`), the media type sniffed from the bytes and checked against
 * the allow-list, the bytes spooled and hashed, the row staged under the digest's lock and the
 * blob placed (`stageUpload`), then `ticket.attachment.add` through the command bus as `actor`
 * (who must be the uploader: this same actor). A refused command, or a retry of a commandId
 * that attached an earlier copy, unstages this one. A store that is down throws.
 */
export async function attachServerFile(
  ctx: AppContext,
  store: BlobStore,
  actor: Actor,
  file: ServerFile,
): Promise<ServerFileOutcome> {
  const name = cleanFileName(file.name);
  const { maxBytes } = ctx.config.attachments;
  if (file.bytes.length === 0) return { ok: false, reason: 'empty', name, message: 'empty file' };
  if (file.bytes.length > maxBytes)
    return { ok: false, reason: 'size', name, message: `larger than ${maxBytes} bytes` };
  const verdict = resolveContentType(
    file.declaredType,
    sniffContentType(file.bytes.subarray(0, SNIFF_BYTES)),
  );
  if (!verdict.ok) return { ok: false, reason: 'type', name, message: verdict.message };
  const spool = store.spool();
  let blob;
  try {
    await spool.write(file.bytes);
    blob = await spool.finish();
  } catch (err) {
    await spool.discard();
    throw err;
  }
  const id = randomUUID();
  await stageUpload(ctx, store, {
    id,
    ticketId: file.ticketId,
    logEntryId: file.logEntryId,
    sha256: blob.sha256,
    size: blob.size,
    name,
    contentType: verdict.contentType,
    uploadedBy: actor.id,
    createdAt: ctx.clock.now(),
    blob,
  });
  const ack: CommandAck = await ctx.commands.execute(actor, {
    type: 'ticket.attachment.add',
    commandId: file.commandId,
    ticketId: file.ticketId,
    attachmentId: id,
    name,
    contentType: verdict.contentType,
    size: blob.size,
    sha256: blob.sha256,
    ...(file.logEntryId ? { logEntryId: file.logEntryId } : {}),
  });
  const added = ack.ok ? ack.events.find((e) => e.type === 'ticket.attachmentAdded') : undefined;
  const addedId = added ? String((added.data as { attachmentId?: unknown }).attachmentId) : null;
  if (addedId !== id) await unstage(ctx, store, id, blob.sha256);
  if (!ack.ok)
    return { ok: false, reason: 'refused', name, message: ack.error.message, error: ack.error };
  return { ok: true, attachmentId: addedId ?? id, name };
}
