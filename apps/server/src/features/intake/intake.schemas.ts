/** Request and answer bodies of the intake routes (issue 19): what the routes parse with and the OpenAPI shows. */
import { instantSchema, prioritySchema } from '@dutydesk/shared';
import { z } from 'zod';

/** Samples one metrics request may carry. */
export const MAX_SAMPLES = 10_000;
/** Alerts one Alertmanager notification may carry. */
export const MAX_ALERTS = 1_000;
/** The intake doors read bodies up to this size (10 000 samples fit). */
export const INTAKE_BODY_LIMIT = '4mb';

const name = z.string().trim().min(1).max(200);
const labelMap = z
  .record(z.string().max(200), z.string().max(2_000))
  .refine((m) => Object.keys(m).length <= 100, 'at most 100 labels');

export const IntegrationKind = [
  'alertmanager',
  'zabbix',
  'grafana',
  'metrics',
  'cti',
  'chat',
  'email',
  'other',
] as const;

export const integrationCreateSchema = z
  .object({ name: z.string().trim().min(1).max(100), kind: z.enum(IntegrationKind) })
  .strict();

export const integrationSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  createdAt: instantSchema,
  lastUsedAt: instantSchema.nullable(),
  revokedAt: instantSchema.nullable(),
});
export type IntegrationView = z.infer<typeof integrationSchema>;

export const integrationCreatedSchema = z.object({
  id: z.string(),
  /** The bearer token for `/api/intake/*`: shown once, stored hashed. */
  token: z.string(),
});

/** One alert of an Alertmanager webhook notification (version 4). */
export const alertmanagerAlertSchema = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: labelMap,
  annotations: labelMap.optional(),
  startsAt: z.string().max(64),
  endsAt: z.string().max(64).optional(),
  generatorURL: z.string().max(2_000).optional(),
  fingerprint: z.string().min(1).max(200).optional(),
});

/** Prometheus Alertmanager's webhook payload, version 4 (other fields are ignored). */
export const alertmanagerPayloadSchema = z.object({
  version: z.string().max(8).optional(),
  groupKey: z.string().max(2_000).optional(),
  truncatedAlerts: z.number().int().min(0).optional(),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string().max(200).optional(),
  groupLabels: labelMap.optional(),
  commonLabels: labelMap.optional(),
  commonAnnotations: labelMap.optional(),
  externalURL: z.string().max(2_000).optional(),
  alerts: z.array(alertmanagerAlertSchema).min(1).max(MAX_ALERTS),
});
export type AlertmanagerPayload = z.infer<typeof alertmanagerPayloadSchema>;

export const metricSampleSchema = z
  .object({
    device: name,
    metric: z.string().trim().min(1).max(100),
    value: z.number().finite(),
    /** When it was measured; absent: when it arrived (send it to make a resend harmless). */
    at: instantSchema.optional(),
    /** Overrides the device's threshold for this metric. */
    threshold: z.number().finite().positive().optional(),
  })
  .strict();

export const metricsPayloadSchema = z
  .object({ samples: z.array(metricSampleSchema).min(1).max(MAX_SAMPLES) })
  .strict();
export type MetricsPayload = z.infer<typeof metricsPayloadSchema>;

export const callEventSchema = z
  .object({
    callId: z.string().trim().min(1).max(200),
    caller: z.string().trim().min(1).max(50),
    queuedAt: instantSchema,
    answeredAt: instantSchema.nullable().optional(),
    /** The agent's name or extension as the CTI knows it. */
    agent: z.string().trim().max(200).nullable().optional(),
    endedAt: instantSchema.nullable().optional(),
    recordingUrl: z.url().max(2_000).nullable().optional(),
    /** An existing ticket the agent linked the call to; absent: a new ticket for the call. */
    ticketId: z.string().min(1).max(64).optional(),
  })
  .strict();
export type CallEvent = z.infer<typeof callEventSchema>;

