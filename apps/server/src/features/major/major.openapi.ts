import { ticketSchema } from '@dutydesk/shared';
import { z } from 'zod';
import { defineApi, json, named } from '../openapi';

const instant = z.iso.datetime({ offset: true });
const majorIncidentSchema = named(
  z.object({
    ticketId: z.string(),
    status: z.enum(['open', 'closed']),
    declaredAt: instant,
    declaredBy: z.string(),
    childTicketIds: z.array(z.string()),
    timeline: z.array(
      z.object({
        at: instant,
        by: z.string().nullable(),
        kind: z.enum([
          'declared',
          'announcement',
          'update',
          'restored',
          'linked',
          'unlinked',
          'closed',
          'root_cause',
        ]),
        text: z.string(),
      }),
    ),
    closedAt: instant.nullable(),
    rootCause: z
      .object({ dueAt: instant, doneAt: instant.nullable(), summary: z.string().nullable() })
      .nullable(),
  }),
  'MajorIncident',
);
const ticketIdParam = z.object({
  ticketId: z.string().min(1).max(64).describe("The incident's ticket id"),
});
const exampleTicketId = '7e6d5c4b-3a29-4188-9786-a5b4c3d2e1f0';
const summary = z.object({ summary: z.string().min(1).max(20_000) }).strict();

/** Major incidents (major.routes.ts): staff read; duty managers and admins act. */
export const majorApi = defineApi('major-incidents', [
  {
    method: 'get',
    path: '/api/major-incidents',
    operationId: 'listMajorIncidents',
    tagDescription:
      'Declare a major incident, announce, close and record its root cause (duty managers and admins).',
    summary: 'Major incidents, newest first',
    auth: 'staff',
    query: z.object({ status: z.enum(['open', 'closed']).optional() }),
    responses: {
      200: json(z.object({ majorIncidents: z.array(majorIncidentSchema) }), 'The incidents'),
    },
    example: { query: { status: 'open' } },
  },
  {
    method: 'get',
    path: '/api/major-incidents/{ticketId}',
    operationId: 'getMajorIncident',
    summary: 'One major incident',
    auth: 'staff',
    params: ticketIdParam,
    responses: { 200: json(majorIncidentSchema, 'The incident') },
    errors: [404],
    example: { params: { ticketId: exampleTicketId } },
  },
  {
    method: 'post',
    path: '/api/major-incidents/{ticketId}',
    operationId: 'declareMajorIncident',
    summary: 'Declare a ticket a major incident (links children, alerts the service director)',
    auth: 'staff',
    roles: ['duty_manager', 'admin'],
    params: ticketIdParam,
    body: z
      .object({
        childTicketIds: z.array(z.string().min(1).max(64)).max(500).default([]),
        note: z.string().max(2000).optional(),
      })
      .strict(),
    responses: {
      201: json(majorIncidentSchema.extend({ ticket: ticketSchema }), 'Declared'),
    },
    errors: [404, 409],
    example: {
      params: { ticketId: exampleTicketId },
      body: {
        childTicketIds: [],
        note: 'Core switch down in building B: every floor is off the network',
      },
    },
  },
  {
    method: 'post',
    path: '/api/major-incidents/{ticketId}/announcements',
    operationId: 'announceMajorIncident',
    summary: 'Post an announcement, an update or the restoration (a public comment)',
    description:
      'A public comment on the ticket (restarts its `update` clock). The first announcement meets the `announce` clock, `restored` the `restore` clock (their milestones confirmed on both sides).',
    auth: 'staff',
    roles: ['duty_manager', 'admin'],
    params: ticketIdParam,
    body: z
      .object({
        kind: z.enum(['announcement', 'update', 'restored']),
        text: z.string().min(1).max(20_000),
      })
      .strict(),
    responses: { 201: json(majorIncidentSchema, 'Posted') },
    errors: [404],
    example: {
      params: { ticketId: exampleTicketId },
      body: {
        kind: 'announcement',
        text: 'Network outage in building B; engineers are on site. Next update 10:30.',
      },
    },
  },
  {
    method: 'post',
    path: '/api/major-incidents/{ticketId}/close',
    operationId: 'closeMajorIncident',
    summary: 'Close a major incident; a root-cause report falls due in 48 h',
    description:
      'The ticket moves on: its major-incident flag is cleared (the clocks stop) and, when it is in progress, it is resolved with the summary. The closer gets an info alert for the root-cause task; it escalates when overdue.',
    auth: 'staff',
    roles: ['duty_manager', 'admin'],
    params: ticketIdParam,
    body: summary,
    responses: { 200: json(majorIncidentSchema, 'Closed') },
    errors: [404],
    example: {
      params: { ticketId: exampleTicketId },
      body: { summary: 'Switch replaced; every floor back since 11:05.' },
    },
  },
  {
    method: 'post',
    path: '/api/major-incidents/{ticketId}/children',
    operationId: 'linkMajorIncidentChildren',
    summary: 'Link child tickets to an open major incident',
    description:
      'Children already linked are left as they are; the announcements, updates and restoration posted afterwards are posted on each open child too.',
    auth: 'staff',
    roles: ['duty_manager', 'admin'],
    params: ticketIdParam,
    body: z.object({ childTicketIds: z.array(z.string().min(1).max(64)).min(1).max(500) }).strict(),
    responses: { 200: json(majorIncidentSchema, 'Linked') },
    errors: [404],
    example: {
      params: { ticketId: exampleTicketId },
      body: { childTicketIds: ['0b1c2d3e-4f50-4a61-8b72-93a4b5c6d7e8'] },
    },
  },
  {
    method: 'delete',
    path: '/api/major-incidents/{ticketId}/children/{childId}',
    operationId: 'unlinkMajorIncidentChild',
    summary: 'Unlink a child ticket from an open major incident',
    auth: 'staff',
    roles: ['duty_manager', 'admin'],
    params: ticketIdParam.extend({
      childId: z.string().min(1).max(64).describe('The child ticket id'),
    }),
    responses: { 200: json(majorIncidentSchema, 'Unlinked') },
    errors: [404],
    example: {
      params: { ticketId: exampleTicketId, childId: '0b1c2d3e-4f50-4a61-8b72-93a4b5c6d7e8' },
    },
  },
  {
    method: 'post',
    path: '/api/major-incidents/{ticketId}/root-cause',
    operationId: 'recordRootCause',
    summary: 'Record the root cause of a closed major incident',
    description:
      "An engineer of the ticket's scope (its group or its assignee) records it once; once recorded only a duty manager or an admin changes it (403).",
    auth: 'staff',
    roles: ['duty_manager', 'admin', 'engineer'],
    params: ticketIdParam,
    body: summary,
    responses: { 200: json(majorIncidentSchema, 'Recorded') },
    errors: [404],
    example: {
      params: { ticketId: exampleTicketId },
      body: { summary: 'A firmware bug in the switch stack; firmware updated on every stack.' },
    },
  },
]);
