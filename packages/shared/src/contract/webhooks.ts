import { z } from 'zod';
import { EventType } from './events';
import { groupIdSchema } from './ids';
import { anyText, requiredText, storableString } from './text';
import { instantSchema } from './ticket';

/**
 * Event types a webhook may subscribe to: every stored type (`event.withheld` only stands in
 * for an event on a seat's stream and is never stored).
 */
export const WEBHOOK_EVENT_TYPES = EventType.filter((t) => t !== 'event.withheld') as Exclude<
  EventType,
  'event.withheld'
>[];
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/**
 * Whether a subscription pattern covers an event type: `*` every type, `ticket.*` every type
 * of that family, otherwise the exact type.
 * @example matchesEventPattern('ticket.*', 'ticket.created') // true
 * @example matchesEventPattern('sla.breached', 'sla.warning') // false
 */
export function matchesEventPattern(pattern: string, type: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return type.startsWith(pattern.slice(0, -1));
  return pattern === type;
}

/**
 * The event types a list of patterns covers, in the log's own order.
 * @example expandEventPatterns(['sla.*']) // ['sla.planned', 'sla.warning', 'sla.breached']
 */
export function expandEventPatterns(patterns: readonly string[]): WebhookEventType[] {
  return WEBHOOK_EVENT_TYPES.filter((t) => patterns.some((p) => matchesEventPattern(p, t)));
}

/** One subscription pattern: `*`, a family wildcard (`ticket.*`) or an exact event type; it must cover a type. */
export const webhookEventPatternSchema = z
  .string()
  .min(1, 'required')
  .max(64, 'at most 64 characters')
  .regex(
    /^(\*|[a-z]+\.\*|[a-z]+\.[A-Za-z.]+)$/,
    'an event type, a family wildcard like ticket.* or *',
  )
  .refine((p) => expandEventPatterns([p]).length > 0, {
    message: `matches no event type (known: ${WEBHOOK_EVENT_TYPES.join(', ')})`,
  });

/**
 * A receiver's URL: http or https, no credentials in it (use the signature), no fragment. The
 * server also refuses hosts that resolve to loopback, private, link-local or other non-public
 * addresses unless the operator allows them (`DUTYDESK_WEBHOOK_ALLOW_HOSTS`).
 */
export const webhookUrlSchema = storableString()
  .trim()
  .min(1, 'required')
  .max(2_048, 'at most 2048 characters')
  .superRefine((raw, ctx) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'not an absolute URL' });
      return;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      ctx.addIssue({ code: 'custom', message: 'must be an http or https URL' });
    else if (url.username || url.password)
      ctx.addIssue({ code: 'custom', message: 'must not carry a user name or password' });
    else if (url.hash) ctx.addIssue({ code: 'custom', message: 'must not have a #fragment' });
  });

const eventsField = z
  .array(webhookEventPatternSchema)
  .min(1, 'at least one event type')
  .max(50, 'at most 50 patterns');
const groupIdsField = z.array(groupIdSchema).max(100, 'at most 100 groups');
const organisationsField = z.array(requiredText(200)).max(100, 'at most 100 organisations');

/** `POST /api/webhooks`: a URL and the event types it gets, optionally only some groups' or organisations' tickets. */
export const webhookCreateSchema = z
  .object({
    url: webhookUrlSchema,
    events: eventsField,
    /** Only events of tickets in these groups (absent or empty: any group, and events without a ticket). */
    groupIds: groupIdsField.optional(),
    /** Only events of tickets whose customer organisation is one of these (exact names). */
    organisations: organisationsField.optional(),
    description: anyText(500).optional(),
  })
  .strict();
export type WebhookCreate = z.infer<typeof webhookCreateSchema>;

/** `PATCH /api/webhooks/:id`: any of the create fields; at least one. */
export const webhookUpdateSchema = webhookCreateSchema
  .partial()
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: 'nothing to change' });
export type WebhookUpdate = z.infer<typeof webhookUpdateSchema>;