export const chatTranscriptSchema = z
  .object({
    chatId: z.string().trim().min(1).max(200),
    customer: z
      .object({
        name: z.string().trim().max(200).optional(),
        phone: z.string().trim().max(50).optional(),
        email: z.email().max(254).optional(),
      })
      .strict(),
    startedAt: instantSchema,
    answeredAt: instantSchema.nullable().optional(),
    endedAt: instantSchema.nullable().optional(),
    agent: z.string().trim().max(200).nullable().optional(),
    messages: z
      .array(
        z
          .object({
            from: z.enum(['customer', 'agent']),
            text: z.string().max(4_000),
            at: instantSchema,
          })
          .strict(),
      )
      .min(1)
      .max(500),
  })
  .strict();
export type ChatTranscript = z.infer<typeof chatTranscriptSchema>;

export const intakeAcceptedSchema = z.object({
  /** Samples, alerts or events taken (duplicates included: they are answered, not repeated). */
  accepted: z.number().int().min(0),
  /** Of those, the ones already seen: taken without a second effect. */
  duplicates: z.number().int().min(0),
  /** Samples skipped because no threshold is known for their device and metric. */
  skipped: z.number().int().min(0),
  /** Tickets opened or changed by this request. */
  ticketIds: z.array(z.string()),
});
export type IntakeAccepted = z.infer<typeof intakeAcceptedSchema>;

export const healthRulesSchema = z
  .object({
    overRun: z.number().int().min(1).max(100),
    redRatio: z.number().min(1).max(100),
    recoverRun: z.number().int().min(1).max(1_000),
  })
  .strict();

export const intakeSettingsSchema = z
  .object({
    /** Alertmanager's `severity` label → priority; `default` for any other or none. */
    severityPriority: z.record(z.string().min(1).max(50), prioritySchema),
    /** A resolved alert resolves its ticket (when an engineer has it in progress). */
    resolveOnRecovery: z.boolean(),
    /** A notification with the same status and times within this many seconds is a resend. */
    alertDedupeSeconds: z.number().int().min(0).max(86_400),
    health: healthRulesSchema,
    /** The hotline's answer target in seconds (the wallboard's "answered within" share). */
    answerSeconds: z.number().int().min(1).max(3_600),
  })
  .strict();
export type IntakeSettings = z.infer<typeof intakeSettingsSchema>;

export const DEFAULT_INTAKE_SETTINGS: IntakeSettings = {
  severityPriority: { critical: 'P1', error: 'P1', warning: 'P2', info: 'P3', default: 'P3' },
  resolveOnRecovery: false,
  alertDedupeSeconds: 60,
  health: { overRun: 3, redRatio: 1.5, recoverRun: 3 },
  answerSeconds: 30,
};

export const deviceInputSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    organisationId: z.string().min(1).max(64).nullable().optional(),
    /** The organisation's operations lead (a contact): told by mail of a red alert. */
    leadContactId: z.string().min(1).max(64).nullable().optional(),
    /** Threshold per metric (`cpu_load`, `memory_used_percent`, `latency_ms`, …). */
    thresholds: z
      .record(z.string().min(1).max(100), z.number().finite().positive())
      .refine((m) => Object.keys(m).length <= 100, 'at most 100 metrics'),
  })
  .strict();

export const deviceSchema = z.object({
  id: z.string(),
  name: z.string(),
  organisationId: z.string().nullable(),
  leadContactId: z.string().nullable(),
  thresholds: z.record(z.string(), z.number()),
  createdAt: instantSchema,
  updatedAt: instantSchema,
});

export const callStatsSchema = z.object({
  waiting: z.number().int().min(0),
  total: z.number().int().min(0),
  answered: z.number().int().min(0),
  answeredWithin: z.number().int().min(0),
  /** answeredWithin / answered, or null before the first answered call of the day. */
  shareWithin: z.number().min(0).max(1).nullable(),
  withinSeconds: z.number().int(),
  since: instantSchema,
});
export type CallStats = z.infer<typeof callStatsSchema>;
