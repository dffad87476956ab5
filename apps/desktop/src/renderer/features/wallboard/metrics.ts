import { z } from 'zod';

const attainmentSchema = z.object({
  met: z.number(),
  breached: z.number(),
  rate: z.number().nullable(),
});

const slaWindowSchema = z.object({ response: attainmentSchema, resolve: attainmentSchema });

/**
 * The `wallboard.metrics` payload (the server's `DeskMetrics`, defined in docs/metrics.md).
 * Parsed on arrival; anything else is dropped.
 */
export const wallboardMetricsSchema = z.object({
  version: z.literal(1),
  generatedAt: z.string(),
  seq: z.number(),
  timeZone: z.string(),
  windows: z.object({ todayStart: z.string(), weekStart: z.string() }),
  open: z.object({
    total: z.number(),
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
    urgent: z
      .array(
        z.object({
          ticketId: z.string(),
          number: z.string(),
          title: z.string(),
          priority: z.string(),
          target: z.string(),
          dueAt: z.string(),
          state: z.enum(['running', 'breached']),
        }),
      )
      .max(20),
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
  alerts: z.object({
    open: z.number(),
    oldest: z
      .array(
        z.object({
          alertId: z.string(),
          severity: z.string(),
          message: z.string(),
          raisedAt: z.string(),
          ticketId: z.string().nullable(),
        }),
      )
      .max(20),
  }),
  majorIncidents: z.object({
    count: z.number(),
    items: z
      .array(
        z.object({
          ticketId: z.string(),
          number: z.string(),
          title: z.string(),
          status: z.string(),
          nextDeadline: z.object({ target: z.string(), dueAt: z.string() }).nullable(),
        }),
      )
      .max(20),
  }),
  duty: z.object({
    rosterConfigured: z.boolean(),
    source: z.enum(['presence', 'roster']),
    byRole: z.object({ agent: z.number(), engineer: z.number(), duty_manager: z.number() }),
    available: z.number(),
    people: z
      .array(z.object({ userId: z.string(), displayName: z.string(), roles: z.array(z.string()) }))
      .max(100),
  }),
});
export type WallboardMetrics = z.infer<typeof wallboardMetricsSchema>;
