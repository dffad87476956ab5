import {
  ALLOWED_CONTENT_TYPES,
  attachmentListSchema,
  attachmentUploadedSchema,
} from '@dutydesk/shared';
import { z } from 'zod';
import { defineApi, json } from '../openapi';

const ticketId = z.object({ id: z.string().min(1).max(64).describe("The ticket's id") });
const attachmentId = z.object({ id: z.string().min(1).max(64).describe("The attachment's id") });
const exampleTicketId = '5f1c9a0e-7d3b-4e2a-9c41-8b6f0e2d1a37';
const exampleAttachmentId = '0b7e4c52-1f3a-4d8e-9a6b-2c5d7e9f1a30';
/** The boundary of the example body (the conformance test sends it with this boundary). */
export const EXAMPLE_BOUNDARY = 'dutydesk-example-boundary';
const exampleUpload = [
  `--${EXAMPLE_BOUNDARY}`,
  'Content-Disposition: form-data; name="file"; filename="backup.log"',
  'Content-Type: text/plain',
  '',
  '2026-12-03 02:00 今晚数据库备份失败 error 809',
  `--${EXAMPLE_BOUNDARY}--`,
  '',
].join('\r\n');
const bytes = z.string().describe('The file as uploaded');

/** Uploads, lists and downloads of attachments (attachments.routes.ts, decision 33). */
export const attachmentsApi = defineApi('attachments', [
  {
    method: 'post',
    path: '/api/tickets/{id}/attachments',
    operationId: 'uploadAttachment',
    tagDescription:
      'Files on tickets (screenshots, logs, recordings, signed forms): uploaded as multipart and sniffed, stored by sha256 in the blob store, their metadata and hash in the event log (decision 33).',
    summary: 'Attach a file to a ticket (multipart/form-data, one part named `file`)',
    description:
      'Refused before the body is read: 404 no ticket, 403 when the caller may not attach to it, 415 not multipart, 413 when `Content-Length` is over `DUTYDESK_ATTACHMENT_MAX_BYTES` (100 MiB; `Expect: 100-continue` gets the refusal instead of 100 Continue). While streaming: 415 when the first bytes are not an allowed type (whatever is declared), 413 past the limit, 400 an empty or malformed upload. A refusal stores nothing. Optional `X-Command-Id` makes a retry answer the first upload. `?logEntryId=` attaches it to a comment, log entry or contact of the ticket.',
    auth: 'staff',
    params: ticketId,
    query: z.object({
      logEntryId: z
        .string()
        .max(64)
        .optional()
        .describe('A comment, log entry or contact of the ticket'),
    }),
    bodyTypes: { 'multipart/form-data': z.object({ file: bytes }) },
    responses: {
      201: json(attachmentUploadedSchema, 'Stored, and in the ticket (its event seq and version)'),
    },
    errors: [404, 409, 413, 415, 503],
    example: {
      params: { id: exampleTicketId },
      body: exampleUpload,
      contentType: 'multipart/form-data',
    },
  },
  {
    method: 'get',
    path: '/api/tickets/{id}/attachments',
    operationId: 'listTicketAttachments',
    summary: "A ticket's attachments (metadata and sha256)",
    auth: 'staff',
    params: ticketId,
    responses: { 200: json(attachmentListSchema, 'The attachments, oldest first') },
    errors: [404],
    example: { params: { id: exampleTicketId } },
  },
  {
    method: 'get',
    path: '/api/attachments/{id}',
    operationId: 'downloadAttachment',
    summary: "An attachment's bytes",
    description:
      '`Content-Disposition: inline` for images and PDF, `attachment` otherwise; `X-Content-Type-Options: nosniff`; a CSP of its own (nothing of the file runs); `ETag` is the sha256 (304 on `If-None-Match`). 410 when the retention job deleted the bytes (the metadata stays on the ticket).',
    auth: 'staff',
    params: attachmentId,
    responses: {
      200: {
        description: 'The bytes, with the type they were stored as',
        contentType: 'application/octet-stream',
        schema: bytes,
        alsoAs: Object.fromEntries(ALLOWED_CONTENT_TYPES.map((t) => [t, bytes])),
      },
      304: { description: 'Not modified (the `If-None-Match` sha256 matches)' },
    },
    errors: [404, 410, 503],
    example: { params: { id: exampleAttachmentId } },
  },
]);
