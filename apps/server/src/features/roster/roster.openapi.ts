import { z } from 'zod';
import { DUTIES } from '../escalation';
import { defineApi, json, named } from '../openapi';

const instant = z.iso.datetime({ offset: true });
const kind = z.enum(['day', 'night', 'custom']);
const templateSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,40}$/),
  name: z.string().min(1).max(100),
  kind,
  startTime: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/)
    .describe('Local start, HH:MM'),
  durationMinutes: z.number().int().min(15).max(2880),
  timeZone: z.string().min(1).max(64).default('Asia/Shanghai'),
});
const shiftSchema = z.object({
  id: z.string(),
  templateId: z.string().nullable(),
  name: z.string(),
  kind: z.string(),
  startsAt: instant,
  endsAt: instant,
});
const assignmentSchema = z.object({
  id: z.string(),
  shiftId: z.string(),
  userId: z.string(),
  duty: z.enum(DUTIES),
  coverFor: z.string().nullable(),
  from: instant.nullable(),
  to: instant.nullable(),
});
const instantQuery = (what: string) => instant.optional().describe(what);

/** The duty roster (roster.routes.ts): reads for staff, writes for duty managers and admins. */
const shiftIdParam = z.object({ shiftId: z.string().min(1).max(100).describe('The shift id') });
const handoverSchema = named(
  z.looseObject({
    id: z.string(),
    shiftId: z.string(),
    shiftName: z.string(),
    startsAt: z.string(),
    endsAt: z.string(),
    generatedAt: z.string(),
    notes: z
      .array(z.object({ at: z.string(), by: z.string(), byName: z.string(), text: z.string() }))
      .optional(),
    acknowledgement: z.object({ at: z.string(), by: z.string(), byName: z.string() }).optional(),
  }),
  'HandoverReport',
);

