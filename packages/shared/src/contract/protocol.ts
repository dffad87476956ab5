/**
 * The socket protocol, both directions, in one place: every message a seat or a wallboard
 * receives and every message it may send, each with its zod schema. The event maps the server
 * (`Server<ClientToServerEvents, ServerToClientEvents>`) and the console's bridge are typed
 * with are derived from these tables, so a payload that does not match fails `tsc` on either
 * side (`protocol.test-d.ts` pins that), and every inbound message is parsed against the same
 * schema at runtime (the server's `onMessage`, the console's bridge).
 *
 * docs/protocol.md describes the flow (hello → snapshot or replay → live, `sync`, `head`).
 */
import { z } from 'zod';
import { publicUserSchema, roleSchema } from './auth';
import { appErrorSchema } from './errors';
import { handoffNotificationSchema, eventSchema } from './events';
import { alertIdSchema, ticketIdSchema, userIdSchema } from './ids';
import { instantSchema, prioritySchema, TIMELINE_LOGS, ticketSchema } from './ticket';
import { commandSchema } from './commands';
import { surveyFiguresSchema } from './surveys';

// ---------------------------------------------------------------------------------------------
// Acks: one shape for every request that is answered.

/** The error of a refused request: an `AppError`, the ticket as it is for a conflict, and how long to wait when rate limited. */
export const ackErrorSchema = appErrorSchema.extend({
  ticket: ticketSchema.optional(),
  retryAfterMs: z.number().int().nonnegative().optional(),
});
export type AckError = z.infer<typeof ackErrorSchema>;

/** The answer to a request: `{ ok: true, …result }` or `{ ok: false, error }`. */
export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: AckError };

/** The schema of `Ack<T>` for a result shape. */
export function ackSchemaOf<S extends z.ZodRawShape>(result: S) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), ...result }),
    z.object({ ok: z.literal(false), error: ackErrorSchema }),
  ]);
}

/** What every command answers, on the socket and over REST: its events and the ticket after them. */
export const commandAckSchema = ackSchemaOf({
  ticket: ticketSchema.optional(),
  events: z.array(eventSchema),
});
export type CommandAck = z.infer<typeof commandAckSchema>;

// ---------------------------------------------------------------------------------------------
// Handshake and the messages the server sends.

/** The handshake `auth` object a client sends. */
export const handshakeAuthSchema = z.object({
  token: z.string().min(1).max(200),
  lastSeq: z.number().int().nonnegative().optional(),
  protocolVersion: z.number().int().optional(),
});
export type HandshakeAuth = z.infer<typeof handshakeAuthSchema>;

/** First message on every connection: protocol version, server clock and the newest seq. */
export const helloSchema = z.object({
  protocolVersion: z.number().int(),
  serverTime: z.string(),
  seq: z.number().int().nonnegative(),
  user: publicUserSchema,
  /** Whether the events after the client's `lastSeq` follow as a replay (`false`: a snapshot follows). */
  replay: z.boolean(),
});
export type Hello = z.infer<typeof helloSchema>;

/** The open tickets at `seq` (each with the latest entries of its logs), instead of a replay. */
export const snapshotSchema = z.object({
  seq: z.number().int().nonnegative(),
  tickets: z.array(ticketSchema),
});
export type Snapshot = z.infer<typeof snapshotSchema>;

/** The newest seq in the log, every few seconds: a seat behind it with nothing held asks `sync`. */
export const headSchema = z.object({ seq: z.number().int().nonnegative() });
export type Head = z.infer<typeof headSchema>;

/** Presence in one ticket: who views it, who types. Ephemeral, never stored. */
export const presenceSchema = z.object({
  ticketId: z.string(),
  viewers: z.array(z.object({ userId: z.string(), displayName: z.string(), typing: z.boolean() })),
});
export type Presence = z.infer<typeof presenceSchema>;

/** Alert severities (as on `alert.raised`). */
const alertSeveritySchema = z.enum(['info', 'warning', 'critical']);