/** `POST /api/webhooks/:id/replay`: deliver again from this seq on (inclusive). */
export const webhookReplaySchema = z
  .object({ fromSeq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER) })
  .strict();
export type WebhookReplay = z.infer<typeof webhookReplaySchema>;

export const WebhookStatus = { active: 'active', paused: 'paused' } as const;
export type WebhookStatus = (typeof WebhookStatus)[keyof typeof WebhookStatus];

/** Why a subscription is paused: an admin paused it, or its deliveries failed for 24 h. */
export const WebhookPauseReason = { admin: 'admin', failing: 'failing' } as const;
export type WebhookPauseReason = (typeof WebhookPauseReason)[keyof typeof WebhookPauseReason];

/** A subscription as an admin reads it (never its secret). */
export const webhookSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  groupIds: z.array(z.string()),
  organisations: z.array(z.string()),
  description: z.string(),
  status: z.enum([WebhookStatus.active, WebhookStatus.paused]),
  pausedReason: z.enum([WebhookPauseReason.admin, WebhookPauseReason.failing]).nullable(),
  /** The last seq delivered (or skipped as not matching). */
  cursorSeq: z.number().int().min(0),
  /** The head event's retries, while it fails. */
  failing: z
    .object({
      attempts: z.number().int().min(1),
      since: instantSchema,
      nextAttemptAt: instantSchema.nullable(),
      lastError: z.string(),
    })
    .nullable(),
  createdAt: instantSchema,
  updatedAt: instantSchema,
  /** Deliveries are also signed with the previous secret until then (after a rotation). */
  previousSecretExpiresAt: instantSchema.nullable(),
});
export type Webhook = z.infer<typeof webhookSchema>;

/** What creating a subscription or rotating its secret answers: the secret, shown this once. */
export const webhookWithSecretSchema = webhookSchema.extend({
  secret: z.string().regex(/^whsec_[A-Za-z0-9+/=]+$/),
});
export type WebhookWithSecret = z.infer<typeof webhookWithSecretSchema>;

/** How one delivery attempt ended. */
export const DeliveryOutcome = {
  delivered: 'delivered',
  /** The receiver answered, not 2xx (a redirect included: redirects are not followed). */
  httpError: 'http_error',
  timeout: 'timeout',
  /** Connection refused or reset, DNS failure, TLS error. */
  network: 'network',
  /** The address is not allowed (loopback, private, link-local …). */
  refused: 'refused',
} as const;
export type DeliveryOutcome = (typeof DeliveryOutcome)[keyof typeof DeliveryOutcome];
export const DELIVERY_OUTCOMES = Object.values(DeliveryOutcome) as [
  DeliveryOutcome,
  ...DeliveryOutcome[],
];

/** One attempt in a subscription's delivery log. */
export const webhookDeliverySchema = z.object({
  /** The `webhook-id` header: the same on every retry of an event (a receiver drops repeats by it). */
  id: z.string(),
  seq: z.number().int().min(1),
  eventType: z.string(),
  attempt: z.number().int().min(1),
  outcome: z.enum(DELIVERY_OUTCOMES),
  httpStatus: z.number().int().nullable(),
  durationMs: z.number().int().min(0),
  error: z.string().nullable(),
  at: instantSchema,
});
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;

/**
 * The body of every delivery (Standard Webhooks' recommended shape): `type` and `timestamp`
 * of the event, `data` the event as the log holds it (`seq`, `id`, `type`, `ticketId`, `at`,
 * `actorId`, `data`).
 */
export const webhookPayloadSchema = z.object({
  type: z.string(),
  timestamp: instantSchema,
  data: z.object({
    seq: z.number().int().min(1),
    id: z.string(),
    type: z.string(),
    ticketId: z.string().nullable(),
    at: instantSchema,
    actorId: z.string().nullable(),
    data: z.unknown(),
  }),
});
export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;
