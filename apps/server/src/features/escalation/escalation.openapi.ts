import { alertViewSchema, commandAckSchema } from '@dutydesk/shared';
import { z } from 'zod';
import { defineApi, json, named } from '../openapi';
import { escalationPolicySchema } from './policy';

const alertId = z.object({ id: z.string().min(1).max(64).describe("The alert's id") });
const exampleAlertId = '3c2b1a09-8f7e-4d6c-b5a4-132435465768';
const policies = z.object({
  policies: z.array(named(escalationPolicySchema, 'EscalationPolicy')),
});

/** Alerts and the escalation ladder (escalation.routes.ts). */
export const escalationApi = defineApi('escalation', [
  {
    method: 'get',
    path: '/api/alerts',
    operationId: 'listAlerts',
    tagDescription:
      'Alerts the caller may see, acknowledging them, and the escalation ladder (docs/protocol.md, Escalation).',
    summary: 'Alerts the caller may see, newest first',
    auth: 'any',
    query: z.object({
      open: z.enum(['true', 'false']).optional().describe('Only open (`true`) or only closed ones'),
      ticketId: z.string().optional().describe("One ticket's alerts"),
      limit: z
        .string()
        .regex(/^\d+$/)
        .optional()
        .describe('At most this many, 1–5000 (default 500)'),
    }),
    responses: { 200: json(z.object({ alerts: z.array(alertViewSchema) }), 'The alerts') },
    example: { query: { open: 'true', limit: '100' } },
  },
  {
    method: 'get',
    path: '/api/alerts/{id}',
    operationId: 'getAlert',
    summary: 'One alert, with the alerts a digest folds',
    auth: 'any',
    params: alertId,
    responses: {
      200: json(alertViewSchema.extend({ members: z.array(alertViewSchema) }), 'The alert'),
    },
    errors: [404],
    example: { params: { id: exampleAlertId } },
  },
  {
    method: 'post',
    path: '/api/alerts/{id}/ack',
    operationId: 'acknowledgeAlert',
    summary: 'Acknowledge an alert (the `alert.ack` command)',
    description:
      'For its recipients, duty managers and admins (403 otherwise). Send your own `commandId` (8+ characters) to retry safely; 409 when another user used it. Without one the server takes a random one (a second ack finds the alert acknowledged).',
    auth: 'staff',
    params: alertId,
    body: z.object({ commandId: z.string().min(8).max(100).optional() }),
    responses: { 200: json(commandAckSchema, 'Acknowledged') },
    errors: [404, 409, 429],
    example: { params: { id: exampleAlertId }, body: { commandId: 'ack-2026-12-03-0001' } },
  },
  {
    method: 'get',
    path: '/api/escalation/policies',
    operationId: 'getEscalationPolicies',
    summary: 'The escalation ladder in force',
    description: 'The stored policies, else the defaults.',
    auth: 'staff',
    roles: ['admin', 'duty_manager'],
    responses: { 200: json(policies, 'The policies') },
    example: {},
  },
  {
    method: 'put',
    path: '/api/escalation/policies',
    operationId: 'replaceEscalationPolicies',
    summary: 'Replace the escalation ladder',
    description:
      'The body may also be the bare list. 400 with `fields` (`policies.0.steps.1.levels`).',
    auth: 'staff',
    roles: ['admin'],
    body: policies,
    responses: { 200: json(policies, 'Saved') },
    example: {
      body: {
        policies: [
          {
            id: 'P1',
            name: 'P1 tickets',
            appliesTo: { priorities: ['P1'] },
            steps: [
              {
                id: 'warning',
                on: { targets: ['response', 'resolve'], threshold: 75 },
                severity: 'warning',
                levels: [
                  { notify: 'assignee', ackMinutes: 10 },
                  { notify: 'duty_manager', ackMinutes: null },
                ],
              },
            ],
          },
        ],
      },
    },
  },
]);