/**
 * An alert as a seat sees it: in `alerts` after every connect, in `alert` when one is raised,
 * climbs or its digest grows, and over REST (`GET /api/alerts`).
 */
export const alertViewSchema = z.object({
  id: alertIdSchema,
  ticketId: ticketIdSchema.nullable(),
  kind: z.string().min(1).max(64),
  stepKey: z.string().max(200),
  level: z.number().int().positive(),
  severity: alertSeveritySchema,
  message: z.string().max(2_000),
  recipientIds: z.array(userIdSchema),
  roles: z.array(roleSchema),
  status: z.enum(['open', 'acknowledged', 'closed']),
  outcome: z.string().nullable(),
  /** Alerts folded into a digest, 1 for a single one. */
  count: z.number().int().nonnegative(),
  parentId: alertIdSchema.nullable(),
  createdAt: instantSchema,
  lastRaisedAt: instantSchema,
  /** When it climbs to the next level unless acknowledged. */
  climbAt: instantSchema.nullable(),
  acknowledgedBy: userIdSchema.nullable(),
  acknowledgedAt: instantSchema.nullable(),
  /** Kind-specific details (a digest's ticket ids, a handover's id…). */
  data: z.record(z.string(), z.unknown()),
});
export type AlertView = z.infer<typeof alertViewSchema>;

/** `alerts { alerts }`, once after every (re)connect: the open alerts this seat may see. */
export const alertsMessageSchema = z.object({ alerts: z.array(alertViewSchema) });
export type AlertsMessage = z.infer<typeof alertsMessageSchema>;

const attainmentSchema = z.object({
  met: z.number().int().nonnegative(),
  breached: z.number().int().nonnegative(),
  /** Null when nothing was decided in the window. */
  rate: z.number().nullable(),
});
export type Attainment = z.infer<typeof attainmentSchema>;
const slaWindowSchema = z.object({ response: attainmentSchema, resolve: attainmentSchema });

/** Roles that count as staff on duty. */
export const DUTY_ROLES = ['agent', 'engineer', 'duty_manager'] as const;
export type DutyRole = (typeof DUTY_ROLES)[number];

const urgentCountdownSchema = z.object({
  ticketId: z.string(),
  number: z.string(),
  title: z.string(),
  priority: prioritySchema,
  target: z.string(),
  dueAt: z.string(),
  state: z.enum(['running', 'breached']),
});
export type UrgentCountdown = z.infer<typeof urgentCountdownSchema>;

const metricsAlertSchema = z.object({
  alertId: z.string(),
  severity: z.string(),
  message: z.string(),
  raisedAt: z.string(),
  ticketId: z.string().nullable(),
});
export type MetricsAlert = z.infer<typeof metricsAlertSchema>;

const majorIncidentSummarySchema = z.object({
  ticketId: z.string(),
  number: z.string(),
  title: z.string(),
  status: z.string(),
  nextDeadline: z.object({ target: z.string(), dueAt: z.string() }).nullable(),
});
export type MajorIncidentSummary = z.infer<typeof majorIncidentSummarySchema>;

const onDutyPersonSchema = z.object({
  userId: z.string(),
  displayName: z.string(),
  roles: z.array(roleSchema),
});
export type OnDutyPerson = z.infer<typeof onDutyPersonSchema>;

/**
 * `wallboard.metrics`: the desk's numbers for the service hall (docs/metrics.md defines each).
 * Every list is bounded: a wallboard must never grow.
 */
