import {
  isInlineContentType,
  logEntryIdSchema,
  mayPerformCommand,
  type AttachmentUploaded,
  type CommandAck,
  type Ticket,
} from '@dutydesk/shared';
import { Router, type Request, type Response } from 'express';
import { createHash, randomUUID } from 'node:crypto';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AppContext } from '../../context';
import { authOf, denyDevices, requireAuth } from '../../http/auth';
import { HttpError, statusForError } from '../../http/errors';
import { actorFromUser, readTicket } from '../tickets';
import { readAttachment } from './attachments.repo';
import type { BlobStore } from './blobStore';
import { stageUpload, unstage } from './staging';
import { checkUploadHeaders, closeAfterRefusal, receiveUpload } from './upload';

/** Whether a request is an upload (`POST /api/tickets/:id/attachments`): it answers `Expect: 100-continue` itself. */
export function isUploadRequest(method: string | undefined, url: string | undefined): boolean {
  return method === 'POST' && /^\/api\/tickets\/[^/?#]+\/attachments\/?(?:\?|$)/.test(url ?? '');
}

/** `Content-Disposition` with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987). */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/**
 * The policy an attachment is served under: nothing of it runs. Images and PDFs are `inline`
 * and may be framed by the console only (`frame-ancestors 'self'`); images are sandboxed; a
 * PDF is not (Chromium's viewer does not open in a sandboxed document; PDF scripts are the
 * viewer's own sandbox). Everything else downloads and is sandboxed, framed by nobody.
 */
export function attachmentPolicy(contentType: string): string {
  if (contentType === 'application/pdf')
    return "default-src 'none'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'";
  if (isInlineContentType(contentType))
    return "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox";
  return "default-src 'none'; frame-ancestors 'none'; sandbox";
}

/** Checks the bytes against their digest as they are sent; a mismatch aborts the response. */
function verifyDigest(sha256: string, onMismatch: (got: string) => void): Transform {
  const hash = createHash('sha256');
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      done(null, chunk);
    },
    flush(done) {
      const got = hash.digest('hex');
      if (got === sha256) {
        done();
        return;
      }
      onMismatch(got);
      done(new Error('blob does not match its digest'));
    },
  });
}

function uploadedOf(ack: CommandAck): { data: Record<string, unknown>; seq: number } | null {
  if (!ack.ok) return null;
  const e = ack.events.find((x) => x.type === 'ticket.attachmentAdded');
  return e ? { data: e.data as unknown as Record<string, unknown>, seq: e.seq } : null;
}

/**
 * `POST /api/tickets/:id/attachments` (multipart, one `file` part → 201), `GET
 * /api/tickets/:id/attachments` (the list), `GET /api/attachments/:id` (the bytes). Mounted
 * before the JSON body parser: the upload reads its own body as it streams.
 */
