import { z } from 'zod';
import type { CalendarSet } from './calendar';
import { clockSchema } from './calendar';

/** Ticket priorities the SLA engine knows. */
export const SlaPriority = { P1: 'P1', P2: 'P2', P3: 'P3' } as const;
export type SlaPriority = (typeof SlaPriority)[keyof typeof SlaPriority];
export const slaPrioritySchema = z.enum(['P1', 'P2', 'P3']);

/** Colours shown on every seat. `grey` = paused or stopped. */
export const SlaColour = { green: 'green', amber: 'amber', red: 'red', grey: 'grey' } as const;
export type SlaColour = (typeof SlaColour)[keyof typeof SlaColour];

/** Where a target's clock starts: on receipt, or at the last public update (else receipt). */
export const SlaClockStart = { receipt: 'receipt', lastPublicUpdate: 'lastPublicUpdate' } as const;
export type SlaClockStart = (typeof SlaClockStart)[keyof typeof SlaClockStart];

/** Events that stop (meet) a target; a target lists several, the earliest present counts. */
export const SlaStopEvent = {
  firstResponse: 'firstResponse',
  resolved: 'resolved',
  milestone: 'milestone',
} as const;
export type SlaStopEvent = (typeof SlaStopEvent)[keyof typeof SlaStopEvent];

/**
 * How a target's due time is set: a business duration in a calendar, a time of day on the
 * next working day of a calendar after the day the clock started, or the earlier of the two.
 */
export const slaDueSchema = z.discriminatedUnion('kind', [
  /** `minutes` (and `seconds`, for a hotline's answer within 30 s) of business time; more than 0 in all. */
  z.object({
    kind: z.literal('duration'),
    calendar: z.string().min(1),
    minutes: z.number().int().nonnegative(),
    seconds: z.number().int().min(0).max(59).optional(),
  }),
  z.object({
    kind: z.literal('nextWorkingDayAt'),
    calendar: z.string().min(1),
    time: clockSchema,
  }),
  /** The earlier of `minutes` business minutes and `time` on the next working day (P3 response). */
  z.object({
    kind: z.literal('earlierOf'),
    calendar: z.string().min(1),
    minutes: z.number().int().positive(),
    time: clockSchema,
  }),
]);
export type SlaDue = z.infer<typeof slaDueSchema>;

/**
 * The business time a `duration` or `earlierOf` due time gives, in ms (minutes and seconds).
 * @example dueBudgetMs({ kind: 'duration', calendar: '24x7', minutes: 0, seconds: 30 }) // 30000
 */
export function dueBudgetMs(due: Exclude<SlaDue, { kind: 'nextWorkingDayAt' }>): number {
  return due.minutes * 60_000 + ('seconds' in due ? (due.seconds ?? 0) * 1000 : 0);
}

/**
 * A ticket status (and optionally its pending reason) that pauses a clock.
 * `reason` absent matches any reason; `null` matches only "no reason".
 */
export const pauseRuleSchema = z.object({
  status: z.string().min(1),
  reason: z.string().nullable().optional(),
});
export type PauseRule = z.infer<typeof pauseRuleSchema>;

/**
 * A warning threshold: `percent` of the target's business budget, plus `afterMinutes` business
 * minutes (so `{ percent: 100, afterMinutes: 30 }` = 30 min past the breach). `colour` is the
 * colour once crossed. 100 % is the breach.
 */
export const slaThresholdSchema = z.object({
  percent: z.number().positive().max(1000),
  afterMinutes: z.number().int().nonnegative().default(0),
  colour: z.enum(['green', 'amber', 'red']),
});
export type SlaThreshold = z.infer<typeof slaThresholdSchema>;

/** Which tickets a target applies to (all conditions must hold; absent = any). */
export const slaAppliesToSchema = z.object({
  kinds: z.array(z.string()).optional(),
  majorIncident: z.boolean().optional(),
  priorities: z.array(slaPrioritySchema).optional(),
  /** Ticket categories (the intake doors set `pre-maintenance`, `field-service`, `hotline-call`). */
  categories: z.array(z.string()).optional(),
});
export type SlaAppliesTo = z.infer<typeof slaAppliesToSchema>;