export const deskMetricsSchema = z.object({
  version: z.literal(1),
  generatedAt: z.string(),
  /** Newest event seq the numbers reflect. */
  seq: z.number().int().nonnegative(),
  timeZone: z.string(),
  windows: z.object({ todayStart: z.string(), weekStart: z.string() }),
  open: z.object({
    total: z.number().int().nonnegative(),
    byPriority: z.object({ P1: z.number(), P2: z.number(), P3: z.number() }),
    byGroup: z
      .array(
        z.object({
          groupId: z.string().nullable(),
          name: z.string(),
          nameZh: z.string(),
          total: z.number(),
          P1: z.number(),
          P2: z.number(),
          P3: z.number(),
        }),
      )
      .max(200),
  }),
  sla: z.object({ today: slaWindowSchema, week: slaWindowSchema }),
  risk: z.object({
    atRisk: z.number(),
    breached: z.number(),
    urgent: z.array(urgentCountdownSchema).max(20),
  }),
  firstResponse: z.object({ count: z.number(), averageMs: z.number().nullable() }),
  firstContactResolution: z.object({
    resolved: z.number(),
    firstContact: z.number(),
    rate: z.number().nullable(),
  }),
  redispatch: z.object({
    assigned: z.number(),
    redispatched: z.number(),
    rate: z.number().nullable(),
  }),
  csat: z.object({
    responses: z.number(),
    satisfied: z.number(),
    averageScore: z.number().nullable(),
    rate: z.number().nullable(),
  }),
  alerts: z.object({ open: z.number(), oldest: z.array(metricsAlertSchema).max(20) }),
  majorIncidents: z.object({
    count: z.number(),
    items: z.array(majorIncidentSummarySchema).max(20),
  }),
  duty: z.object({
    rosterConfigured: z.boolean(),
    source: z.enum(['presence', 'roster']),
    byRole: z.object({ agent: z.number(), engineer: z.number(), duty_manager: z.number() }),
    available: z.number(),
    people: z.array(onDutyPersonSchema).max(100),
  }),
  /**
   * The hotline today (issue 19): calls waiting now, calls answered, and the share answered
   * within the answer target (`withinSeconds`, 30 s by default; null before the first answer).
   * Absent from servers older than the intake.
   */
  hotline: z
    .object({
      waiting: z.number().int().nonnegative(),
      answered: z.number().int().nonnegative(),
      answeredWithin: z.number().int().nonnegative(),
      withinSeconds: z.number().int().positive(),
      share: z.number().min(0).max(1).nullable(),
    })
    .optional(),
  /**
   * Customer surveys (decision 53): CSAT and NPS answered today and this month (the desk's
   * calendar). Absent from servers older than the surveys.
   */
  surveys: z.object({ today: surveyFiguresSchema, month: surveyFiguresSchema }).optional(),
});
export type DeskMetrics = z.infer<typeof deskMetricsSchema>;

/**
 * Every message the server sends a seat, by name. `event` is one stored event as this seat may
 * see it; `notification` a handoff notice for this user or their group.
 */
export const serverMessageSchemas = {
  hello: helloSchema,
  snapshot: snapshotSchema,
  event: eventSchema,
  head: headSchema,
  presence: presenceSchema,
  alerts: alertsMessageSchema,
  alert: alertViewSchema,
  notification: handoffNotificationSchema,
  'wallboard.metrics': deskMetricsSchema,
} as const;
export type ServerMessageName = keyof typeof serverMessageSchemas;
/** The payload of one server message. */
export type ServerMessageOf<K extends ServerMessageName> = z.infer<
  (typeof serverMessageSchemas)[K]
>;
/** A server message as one value: the console switches over `type` exhaustively. */
export type ServerMessage = {
  [K in ServerMessageName]: { type: K; data: ServerMessageOf<K> };
}[ServerMessageName];
export const SERVER_MESSAGES = Object.keys(serverMessageSchemas) as ServerMessageName[];

// ---------------------------------------------------------------------------------------------
// What a client sends.

/** `sync { after }`: the events after a seq, one page. */
export const syncRequestSchema = z.object({ after: z.number().int().nonnegative() });
export type SyncRequest = z.infer<typeof syncRequestSchema>;
/** `more` when the page was full: ask again after its last seq. */
export const syncAckSchema = ackSchemaOf({ events: z.array(eventSchema), more: z.boolean() });
export type SyncAck = z.infer<typeof syncAckSchema>;

