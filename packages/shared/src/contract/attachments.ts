import { z } from 'zod';
import { logEntryIdSchema, userIdSchema } from './ids';
import { storableString } from './text';

/** Bounds of one attachment's metadata and of a ticket's list. */
export const ATTACHMENT_LIMITS = {
  /** Characters of a file name (after the path is cut off). */
  name: 255,
  /** Characters of a media type. */
  contentType: 127,
  /** Attachments one ticket may hold (a further upload is a `conflict`). */
  perTicket: 500,
  /** The server's default upload limit (`DUTYDESK_ATTACHMENT_MAX_BYTES`): 100 MiB. */
  defaultMaxBytes: 100 * 1024 * 1024,
} as const;

/** An attachment's id (a uuid the server makes at upload). */
export const attachmentIdSchema = storableString()
  .min(1, 'required')
  .max(64, 'at most 64 characters')
  .brand<'AttachmentId'>();
export type AttachmentId = z.infer<typeof attachmentIdSchema>;

/** A lowercase hex SHA-256 digest: the blob's address in the store. */
export const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256 digest');

/** A file name as stored: no path, no control characters, 1–255 characters. */
export const attachmentNameSchema = storableString()
  .min(1, 'required')
  .max(ATTACHMENT_LIMITS.name)
  // eslint-disable-next-line no-control-regex -- control characters are what must not pass
  .refine((s) => !/[\u0000-\u001f\u007f/\\]/.test(s), {
    message: 'must not contain a path separator or a control character',
  });

/** A media type as the allow-list names it (`image/png`). */
export const contentTypeSchema = z
  .string()
  .max(ATTACHMENT_LIMITS.contentType)
  .regex(/^[a-z0-9][a-z0-9.+-]*\/[a-z0-9][a-z0-9.+-]*$/, 'a media type such as image/png');

/**
 * One attachment as a ticket carries it (from `ticket.attachmentAdded`): metadata and hash,
 * never the bytes (`GET /api/attachments/:id`). `logEntryId`: the comment, log entry or
 * contact it belongs to, or null (the ticket itself). `purgedAt`: when the retention job
 * deleted its bytes (`attachment.purged`); the metadata stays.
 */
export const attachmentSchema = z.object({
  id: attachmentIdSchema,
  name: z.string(),
  contentType: z.string(),
  size: z.number().int().min(0),
  sha256: sha256Schema,
  logEntryId: logEntryIdSchema.nullable(),
  at: z.iso.datetime({ offset: true }),
  actorId: userIdSchema.nullable(),
  purgedAt: z.iso.datetime({ offset: true }).nullable().optional(),
});
export type Attachment = z.infer<typeof attachmentSchema>;

/** `201` of `POST /api/tickets/:id/attachments`. */
export const attachmentUploadedSchema = z.object({
  id: attachmentIdSchema,
  sha256: sha256Schema,
  size: z.number().int().min(0),
  name: z.string(),
  contentType: z.string(),
  /** The ticket's version after the attachment, and the event's seq. */
  version: z.number().int().min(1),
  seq: z.number().int().min(1),
});
export type AttachmentUploaded = z.infer<typeof attachmentUploadedSchema>;

/** `GET /api/tickets/:id/attachments`. */
export const attachmentListSchema = z.object({ attachments: z.array(attachmentSchema) });
export type AttachmentList = z.infer<typeof attachmentListSchema>;
