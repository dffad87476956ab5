import { z } from 'zod';
import { defineApi, json, named } from '../openapi';
import { importJobParamsSchema } from './imports.routes';

const rowErrorSchema = z.object({ line: z.number().int(), message: z.string() });

/** The progress of one import (`GET /api/import/jobs/:id`). */
export const importJobSchema = named(
  z.object({
    id: z.string(),
    status: z.enum(['running', 'done', 'failed']),
    total: z.number().int(),
    done: z.number().int(),
    failed: z.number().int(),
    errors: z.array(rowErrorSchema),
    createdBy: z.string(),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
  }),
  'ImportJob',
);

const exampleCsv =
  'title,description,category,module,priority,receivedAt,closedAt\n' +
  'VPN drops every hour,"The VPN client disconnects every hour, reconnect works",Network,VPN,P3,2025-03-02T08:10:00Z,2025-03-02T11:40:00Z\n';

/** Historical import (imports.routes.ts, decision 50). */
export const importsApi = defineApi('imports', [
  {
    method: 'post',
    path: '/api/import/tickets',
    operationId: 'importTickets',
    tagDescription:
      "Historical import: a desk's closed tickets, through the event log, as the classifier's training history (issue 21, decision 50).",
    summary: 'Import closed tickets from CSV or JSON lines (background job)',
    description:
      "CSV with a header row (`Content-Type: text/csv`) or JSON lines (`application/x-ndjson`), up to 64 MB. Columns: `title` (default: the start of the description), `description`, `category` (required), and optionally `module`, `kind`, `priority` (default P3), `groupId`, `receivedAt`, `closedAt` (ISO 8601; one of them stands for both; neither: now). Each ticket is appended to the event log (`ticket.created` at its `receivedAt`, `ticket.closed` at its `closedAt`, the audit chain covers both) in batches of 250 per transaction; no SLA timers, alerts or mails follow. Rows with errors are reported by line on the job, the others imported. A finished import starts the classifier's training. 400 for an unknown column.",
    auth: 'staff',
    roles: ['admin'],
    bodyTypes: { 'text/csv': z.string(), 'application/x-ndjson': z.string() },
    responses: {
      202: json(z.object({ jobId: z.string() }), 'Started; follow `GET /api/import/jobs/{id}`'),
    },
    example: { body: exampleCsv, contentType: 'text/csv' },
  },
  {
    method: 'get',
    path: '/api/import/jobs/{id}',
    operationId: 'getImportJob',
    summary: "An import's progress and the rows it refused",
    description:
      '`total` rows read (0 until the upload is parsed), `done` imported, `failed` refused (the first 1 000 in `errors` with their line, the CSV header being line 1); `status` `running`, `done` or `failed`.',
    auth: 'staff',
    roles: ['admin'],
    params: importJobParamsSchema,
    responses: { 200: json(importJobSchema, 'The job') },
    errors: [404],
    example: { params: { id: '00000000-0000-4000-8000-000000000000' } },
  },
]);