/** `timeline { ticketId, log?, before?, limit? }`: older entries of one log, as over REST. */
export const timelineRequestSchema = z.object({
  ticketId: z.string().min(1).max(64),
  log: z.enum(TIMELINE_LOGS).default('comments'),
  before: z.number().int().nonnegative().optional(),
  limit: z.number().int().min(1).max(500).default(100),
});
export type TimelineRequest = z.input<typeof timelineRequestSchema>;
/** One page of a ticket's log, oldest first: entries at positions [from, from + entries.length). */
export const timelinePageSchema = z.object({
  log: z.enum(TIMELINE_LOGS),
  /** Position of the first entry returned (entries are append-only, so positions are stable). */
  from: z.number().int().nonnegative(),
  /** How many entries the log holds. */
  total: z.number().int().nonnegative(),
  entries: z.array(z.unknown()),
  /** `before` for the next (older) page, or null when this page starts at the first entry. */
  next: z.number().int().nonnegative().nullable(),
});
export type TimelinePage = z.infer<typeof timelinePageSchema>;
export const timelineAckSchema = ackSchemaOf(timelinePageSchema.shape);
export type TimelineAck = z.infer<typeof timelineAckSchema>;

/** `presence.watch { ticketId, typing? }`: this seat views a ticket (and types in it). */
export const presenceWatchSchema = z.object({
  ticketId: z.string().min(1).max(64),
  typing: z.boolean().optional(),
});
/** `presence.leave { ticketId }`. */
export const presenceLeaveSchema = z.object({ ticketId: z.string().min(1).max(64) });
/** `wallboard.subscribe` / `wallboard.unsubscribe`: a staff seat follows `wallboard.metrics`. */
export const wallboardSubscriptionSchema = z.object({}).strict();
export const okAckSchema = ackSchemaOf({});
export type OkAck = z.infer<typeof okAckSchema>;

/**
 * Requests: answered with an ack. `command`'s payload is parsed by the command bus itself
 * (`parseCommand`: one field error per bad field, whatever the command type), so the table
 * holds its input schema for the types and the bus reads it.
 */
export const clientRequestSchemas = {
  command: { payload: commandSchema, ack: commandAckSchema },
  sync: { payload: syncRequestSchema, ack: syncAckSchema },
  timeline: { payload: timelineRequestSchema, ack: timelineAckSchema },
  'wallboard.subscribe': { payload: wallboardSubscriptionSchema, ack: okAckSchema },
} as const;
/** Notices: fire and forget. */
export const clientNoticeSchemas = {
  'presence.watch': presenceWatchSchema,
  'presence.leave': presenceLeaveSchema,
  'wallboard.unsubscribe': wallboardSubscriptionSchema,
} as const;
export type ClientRequestName = keyof typeof clientRequestSchemas;
export type ClientNoticeName = keyof typeof clientNoticeSchemas;
export type ClientRequestPayload<K extends ClientRequestName> = z.input<
  (typeof clientRequestSchemas)[K]['payload']
>;
export type ClientRequestAck<K extends ClientRequestName> = z.infer<
  (typeof clientRequestSchemas)[K]['ack']
>;
export type ClientNoticePayload<K extends ClientNoticeName> = z.input<
  (typeof clientNoticeSchemas)[K]
>;

/** Socket.IO's listen map of the server (emit map of a client). */
export type ClientToServerEvents = {
  [K in ClientRequestName]: (
    payload: ClientRequestPayload<K>,
    ack: (reply: ClientRequestAck<K>) => void,
  ) => void;
} & {
  [K in ClientNoticeName]: (payload: ClientNoticePayload<K>) => void;
};

/** Socket.IO's emit map of the server (listen map of a client). */
export type ServerToClientEvents = {
  [K in ServerMessageName]: (data: ServerMessageOf<K>) => void;
};
