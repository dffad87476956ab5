import {
  commandAckSchema,
  commandSchema,
  eventSchema,
  ticketSchema,
  timelinePageSchema,
} from '@dutydesk/shared';
import { z } from 'zod';
import { errorBodySchema, defineApi, json } from '../openapi';

const ticketId = z.object({ id: z.string().min(1).max(64).describe("The ticket's id") });
const csv = (what: string) => z.string().optional().describe(`${what}, comma-separated`);
const wholeNumber = (what: string) => z.string().regex(/^\d+$/).optional().describe(what);
const exampleTicketId = '5f1c9a0e-7d3b-4e2a-9c41-8b6f0e2d1a37';
/** A refused command answers its ack, with the status of its error code. */
const refused = (description: string) =>
  json(z.union([commandAckSchema, errorBodySchema]), description);

/** Commands over REST, ticket reads and the event log (tickets.routes.ts). */
export const ticketsApi = defineApi('tickets', [
  {
    method: 'post',
    path: '/api/commands',
    operationId: 'executeCommand',
    tagDescription:
      'Commands over HTTP, ticket reads and the event log, as the caller may see them.',
    summary: 'Run one command (the same commands as the socket `command` request)',
    description:
      "The answer is the command's ack (`{ ok, ticket?, events }` or `{ ok: false, error }`) with the status of its error code. Retrying with the same `commandId` answers the stored result. docs/protocol.md lists the commands.",
    auth: 'staff',
    body: commandSchema,
    responses: {
      200: json(commandAckSchema, 'Done: the events it appended and the ticket after them'),
      400: refused('Invalid: `error.fields` names each bad field'),
      403: refused("The caller's role or groups do not allow it (or a device token)"),
      404: refused('No such ticket or alert'),
      409: refused('The ticket changed since `expectedVersion`: `error.ticket` is how it is'),
      413: refused('The ticket would grow past its bounds, or the body is over 1 MB'),
      429: refused('Too many commands: `error.retryAfterMs`'),
    },
    errors: [404, 409, 429],
    example: {
      body: {
        commandId: 'c-2026-12-03-0001',
        type: 'ticket.create',
        title: 'Printer on floor 3 jams on every job',
        description: 'The caller says the tray was replaced yesterday.',
        channel: 'hotline',
        impact: 'medium',
        urgency: 'high',
        customer: { org: 'Acme Logistics', contact: '陈先生', phone: '+86 10 5555 0101' },
      },
    },
  },
  {
    method: 'get',
    path: '/api/tickets',
    operationId: 'listTickets',
    summary: 'Tickets the caller may see, newest first (each with the latest entries of its logs)',
    description:
      'Each ticket carries the latest `DUTYDESK_TIMELINE_CARRIED` (20) entries of each log (at most about 64 kB of each) and `omitted` (page the rest with the timeline). `number` matches a number or one of `numberAliases`, case-insensitive, open or closed. A wallboard device token gets summaries (docs/protocol.md, What each caller reads).',
    auth: 'any',
    query: z.object({
      status: csv('Statuses'),
      priority: csv('Priorities (P1, P2, P3)'),
      groupId: csv('Group ids'),
      assigneeId: z.string().optional().describe("An assignee's user id"),
      number: z
        .string()
        .optional()
        .describe('A ticket number (also a number the ticket had before)'),
      open: z
        .enum(['true', 'false'])
        .optional()
        .describe('Only open (`true`) or only closed (`false`) tickets'),
      limit: wholeNumber('At most this many, 1–10000 (default 1000)'),
    }),
    responses: { 200: json(z.object({ tickets: z.array(ticketSchema) }), 'The tickets') },
    errors: [400],
    example: { query: { status: 'received,classified', priority: 'P1,P2', limit: '50' } },
  },
  {
    method: 'get',
    path: '/api/tickets/by-number/{number}',
    operationId: 'getTicketByNumber',
    summary: 'Any ticket by its number, open or closed, also by an earlier number',
    auth: 'staff',
    roles: ['agent', 'engineer', 'duty_manager', 'admin'],
    params: z.object({ number: z.string().regex(/^[A-Za-z0-9-]{1,32}$/) }),
    responses: { 200: json(ticketSchema, 'The ticket, whole') },
    errors: [400, 404],
    example: { params: { number: 'INC-2026-000123' } },
  },
  {
    method: 'get',
    path: '/api/tickets/{id}',
    operationId: 'getTicket',
    summary: 'One ticket, whole',
    auth: 'any',
    params: ticketId,
    responses: { 200: json(ticketSchema, 'The ticket') },
    errors: [404],
    example: { params: { id: exampleTicketId } },
  },
  {
    method: 'get',
    path: '/api/tickets/{id}/timeline',
    operationId: 'getTicketTimeline',
    summary: "A page of one of a ticket's logs, oldest first",
    description:
      'The entries at positions [from, before) of one log; positions are stable (logs only grow); `next` is the `before` of the next older page, null at the first entry. Takes a read slot (429 over the bound, docs/protocol.md).',
    auth: 'any',
    params: ticketId,
    query: z.object({
      log: z
        .enum(['comments', 'executionLog', 'supervisionLog'])
        .optional()
        .describe('Default `comments`'),
      before: wholeNumber('Entries before this position (`next` of the previous page)'),
      limit: wholeNumber('At most this many, 1–500 (default 100)'),
    }),
    responses: { 200: json(timelinePageSchema, 'The page') },
    errors: [400, 404, 429],
    example: { params: { id: exampleTicketId }, query: { log: 'comments', limit: '20' } },
  },
  {
    method: 'get',
    path: '/api/events',
    operationId: 'listEvents',
    summary: 'The event log after a seq, one page, as the caller may see it',
    description:
      'In seq order, cut at about 1 MB. Events the caller may not read are `event.withheld` stand-ins (seq and instant only). Page on with `after=next` while `more`. Takes a read slot (429 over the bound).',
    auth: 'any',
    query: z.object({
      after: wholeNumber('Events after this seq (default 0)'),
      limit: wholeNumber('At most this many, 1–5000 (default 1000)'),
    }),
    responses: {
      200: json(
        z.object({
          events: z.array(eventSchema),
          more: z.boolean(),
          next: z.number().int().nonnegative().nullable(),
        }),
        'A page of events',
      ),
    },
    errors: [400, 429],
    example: { query: { after: '0', limit: '100' } },
  },
]);