export function createAttachmentsRouter(ctx: AppContext, store: BlobStore): Router {
  const r = Router();
  const auth = requireAuth(ctx);
  const db = ctx.database.db;
  const { maxBytes } = ctx.config.attachments;

  r.post('/tickets/:id/attachments', auth, denyDevices, async (req: Request, res: Response) => {
    const actor = actorFromUser(authOf(res).user);
    const ticketId = String(req.params.id);
    const rawEntry = req.query.logEntryId;
    let logEntryId: string | undefined;
    try {
      // Everything that can refuse without the body comes first: nothing is read or written.
      if (rawEntry !== undefined && rawEntry !== '') {
        const parsed = logEntryIdSchema.safeParse(rawEntry);
        if (!parsed.success)
          throw new HttpError('invalid', 'logEntryId must be an entry id', [
            { path: 'logEntryId', message: 'not an id' },
          ]);
        logEntryId = parsed.data;
      }
      const commandId = req.get('x-command-id') ?? randomUUID();
      const ticket = await readTicket(db, ticketId);
      if (!ticket) throw new HttpError('not_found', `No ticket ${ticketId}`);
      if (!mayPerformCommand(actor, ticket, 'ticket.attachment.add'))
        throw new HttpError('forbidden', `You may not attach files to ticket ${ticket.number}`);
      checkUploadHeaders(req, maxBytes);
      if ((req.get('expect') ?? '').toLowerCase() === '100-continue') res.writeContinue();

      const upload = await receiveUpload(req, store, maxBytes);
      const id = randomUUID();
      await stageUpload(ctx, store, {
        id,
        ticketId,
        logEntryId: logEntryId ?? null,
        sha256: upload.blob.sha256,
        size: upload.blob.size,
        name: upload.name,
        contentType: upload.contentType,
        uploadedBy: actor.id,
        createdAt: ctx.clock.now(),
        blob: upload.blob,
      });
      const ack = await ctx.commands.execute(actor, {
        type: 'ticket.attachment.add',
        commandId,
        ticketId,
        attachmentId: id,
        name: upload.name,
        contentType: upload.contentType,
        size: upload.blob.size,
        sha256: upload.blob.sha256,
        ...(logEntryId ? { logEntryId } : {}),
      });
      const added = uploadedOf(ack);
      if (!added || added.data.attachmentId !== id) {
        // Refused, or a retry of a commandId that attached an earlier upload: this one goes.
        await unstage(ctx, store, id, upload.blob.sha256);
      }
      if (!ack.ok) {
        res.status(statusForError(ack.error)).json({ error: ack.error });
        return;
      }
      if (!added) throw new HttpError('conflict', 'The attachment was not added');
      const body: AttachmentUploaded = {
        id: added.data.attachmentId as AttachmentUploaded['id'],
        sha256: added.data.sha256 as string,
        size: added.data.size as number,
        name: added.data.name as string,
        contentType: added.data.contentType as string,
        version: added.data.version as number,
        seq: added.seq,
      };
      res.status(201).json(body);
    } catch (err) {
      // The body may be unread (refused early, or cut off at the limit): answer, then close.
      if (!req.complete) closeAfterRefusal(req, res);
      throw err;
    }
  });

  r.get('/tickets/:id/attachments', auth, denyDevices, async (req, res) => {
    const ticket = await readTicket(db, String(req.params.id));
    if (!ticket) throw new HttpError('not_found', `No ticket ${String(req.params.id)}`);
    res.json({ attachments: ticket.attachments ?? [] });
  });

  r.get('/attachments/:id', auth, denyDevices, async (req, res) => {
    await sendAttachment(ctx, store, req, res, String(req.params.id), () => true);
  });

  return r;
}

/**
 * Sends one attached file (its own CSP, digest checked while streaming, 304 on its ETag): the
 * staff download, and the customer portal's for public attachments (`mayRead` says whether the
 * caller may read this attachment of that ticket; a refusal is a 404 like a missing one).
 */
export async function sendAttachment(
  ctx: AppContext,
  store: BlobStore,
  req: Request,
  res: Response,
  id: string,
  mayRead: (ticket: Ticket) => boolean,
): Promise<void> {
  const db = ctx.database.db;
  const row = await readAttachment(db, id);
  // A staged upload (its command not run or refused) is nobody's to read yet.
  if (!row || row.attachedSeq === null || row.ticketId === null)
    throw new HttpError('not_found', `No attachment ${id}`);
  const ticket = await readTicket(db, row.ticketId);
  if (!ticket || !mayRead(ticket)) throw new HttpError('not_found', `No attachment ${id}`);
  if (row.purgedAt)
    throw new HttpError(
      'not_found',
      `The file of attachment ${id} was deleted at ${row.purgedAt.toISOString()} under the retention policy; its metadata and hash stay on the ticket`,
      undefined,
      undefined,
      410,
    );
  const etag = `"${row.sha256}"`;
  const headers = {
    'Content-Type': row.contentType,
    'Content-Disposition': contentDisposition(
      isInlineContentType(row.contentType) ? 'inline' : 'attachment',
      row.name,
    ),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': attachmentPolicy(row.contentType),
    'Cache-Control': 'private, max-age=3600',
    ETag: etag,
  };
  if (req.get('if-none-match') === etag) {
    res.status(304).set(headers).end();
    return;
  }
  const blob = await store.read(row.sha256);
  if (!blob) {
    ctx.log.error(
      { attachmentId: id, sha256: row.sha256 },
      'attachment blob missing from the store',
    );
    throw new HttpError('unavailable', `The file of attachment ${id} is missing from the store`);
  }
  res.status(200).set({ ...headers, 'Content-Length': String(blob.size) });
  await pipeline(
    blob.stream,
    verifyDigest(row.sha256, (got) =>
      ctx.log.error(
        { attachmentId: id, sha256: row.sha256, got },
        'attachment blob does not match its digest: the download was aborted',
      ),
    ),
    res,
  ).catch((err: unknown) => {
    if (!res.destroyed) res.destroy(err as Error);
  });
}