/** One SLA target (`response`, `update`, `resolve`, or a custom name). */
export const slaTargetDefSchema = z
  .object({
    name: z.string().min(1),
    due: slaDueSchema,
    start: z.enum(['receipt', 'lastPublicUpdate']).default('receipt'),
    stopOn: z.array(z.enum(['firstResponse', 'resolved', 'milestone'])).min(1),
    /** Key into `subject.milestones` when `stopOn` has `milestone`; defaults to the name. */
    milestone: z.string().optional(),
    appliesTo: slaAppliesToSchema.optional(),
    pauseWhen: z.array(pauseRuleSchema).optional(),
    thresholds: z.array(slaThresholdSchema).optional(),
  })
  .refine((t) => t.start === 'receipt' || t.due.kind === 'duration', {
    message: 'a clock that restarts on public updates needs a duration',
    path: ['due'],
  })
  .refine((t) => t.due.kind !== 'duration' || dueBudgetMs(t.due) > 0, {
    message: 'a duration needs more than 0 minutes and seconds',
    path: ['due'],
  });
export type SlaTargetDef = z.infer<typeof slaTargetDefSchema>;

/** Targets and compensation share for one priority. */
export const slaPriorityRuleSchema = z.object({
  targets: z.array(slaTargetDefSchema),
  /** Share of the labour hours past the target paid as compensation, in percent. */
  compensationPercent: z.number().min(0).max(1000),
  /** Which target's overrun the compensation is measured on. */
  compensationTarget: z.string().default('resolve'),
  pauseWhen: z.array(pauseRuleSchema).optional(),
  thresholds: z.array(slaThresholdSchema).optional(),
});
export type SlaPriorityRule = z.infer<typeof slaPriorityRuleSchema>;

/**
 * An SLA policy: per-priority targets plus targets for any priority filtered by `appliesTo`
 * (complaint contacts, major incident). `customerIds` makes it a contract policy; the policy
 * without customers is the default.
 */
export const slaPolicySchema = z
  .object({
    id: z.string().min(1),
    name: z.string().optional(),
    customerIds: z.array(z.string()).default([]),
    pauseWhen: z.array(pauseRuleSchema),
    thresholds: z.array(slaThresholdSchema).min(1),
    priorities: z.object({
      P1: slaPriorityRuleSchema,
      P2: slaPriorityRuleSchema,
      P3: slaPriorityRuleSchema,
    }),
    extraTargets: z.array(slaTargetDefSchema).default([]),
  })
  .superRefine((policy, ctx) => {
    for (const priority of ['P1', 'P2', 'P3'] as const) {
      const names = new Set<string>();
      for (const t of [...policy.priorities[priority].targets, ...policy.extraTargets]) {
        if (t.appliesTo?.priorities && !t.appliesTo.priorities.includes(priority)) continue;
        if (names.has(t.name) && !t.appliesTo) {
          ctx.addIssue({
            code: 'custom',
            message: `target ${t.name} is defined twice for ${priority}`,
            path: ['priorities', priority],
          });
        }
        names.add(t.name);
      }
    }
  });
/** A parsed SLA policy (defaults applied). */
export type SlaPolicy = z.infer<typeof slaPolicySchema>;
/** An SLA policy as written by an admin. */
export type SlaPolicyInput = z.input<typeof slaPolicySchema>;

/**
 * Picks the contract policy listing `customerId`, else the default policy (no customers).
 * @example selectPolicy([defaultPolicy, acmePolicy], 'acme') // acmePolicy
 */
export function selectPolicy(
  policies: ReadonlyArray<SlaPolicy>,
  customerId?: string | null,
): SlaPolicy | null {
  if (customerId) {
    const contract = policies.find((p) => p.customerIds.includes(customerId));
    if (contract) return contract;
  }
  return policies.find((p) => p.customerIds.length === 0) ?? null;
}

/**
 * Lists the calendar ids a policy references that `calendars` does not define
 * (check this when an admin saves a policy; the engine throws on a missing calendar).
 * @example findMissingCalendars(defaultSlaPolicy, defaultCalendars) // []
 */
export function findMissingCalendars(policy: SlaPolicy, calendars: CalendarSet): string[] {
  const ids = new Set<string>();
  for (const rule of Object.values(policy.priorities)) {
    for (const t of rule.targets) ids.add(t.due.calendar);
  }
  for (const t of policy.extraTargets) ids.add(t.due.calendar);
  return [...ids].filter((id) => !Object.hasOwn(calendars, id)).sort();
}
