import {
  businessCalendarSchema,
  calendarDiffSchema,
  defaultSlaPolicy,
  holidayCnYearSchema,
  replanJobSchema,
  replanPreviewSchema,
  replanStatusSchema,
  slaPolicySchema,
} from '@dutydesk/shared';
import { z } from 'zod';
import { defineApi, json } from '../openapi';

const instant = z.iso.datetime({ offset: true });
const calendarId = z.object({ id: z.string().min(1).max(64).describe("The calendar's id") });
/** What a change of settings answers: the new settings version and the re-plan that follows. */
const accepted = {
  version: z.number().int(),
  replan: z.object({ id: z.string(), status: replanStatusSchema, href: z.string() }),
};
const compensationFigures = {
  overtimeMs: z.number().nonnegative(),
  labourMinutesPastTarget: z.number().nonnegative(),
  compensationMinutes: z.number().nonnegative(),
};
const compensationReportSchema = z.object({
  from: instant,
  to: instant,
  generatedAt: instant,
  tickets: z.array(
    z.object({
      ticketId: z.string(),
      number: z.string(),
      priority: z.string(),
      status: z.string(),
      customerId: z.string(),
      receivedAt: instant,
      dueAt: instant.nullable(),
      target: z.string(),
      breached: z.boolean(),
      sharePercent: z.number(),
      ...compensationFigures,
    }),
  ),
  customers: z.array(
    z.object({
      customerId: z.string(),
      tickets: z.number().int().nonnegative(),
      breachedTickets: z.number().int().nonnegative(),
      ...compensationFigures,
    }),
  ),
  totals: z.object({
    tickets: z.number().int().nonnegative(),
    breachedTickets: z.number().int().nonnegative(),
    compensationMinutes: z.number().nonnegative(),
  }),
});
const exampleIcs = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Dutydesk//Holidays//EN',
  'BEGIN:VEVENT',
  'UID:2026-10-01@holidays.example',
  'DTSTAMP:20260101T000000Z',
  'DTSTART;VALUE=DATE:20261001',
  'DTEND;VALUE=DATE:20261004',
  'SUMMARY:国庆节',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');
const weekdays = [{ start: '09:00', end: '18:00' }];

