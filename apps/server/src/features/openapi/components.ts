import {
  alertViewSchema,
  appErrorSchema,
  businessCalendarSchema,
  commandAckSchema,
  commandSchema,
  deskMetricsSchema,
  eventSchema,
  fieldErrorSchema,
  publicUserSchema,
  slaPolicySchema,
  ticketSchema,
  timelinePageSchema,
} from '@dutydesk/shared';
import { zodToOpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import type { ErrorStatus } from './spec';

/** The body of every error answer: `{ error: { code, message, fields? } }` (http/errors.ts). */
export const errorBodySchema = z.object({ error: appErrorSchema });

/**
 * Shared contract schemas that appear under `components.schemas` by name instead of inline.
 * They are named in zod-to-openapi's own metadata registry (what its `.openapi('Name')` writes,
 * without patching zod's prototype or the contract), on the very instances the contract nests
 * (`commandAckSchema` holds `ticketSchema`), so every use becomes a `$ref`. (zod's own
 * `.meta({ id })` is not read as a name by zod-to-openapi 9.1.) Branded ids are not named:
 * `.brand()` returns the same instance for every id kind.
 */
const sharedNames: ReadonlyArray<[z.ZodType, string]> = [
  [fieldErrorSchema, 'FieldError'],
  [appErrorSchema, 'AppError'],
  [errorBodySchema, 'ErrorBody'],
  [publicUserSchema, 'PublicUser'],
  [ticketSchema, 'Ticket'],
  [eventSchema, 'Event'],
  [commandSchema, 'Command'],
  [commandAckSchema, 'CommandAck'],
  [alertViewSchema, 'AlertView'],
  [deskMetricsSchema, 'DeskMetrics'],
  [timelinePageSchema, 'TimelinePage'],
  [slaPolicySchema, 'SlaPolicy'],
  [businessCalendarSchema, 'BusinessCalendar'],
];

/**
 * Names a feature's schema: it appears once under `components.schemas` and is referenced
 * wherever it is used. Returns the same schema.
 * @example const majorIncidentSchema = named(z.object({ … }), 'MajorIncident');
 */
export function named<T extends z.ZodType>(schema: T, refId: string): T {
  zodToOpenAPIRegistry.add(schema, { _internal: { refId } });
  return schema;
}

let namedOnce = false;
/** Names the shared schemas (idempotent; called before a document is generated). */
export function nameSharedSchemas(): void {
  if (namedOnce) return;
  namedOnce = true;
  for (const [schema, refId] of sharedNames) {
    if (!zodToOpenAPIRegistry.has(schema))
      zodToOpenAPIRegistry.add(schema, { _internal: { refId } });
  }
}

/** `components.responses` name and text of each error status. */
export const errorResponses: Readonly<Record<ErrorStatus, [string, string]>> = {
  400: ['Invalid', 'The request is invalid: `fields` names each bad field by its dotted path.'],
  401: ['Unauthorized', 'No valid token (`Authorization: Bearer …`), or a wrong password.'],
  403: ['Forbidden', "The caller's role or groups do not allow this."],
  404: ['NotFound', 'No such resource (or not one the caller may see).'],
  409: ['Conflict', 'The resource exists already, or changed since the caller read it.'],
  410: ['Gone', 'The resource existed and was deleted (an attachment past its retention).'],
  413: [
    'PayloadTooLarge',
    'The body is over 1 MB (an upload: over its limit), or would grow a ticket past its bounds.',
  ],
  415: ['UnsupportedMediaType', 'The body is not of a media type the operation reads.'],
  429: ['RateLimited', 'Too many requests: wait `Retry-After` seconds.'],
  500: ['Internal', 'An unexpected error (logged with the request id).'],
  503: ['Unavailable', 'The server cannot answer now (stopping, or the database is away).'],
};

/** The security schemes: all are bearer tokens, told apart by who holds them. */
export const securitySchemes = {
  sessionToken: {
    type: 'http',
    scheme: 'bearer',
    description:
      'A session token from `POST /api/auth/login`, sent as `Authorization: Bearer <token>`.',
  },
  deviceToken: {
    type: 'http',
    scheme: 'bearer',
    description:
      "A wallboard device's read-only token from `POST /api/devices` (admin), sent as `Authorization: Bearer <token>`. It reads the wallboard's metrics and ticket summaries only.",
  },
  integrationToken: {
    type: 'http',
    scheme: 'bearer',
    description:
      'An integration token from `POST /api/integrations` (admin), sent as `Authorization: Bearer <token>`. It opens the intake doors (`/api/intake/alertmanager`, `/metrics`, `/calls`, `/chats`) and nothing else.',
  },
  portalToken: {
    type: 'http',
    scheme: 'bearer',
    description:
      "A customer's portal token, sent as `Authorization: Bearer <token>`: a signed ticket link's (`ddl_…`, from `POST /api/portal/links` or a mail; one ticket, expiring, revocable) or a customer account's session (`ddp_…`, from `POST /api/portal/login`). It opens `/api/portal/*`'s customer routes and nothing else.",
  },
} as const;
