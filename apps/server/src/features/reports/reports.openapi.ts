import {
  REPORT_LAYOUTS,
  REPORT_NAMES,
  REPORT_TITLES,
  reportTableSchema,
  type ReportName,
} from '@dutydesk/shared';
import { z } from 'zod';
import { defineApi, named } from '../openapi';
import { REPORT_ROLES } from './reports.routes';

const table = named(reportTableSchema, 'ReportTable');
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** What each report counts (docs/metrics.md "Reports" has the full definitions). */
const DEFINITIONS: Readonly<Record<ReportName, string>> = {
  'sla-attainment':
    'One row per ISO week (its Monday) meeting the period, cut to it: per priority P1–P3 and in all, the `response` and `resolve` targets met on time with `metAt` in the week and breached with `dueAt` in the week (open tickets evaluated at now), attainment = met ÷ (met + breached).',
  'response-times':
    'Per priority and `all`: first response (`firstResponseAt − receivedAt`, tickets whose first response is in the period) and resolution (`resolvedAt − receivedAt`, tickets resolved in the period), wall-clock milliseconds: count, nearest-rank p50 and p90, mean.',
  volume:
    'Tickets received in the period per category and module, by current priority, with their share of all received; most first.',
  'failing-modules':
    'Incidents received in the period per module, most first: P1 now, major incidents, reopened, share of the incidents.',
  'redispatch-ftf':
    'Tickets resolved in the period for the desk, each team (group now) and each agent (assignee now), with the scorecards’ definitions: re-dispatched = two or more assignments (refusals not counted); fixed first time = never reopened nor followed up not resolved.',
  'survey-trends':
    'One row per ISO week: the surveys’ CSAT (answers, average, satisfied 4–5 ÷ answers, response rate) and NPS (answers, promoters, detractors, % promoters − % detractors), as `GET /api/reports/surveys`.',
  compensation:
    'Tickets received in the period per customer organisation (a linked record, else the free-text organisation): tickets, those breached, compensation minutes owed, as `GET /api/sla/compensation` computes each ticket’s.',
};

const opId = (name: string) =>
  `getReport${name
    .split('-')
    .map((w) => (w === 'ftf' ? 'Ftf' : w[0]!.toUpperCase() + w.slice(1)))
    .join('')}`;

/** The reports (reports.routes.ts, issue 22, decision 59): one operation per report. */
export const reportsApi = defineApi(
  'reports',
  REPORT_NAMES.map((name, i) => ({
    method: 'get' as const,
    path: `/api/reports/${name}`,
    operationId: opId(name),
    ...(i === 0
      ? {
          tagDescription:
            'Reports: the desk’s figures over a period of desk days, one table shape for the screen, CSV and XLSX (issue 22, decision 59).',
        }
      : {}),
    summary: REPORT_TITLES[name].en,
    description: `${DEFINITIONS[name]} Columns: ${REPORT_LAYOUTS[name].columns
      .map((c) => `\`${c.key}\` (${c.type})`)
      .join(
        ', ',
      )}. \`format=csv\`: UTF-8 with a BOM, headers in \`lang\`, RFC 4180; \`format=xlsx\`: typed cells, the header bold and frozen. 404 for an unknown \`customerId\`.`,
    auth: 'staff' as const,
    roles: [...REPORT_ROLES],
    query: z.object({
      from: day.describe('First desk day (YYYY-MM-DD, the desk’s time zone)'),
      to: day.describe('Last desk day, included; at most 366 days'),
      format: z.enum(['json', 'csv', 'xlsx']).optional().describe('Default json'),
      lang: z.enum(['en', 'zh-CN', 'ja', 'ko']).optional().describe('CSV/XLSX headers; default en'),
      customerId: z.string().optional().describe('Only this customer organisation’s tickets'),
    }),
    responses: {
      200: {
        description: 'The report (CSV and XLSX as attachments named after it and the period)',
        schema: table,
        alsoAs: {
          'text/csv': z.string(),
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': z
            .string()
            .describe('The workbook'),
        },
      },
    },
    errors: [400, 404, 429],
    example: { query: { from: '2026-11-01', to: '2026-11-30', format: 'json' } },
  })),
);
