import { searchResponseSchema } from '@dutydesk/shared';
import { z } from 'zod';
import { defineApi, json } from '../openapi';

const csv = (what: string) => z.string().optional().describe(`${what}, comma-separated`);

/** `GET /api/search` (search.routes.ts, decision 32). */
export const searchApi = defineApi('search', [
  {
    method: 'get',
    path: '/api/search',
    operationId: 'search',
    tagDescription: 'One search over tickets, organisations and contacts (decision 32).',
    summary: 'Search tickets, organisations and contacts, best first, as the caller may read them',
    description:
      'Words are phrases; Chinese text matches as a substring; numbers and phones in any spelling. Each result has a `snippet` with `highlights` (UTF-16 offsets). When `complete`, every event committed before the request is in the index (`indexedSeq`). A wallboard device token finds tickets by number and title only. Takes a read slot (429 over the bound); unknown parameters are a 400.',
    auth: 'any',
    query: z.object({
      q: z.string().min(1).max(200).describe('What to find'),
      kind: csv('ticket, organisation, contact'),
      status: csv('Ticket statuses'),
      priority: csv('Ticket priorities'),
      groupId: csv('Ticket group ids'),
      organisationId: csv('Organisation ids (their tickets, the organisations, their contacts)'),
      from: z.iso
        .datetime({ offset: true })
        .optional()
        .describe('Tickets received at or after (ISO-8601)'),
      to: z.iso.datetime({ offset: true }).optional().describe('Tickets received before'),
      limit: z.string().regex(/^\d+$/).optional().describe('1–50, default 20'),
    }),
    responses: { 200: json(searchResponseSchema, 'The results, best first') },
    errors: [400, 429],
    example: {
      query: { q: '打印机 卡纸', kind: 'ticket', status: 'received,in_progress', limit: '10' },
    },
  },
]);