/** SLA policies, calendars, holiday import/export, re-plans, compensation (sla.routes.ts). */
export const slaApi = defineApi('sla', [
  {
    method: 'get',
    path: '/api/sla/policies',
    operationId: 'getSlaPolicies',
    tagDescription:
      'SLA policies and business calendars (admins), holiday import and export, background re-plans, the compensation report.',
    summary: 'The SLA policies in force and the settings version',
    auth: 'staff',
    roles: ['admin'],
    responses: {
      200: json(
        z.object({ version: z.number().int(), policies: z.array(slaPolicySchema) }),
        'The policies',
      ),
    },
    example: {},
  },
  {
    method: 'put',
    path: '/api/sla/policies',
    operationId: 'replaceSlaPolicies',
    summary: 'Replace the SLA policies; open tickets are re-planned in the background',
    description:
      'One `default` policy without customers, each contract policy naming its customers, every calendar defined. The body may also be the bare list. Follow the re-plan at `replan.href`.',
    auth: 'staff',
    roles: ['admin'],
    body: z.object({ policies: z.array(slaPolicySchema).min(1) }),
    responses: {
      202: json(
        z.object({ ...accepted, policies: z.array(slaPolicySchema) }),
        'Saved; re-plan started',
      ),
    },
    example: { body: { policies: [defaultSlaPolicy] } },
  },
  {
    method: 'post',
    path: '/api/sla/policies/preview',
    operationId: 'previewSlaPolicies',
    summary: 'Dry run of a policy change: what it would do to the open tickets',
    description:
      "The body of `PUT /api/sla/policies`, validated and refused the same way; nothing is stored. Every open ticket's targets are computed at the server's now under the settings in force and under these policies: how many move, due earlier or later, overdue at once, and at most 100 moves (those overdue at once first). Takes a slot of the read gate (429 when busy).",
    auth: 'staff',
    roles: ['admin'],
    body: z.object({ policies: z.array(slaPolicySchema).min(1) }),
    responses: {
      200: json(
        z.object({ version: z.number().int(), preview: replanPreviewSchema }),
        'What the change would do',
      ),
    },
    errors: [429],
    example: { body: { policies: [defaultSlaPolicy] } },
  },
  {
    method: 'get',
    path: '/api/sla/calendars',
    operationId: 'listSlaCalendars',
    summary: 'The business calendars and the settings version',
    auth: 'staff',
    roles: ['admin'],
    responses: {
      200: json(
        z.object({ version: z.number().int(), calendars: z.array(businessCalendarSchema) }),
        'The calendars',
      ),
    },
    example: {},
  },
  {
    method: 'get',
    path: '/api/sla/calendars/{id}',
    operationId: 'getSlaCalendar',
    summary: 'One business calendar',
    auth: 'staff',
    roles: ['admin'],
    params: calendarId,
    responses: { 200: json(businessCalendarSchema, 'The calendar') },
    errors: [404],
    example: { params: { id: 'cn-0900-1800' } },
  },
  {
    method: 'put',
    path: '/api/sla/calendars/{id}',
    operationId: 'saveSlaCalendar',
    summary: 'Create or replace a business calendar; open tickets are re-planned',
    auth: 'staff',
    roles: ['admin'],
    params: calendarId,
    body: z.object(businessCalendarSchema.shape).omit({ id: true }),
    responses: {
      202: json(
        z.object({ ...accepted, calendar: businessCalendarSchema }),
        'Saved; re-plan started',
      ),
    },
    example: {
      params: { id: 'cn-0900-1800' },
      body: {
        name: 'Office hours (China)',
        timeZone: 'Asia/Shanghai',
        weekly: {
          mon: weekdays,
          tue: weekdays,
          wed: weekdays,
          thu: weekdays,
          fri: weekdays,
          sat: [],
          sun: [],
        },
        extraWorkdayWindows: weekdays,
        holidays: [{ date: '2026-10-01', name: '国庆节' }],
        workdays: [{ date: '2026-10-10', name: '国庆节' }],
      },
    },
  },
  {
    method: 'post',
    path: '/api/sla/calendars/{id}/import',
    operationId: 'importSlaHolidays',
    summary: 'Merge holidays and make-up working days into a calendar',
    description:
      "holiday-cn JSON (one year or a list of years) or iCalendar text (`Content-Type: text/calendar`, RFC 5545 read with ical.js): all-day events by `DTEND` or `DURATION`, timed events as partial days in the calendar's zone, `RRULE`/`RDATE`/`EXDATE`/`RECURRENCE-ID` expanded (at most 1 000 occurrences an event, unbounded rules to 2100), `STATUS:CANCELLED` left out, the event's own `SUMMARY`; `上班(补…)` titles are make-up working days. 400 for text that is not iCalendar.",
    auth: 'staff',
    roles: ['admin'],
    params: calendarId,
    body: z.union([holidayCnYearSchema, z.array(holidayCnYearSchema)]),
    bodyTypes: { 'text/calendar': z.string() },
    responses: {
      202: json(
        z.object({
          ...accepted,
          imported: z.object({ holidays: z.number().int(), workdays: z.number().int() }),
        }),
        'Merged; re-plan started',
      ),
    },
    errors: [404],
    example: { params: { id: 'cn-0900-1800' }, body: exampleIcs, contentType: 'text/calendar' },
  },
  {
    method: 'post',
    path: '/api/sla/calendars/{id}/import/preview',
    operationId: 'previewSlaHolidayImport',
    summary: 'Dry run of a holiday import: the days it changes and its effect on open tickets',
    description:
      'The body of the import, refused exactly as the import would be; nothing is stored. `diff` lists the days added, removed and changed by date; `preview` is what the merged calendar would do to the open tickets (as for a policy preview).',
    auth: 'staff',
    roles: ['admin'],
    params: calendarId,
    body: z.union([holidayCnYearSchema, z.array(holidayCnYearSchema)]),
    bodyTypes: { 'text/calendar': z.string() },
    responses: {
      200: json(
        z.object({
          version: z.number().int(),
          imported: z.object({ holidays: z.number().int(), workdays: z.number().int() }),
          diff: calendarDiffSchema,
          preview: replanPreviewSchema,
        }),
        'What the import would do',
      ),
    },
    errors: [404, 429],
    example: { params: { id: 'cn-0900-1800' }, body: exampleIcs, contentType: 'text/calendar' },
  },
  {
    method: 'get',
    path: '/api/sla/calendars/{id}/export',
    operationId: 'exportSlaHolidays',
    summary: "A calendar's holidays and working days as iCalendar or holiday-cn JSON",
    description:
      "iCalendar in holiday-cn style (every event with `UID` and `DTSTAMP`, partial days with the calendar's `TZID` and its `VTIMEZONE`), or holiday-cn JSON: a list of years, one year with `year=`.",
    auth: 'staff',
    roles: ['admin'],
    params: calendarId,
    query: z.object({
      format: z.enum(['ics', 'json']).optional().describe('Default `ics`'),
      year: z
        .string()
        .regex(/^\d{4}$/)
        .optional()
        .describe('With `json`: one year (default: every year, as a list)'),
    }),
    responses: {
      200: {
        description: 'The days (`ics`: an attachment named after the calendar)',
        schema: z.string(),
        contentType: 'text/calendar',
        alsoAs: {
          'application/json': z.union([holidayCnYearSchema, z.array(holidayCnYearSchema)]),
        },
      },
    },
    errors: [400, 404],
    example: { params: { id: 'cn-0900-1800' }, query: { format: 'json', year: '2026' } },
  },
  {
    method: 'get',
    path: '/api/sla/replans/{id}',
    operationId: 'getSlaReplan',
    summary: 'A background re-plan and its progress',
    description: 'Read from any node: the job is stored, and taken over when its runner dies.',
    auth: 'staff',
    roles: ['admin'],
    params: z.object({ id: z.string().min(1).max(64) }),
    responses: { 200: json(replanJobSchema, 'The re-plan') },
    errors: [404],
    example: { params: { id: '6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d' } },
  },
  {
    method: 'get',
    path: '/api/sla/compensation',
    operationId: 'getSlaCompensation',
    summary: 'Overtime compensation of the tickets received in [from, to), per ticket and customer',
    auth: 'staff',
    roles: ['admin', 'duty_manager'],
    query: z.object({
      from: instant.describe('Start (ISO-8601 instant)'),
      to: instant.describe('End, after `from`'),
    }),
    responses: { 200: json(compensationReportSchema, 'The report') },
    errors: [400],
    example: { query: { from: '2026-11-01T00:00:00+08:00', to: '2026-12-01T00:00:00+08:00' } },
  },
]);
