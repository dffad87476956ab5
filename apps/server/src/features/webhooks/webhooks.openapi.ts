import {
  webhookCreateSchema,
  webhookDeliverySchema,
  webhookReplaySchema,
  webhookSchema,
  webhookUpdateSchema,
  webhookWithSecretSchema,
} from '@dutydesk/shared';
import { z } from 'zod';
import { defineApi, json, named } from '../openapi';

const webhook = named(webhookSchema, 'Webhook');
const withSecret = named(webhookWithSecretSchema, 'WebhookWithSecret');
const webhookId = z.object({ id: z.string().min(1).max(64).describe("The subscription's id") });
const exampleId = '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d';
const byId = { params: { id: exampleId } };
/** Every route here: admins only (webhooks.routes.ts). */
const admin = { auth: 'staff', roles: ['admin'] } as const;

/** Outbound webhooks (webhooks.routes.ts, decision 34; docs/protocol.md, Webhooks: signing and delivery). */
export const webhooksApi = defineApi('webhooks', [
  {
    method: 'post',
    path: '/api/webhooks',
    operationId: 'createWebhook',
    tagDescription:
      'Outbound webhooks: subscriptions, secrets, the delivery log and replays (admins; decision 34).',
    summary: 'Subscribe a URL to event types (the signing secret is answered this once)',
    description:
      "Patterns are an event type, a family (`ticket.*`) or `*`. A URL whose host is or resolves to a non-public address is refused (400 on `url`) unless `DUTYDESK_WEBHOOK_ALLOW_HOSTS` allows it. 409 beyond 200 subscriptions. Deliveries start at the log's head.",
    ...admin,
    body: webhookCreateSchema,
    responses: { 201: json(withSecret, 'Subscribed: `secret` (`whsec_…`) is never shown again') },
    errors: [409],
    example: {
      body: {
        url: 'https://hooks.example.com/dutydesk',
        events: ['ticket.*', 'sla.breached', 'alert.raised'],
        groupIds: [],
        description: 'On-call chat',
      },
    },
  },
  {
    method: 'get',
    path: '/api/webhooks',
    operationId: 'listWebhooks',
    summary: 'Every subscription (never a secret)',
    ...admin,
    responses: { 200: json(z.object({ webhooks: z.array(webhook) }), 'The subscriptions') },
    example: {},
  },
  {
    method: 'get',
    path: '/api/webhooks/{id}',
    operationId: 'getWebhook',
    summary: 'One subscription, with its stream position and retry state',
    ...admin,
    params: webhookId,
    responses: { 200: json(webhook, 'The subscription') },
    errors: [404],
    example: byId,
  },
  {
    method: 'patch',
    path: '/api/webhooks/{id}',
    operationId: 'updateWebhook',
    summary: 'Change a subscription (a stream in progress goes on with the change)',
    ...admin,
    params: webhookId,
    body: webhookUpdateSchema,
    responses: { 200: json(webhook, 'Changed') },
    errors: [404],
    example: { ...byId, body: { events: ['ticket.*', 'sla.*'] } },
  },
  {
    method: 'post',
    path: '/api/webhooks/{id}/pause',
    operationId: 'pauseWebhook',
    summary: 'Pause deliveries',
    ...admin,
    params: webhookId,
    responses: { 200: json(webhook, 'Paused') },
    errors: [404],
    example: byId,
  },
  {
    method: 'post',
    path: '/api/webhooks/{id}/resume',
    operationId: 'resumeWebhook',
    summary: 'Resume deliveries (the head event at once, with a new day of retries)',
    ...admin,
    params: webhookId,
    responses: { 200: json(webhook, 'Resumed') },
    errors: [404],
    example: byId,
  },
  {
    method: 'delete',
    path: '/api/webhooks/{id}',
    operationId: 'deleteWebhook',
    summary: 'Delete a subscription and its delivery log',
    ...admin,
    params: webhookId,
    responses: { 204: { description: 'Deleted' } },
    errors: [404],
    example: byId,
  },
  {
    method: 'post',
    path: '/api/webhooks/{id}/rotate-secret',
    operationId: 'rotateWebhookSecret',
    summary: 'A new signing secret; the old one also signs for 24 h',
    ...admin,
    params: webhookId,
    responses: { 200: json(withSecret, 'Rotated: the new `secret`, shown this once') },
    errors: [404],
    example: byId,
  },
  {
    method: 'get',
    path: '/api/webhooks/{id}/deliveries',
    operationId: 'listWebhookDeliveries',
    summary: 'The delivery log, newest first (kept a week)',
    ...admin,
    params: webhookId,
    query: z.object({
      limit: z.string().regex(/^\d+$/).optional().describe('1–500, default 100'),
      before: z.string().regex(/^\d+$/).optional().describe('From `next` of the previous page'),
    }),
    responses: {
      200: json(
        z.object({ deliveries: z.array(webhookDeliverySchema), next: z.string().nullable() }),
        'A page of attempts; `next` is the query of the next page, null at the end',
      ),
    },
    errors: [400, 404],
    example: { ...byId, query: { limit: '50' } },
  },
  {
    method: 'post',
    path: '/api/webhooks/{id}/replay',
    operationId: 'replayWebhook',
    summary: 'Deliver again from a seq on (inclusive), with new message ids',
    ...admin,
    params: webhookId,
    body: webhookReplaySchema,
    responses: { 202: json(webhook, 'Replay started') },
    errors: [404],
    example: { ...byId, body: { fromSeq: 1 } },
  },
]);