export const rosterApi = defineApi('roster', [
  {
    method: 'get',
    path: '/api/roster/templates',
    operationId: 'listShiftTemplates',
    tagDescription:
      'Shift templates, shifts, duty assignments, swaps, who is on duty, handover reports.',
    summary: 'Shift templates',
    auth: 'staff',
    responses: { 200: json(z.object({ templates: z.array(templateSchema) }), 'The templates') },
    example: {},
  },
  {
    method: 'put',
    path: '/api/roster/templates/{id}',
    operationId: 'saveShiftTemplate',
    summary: 'Create or replace a shift template',
    auth: 'staff',
    roles: ['duty_manager', 'admin'],
    params: z.object({ id: z.string().regex(/^[a-z0-9-]{1,40}$/) }),
    body: templateSchema.omit({ id: true }).strict(),
    responses: { 200: json(templateSchema, 'Saved') },
    example: {
      params: { id: 'day-shift' },
      body: {
        name: '白班 Day',
        kind: 'day',
        startTime: '08:30',
        durationMinutes: 600,
        timeZone: 'Asia/Shanghai',
      },
    },
  },
  {
    method: 'get',
    path: '/api/roster/shifts',
    operationId: 'listShifts',
    summary: 'Shifts overlapping [from, to), each with its assignments',
    auth: 'staff',
    query: z.object({
      from: instantQuery('Default: a day ago'),
      to: instantQuery('Default: in a week'),
    }),
    responses: {
      200: json(
        z.object({
          shifts: z.array(
            shiftSchema.extend({
              assignments: z.array(assignmentSchema.extend({ removedAt: instant.nullable() })),
            }),
          ),
        }),
        'The shifts',
      ),
    },
    errors: [400],
    example: { query: { from: '2026-12-01T00:00:00+08:00', to: '2026-12-08T00:00:00+08:00' } },
  },
  {
    method: 'post',
    path: '/api/roster/shifts',
    operationId: 'createShift',
    summary: 'Add a shift: from a template on a date, or with explicit times',
    description: "From a template the shift's id is `<template>@<date>`.",
    auth: 'staff',
    roles: ['duty_manager', 'admin'],
    body: z.union([
      z.object({ templateId: z.string().min(1), date: z.iso.date() }).strict(),
      z
        .object({
          id: z.string().min(1).max(100).optional(),
          name: z.string().min(1).max(100),
          kind: kind.default('custom'),
          startsAt: instant,
          endsAt: instant,
        })
        .strict(),
    ]),
    responses: { 201: json(shiftSchema, 'Added') },
    example: {
      body: {
        id: 'cover-2026-12-05',
        name: 'Weekend cover',
        kind: 'custom',
        startsAt: '2026-12-05T09:00:00+08:00',
        endsAt: '2026-12-05T17:00:00+08:00',
      },
    },
  },
  {
    method: 'post',
    path: '/api/roster/shifts/generate',
    operationId: 'generateShifts',
    summary: 'Add the shifts of templates for a run of days',
    auth: 'staff',
    roles: ['duty_manager', 'admin'],
    body: z
      .object({
        templateIds: z.array(z.string().min(1)).min(1).max(10),
        from: z.iso.date(),
        days: z.number().int().min(1).max(366),
      })
      .strict(),
    responses: { 201: json(z.object({ shifts: z.array(shiftSchema) }), 'Added') },
    example: { body: { templateIds: ['day-shift'], from: '2026-12-07', days: 7 } },
  },
  {
    method: 'post',
    path: '/api/roster/assignments',
    operationId: 'assignDuty',
    summary: 'Put someone on a duty of a shift (or cover part of it for someone)',
    description:
      'A cover (`coverFor`, `from`, `to`) replaces that person in that duty for its window.',
    auth: 'staff',
    roles: ['duty_manager', 'admin'],
    body: z
      .object({
        shiftId: z.string().min(1),
        userId: z.string().min(1),
        duty: z.enum(DUTIES),
        coverFor: z.string().min(1).optional(),
        from: instant.optional(),
        to: instant.optional(),
      })
      .strict(),
    responses: { 201: json(assignmentSchema, 'Assigned') },
    example: {
      body: {
        shiftId: 'night-2026-12-04',
        userId: '8d0f2c1e-5b7a-4c1e-9a57-3f3f0d1b2c4a',
        duty: 'duty_manager',
      },
    },
  },
  {
    method: 'delete',
    path: '/api/roster/assignments/{id}',
    operationId: 'removeAssignment',
    summary: 'Remove an assignment',
    auth: 'staff',
    roles: ['duty_manager', 'admin'],
    params: z.object({ id: z.string().min(1) }),
    responses: { 200: json(z.object({ removed: z.literal(true) }), 'Removed') },
    errors: [404],
    example: { params: { id: '1e2d3c4b-5a69-4788-97a6-b5c4d3e2f1a0' } },
  },
  {
    method: 'post',
    path: '/api/roster/swaps',
    operationId: 'swapAssignments',
    summary: 'Swap the people of two assignments',
    auth: 'staff',
    roles: ['duty_manager', 'admin'],
    body: z
      .object({ assignmentId: z.string().min(1), withAssignmentId: z.string().min(1) })
      .strict(),
    responses: { 200: json(z.object({ swapped: z.literal(true) }), 'Swapped') },
    errors: [404],
    example: {
      body: {
        assignmentId: '1e2d3c4b-5a69-4788-97a6-b5c4d3e2f1a0',
        withAssignmentId: '2f3e4d5c-6b7a-4899-a8b7-c6d5e4f3a2b1',
      },
    },
  },
  {
    method: 'get',
    path: '/api/roster/on-duty',
    operationId: 'listOnDuty',
    summary: 'Who is on duty at an instant (default now)',
    auth: 'staff',
    query: z.object({
      at: instantQuery('Default: now'),
      duty: z.enum(DUTIES).optional().describe('One duty only'),
    }),
    responses: {
      200: json(
        z.object({
          at: instant,
          onDuty: z.array(
            z.object({
              userId: z.string(),
              displayName: z.string(),
              duty: z.string(),
              shiftId: z.string(),
              assignmentId: z.string(),
              coverFor: z.string().nullable(),
            }),
          ),
        }),
        'On duty',
      ),
    },
    errors: [400],
    example: { query: { duty: 'duty_manager' } },
  },
  {
    method: 'get',
    path: '/api/roster/handovers',
    operationId: 'listHandovers',
    summary: 'The latest handover reports (made at each duty-manager shift start)',
    auth: 'staff',
    query: z.object({ limit: z.string().regex(/^\d+$/).optional().describe('1–100, default 10') }),
    responses: {
      200: json(
        z.object({ handovers: z.array(z.record(z.string(), z.unknown())) }),
        'The reports, newest first',
      ),
    },
    example: { query: { limit: '5' } },
  },
  {
    method: 'get',
    path: '/api/roster/handovers/{shiftId}',
    operationId: 'getHandover',
    summary: "One shift's handover report (made now when the shift has started and has none yet)",
    description:
      'Open tickets, open alerts, the breaches of the shift before, the notes and the acknowledgement by the incoming duty manager. 404 for a shift without a duty manager or not started yet.',
    auth: 'staff',
    params: shiftIdParam,
    responses: { 200: json(handoverSchema, 'The report') },
    errors: [404],
    example: { params: { shiftId: 'night-2026-12-04' } },
  },
  {
    method: 'post',
    path: '/api/roster/handovers/{shiftId}/notes',
    operationId: 'addHandoverNote',
    summary: 'Add a note to a handover report (at most 100)',
    auth: 'staff',
    roles: ['duty_manager', 'admin'],
    params: shiftIdParam,
    body: z.object({ text: z.string().min(1).max(4000) }).strict(),
    responses: { 201: json(handoverSchema, 'The report with the note') },
    errors: [404, 409],
    example: {
      params: { shiftId: 'night-2026-12-04' },
      body: { text: 'The mail gateway was restarted at 05:40; watch the queue for bounces.' },
    },
  },
  {
    method: 'post',
    path: '/api/roster/handovers/{shiftId}/ack',
    operationId: 'acknowledgeHandover',
    summary: 'The incoming duty manager acknowledges the handover report (once; again is a no-op)',
    auth: 'staff',
    roles: ['duty_manager', 'admin'],
    params: shiftIdParam,
    body: z.object({}).strict(),
    responses: { 200: json(handoverSchema, 'The acknowledged report') },
    errors: [404],
    example: { params: { shiftId: 'night-2026-12-04' }, body: {} },
  },
]);
