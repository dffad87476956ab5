import { prioritySchema, ticketKindSchema, type Ticket } from '@dutydesk/shared';
import { z } from 'zod';

/** Duties a roster assigns on a shift. */
export const Duty = {
  deskAgent: 'desk_agent',
  engineerL2: 'engineer_l2',
  engineerL3: 'engineer_l3',
  dutyManager: 'duty_manager',
  serviceDirector: 'service_director',
} as const;
export type Duty = (typeof Duty)[keyof typeof Duty];

/** Every duty, for schemas. */
export const DUTIES = Object.values(Duty) as [Duty, ...Duty[]];

/** Whom a level of the ladder alerts: the ticket's assignee or whoever holds a duty now. */
export const notifySchema = z.enum(['assignee', ...DUTIES]);
export type Notify = z.infer<typeof notifySchema>;

/** One level of a step: whom to alert and how long they have to acknowledge before it climbs. */
export const escalationLevelSchema = z
  .object({
    notify: notifySchema,
    /** Minutes to acknowledge before the next level; null: the alert stays at this level. */
    ackMinutes: z.number().int().min(1).max(10_080).nullable(),
  })
  .strict();
export type EscalationLevel = z.infer<typeof escalationLevelSchema>;

/** A step of the ladder: an SLA threshold that raises it (absent: raised by the server) and its levels. */
export const escalationStepSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{1,40}$/, 'lower-case letters, digits and dashes'),
    on: z
      .object({
        /** SLA target names; absent: any target. */
        targets: z.array(z.string().min(1).max(64)).max(20).optional(),
        /** Threshold percent as the SLA policy fires it (100 is the breach). */
        threshold: z.number().min(0).max(1000),
      })
      .strict()
      .optional(),
    severity: z.enum(['info', 'warning', 'critical']),
    levels: z.array(escalationLevelSchema).min(1).max(6),
  })
  .strict();
export type EscalationStep = z.infer<typeof escalationStepSchema>;

/** An escalation policy: which tickets it covers and its ordered steps. */
export const escalationPolicySchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9-]{1,40}$/, 'letters, digits and dashes'),
    name: z.string().trim().min(1).max(200),
    appliesTo: z
      .object({
        priorities: z.array(prioritySchema).optional(),
        kinds: z.array(ticketKindSchema).optional(),
        majorIncident: z.boolean().optional(),
      })
      .strict()
      .default({}),
    steps: z.array(escalationStepSchema).min(1).max(20),
  })
  .strict()
  .superRefine((p, ctx) => {
    const seen = new Set<string>();
    p.steps.forEach((s, i) => {
      if (seen.has(s.id))
        ctx.addIssue({ code: 'custom', path: ['steps', i, 'id'], message: 'duplicate step id' });
      seen.add(s.id);
    });
  });
export type EscalationPolicy = z.infer<typeof escalationPolicySchema>;

/** A list of policies with unique ids. */
export const escalationPolicyListSchema = z
  .array(escalationPolicySchema)
  .min(1)
  .max(100)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((p, i) => {
      if (seen.has(p.id))
        ctx.addIssue({ code: 'custom', path: [i, 'id'], message: 'duplicate policy id' });
      seen.add(p.id);
    });
  });

const SLA_TARGETS = ['response', 'update', 'resolve'];

function buildPriorityPolicy(priority: 'P1' | 'P2' | 'P3', ackMinutes: number): EscalationPolicy {
  return {
    id: priority,
    name: `${priority} tickets`,
    appliesTo: { priorities: [priority] },
    steps: [
      {
        id: 'warning',
        on: { targets: SLA_TARGETS, threshold: 75 },
        severity: 'warning',
        levels: [{ notify: 'assignee', ackMinutes: null }],
      },
      {
        id: 'breach',
        on: { targets: SLA_TARGETS, threshold: 100 },
        severity: 'critical',
        levels: [
          { notify: 'duty_manager', ackMinutes },
          { notify: 'service_director', ackMinutes: null },
        ],
      },
    ],
  };
}

/**
 * The step a refused dispatch raises (`dispatch/refused`, raised by the server, no threshold):
 * the duty manager on duty coordinates the ticket; unacknowledged for 30 minutes it climbs to
 * the service director. Stored policies without it use this one.
 */
export const REFUSED_STEP: MatchedStep = {
  key: 'dispatch/refused',
  step: {
    id: 'refused',
    severity: 'warning',
    levels: [
      { notify: 'duty_manager', ackMinutes: 30 },
      { notify: 'service_director', ackMinutes: null },
    ],
  },
};

/**
 * The step a low survey answer raises (`survey/low-score`, decision 53): the duty manager on
 * duty follows the customer up; unacknowledged for 60 minutes it climbs to the service
 * director. Stored policies without it use this one.
 */
export const SURVEY_STEP: MatchedStep = {
  key: 'survey/low-score',
  step: {
    id: 'low-score',
    severity: 'warning',
    levels: [
      { notify: 'duty_manager', ackMinutes: 60 },
      { notify: 'service_director', ackMinutes: null },
    ],
  },
};

/**
 * The ladders of a fresh install: per priority, 75 % warns the assignee and the breach alerts
 * the duty manager on duty, who must acknowledge within 10 / 30 / 60 minutes (P1 / P2 / P3)
 * before it climbs to the service director. Complaints escalate each missed contact deadline;
 * major incidents their announcement, update and restore clocks, and an overdue root cause; a
 * refused dispatch alerts the duty manager on duty, and so does an unhappy survey answer.
 */
export const defaultEscalationPolicies: EscalationPolicy[] = [
  buildPriorityPolicy('P1', 10),
  buildPriorityPolicy('P2', 30),
  buildPriorityPolicy('P3', 60),
  {
    id: 'complaint',
    name: 'Complaints: contact within 15 min, 2 h and 24 h',
    appliesTo: { kinds: ['complaint'] },
    steps: [
      {
        id: 'contact-missed',
        on: { targets: ['contact-15m', 'contact-2h', 'contact-24h'], threshold: 100 },
        severity: 'critical',
        levels: [
          { notify: 'duty_manager', ackMinutes: 15 },
          { notify: 'service_director', ackMinutes: null },
        ],
      },
    ],
  },
  {
    id: 'major',
    name: 'Major incidents',
    appliesTo: { majorIncident: true },
    steps: [
      {
        id: 'update-due',
        on: { targets: ['announce', 'update'], threshold: 75 },
        severity: 'warning',
        levels: [{ notify: 'duty_manager', ackMinutes: null }],
      },
      {
        id: 'clock-missed',
        on: { targets: ['announce', 'update', 'restore'], threshold: 100 },
        severity: 'critical',
        levels: [
          { notify: 'duty_manager', ackMinutes: 10 },
          { notify: 'service_director', ackMinutes: null },
        ],
      },
      {
        id: 'declared',
        severity: 'critical',
        levels: [{ notify: 'service_director', ackMinutes: null }],
      },
      {
        id: 'root-cause-overdue',
        severity: 'warning',
        levels: [
          { notify: 'duty_manager', ackMinutes: 60 },
          { notify: 'service_director', ackMinutes: null },
        ],
      },
    ],
  },
  {
    id: 'dispatch',
    name: 'Refused dispatches',
    appliesTo: {},
    steps: [REFUSED_STEP.step],
  },
  {
    id: 'survey',
    name: 'Unhappy customers: a CSAT of 2 or less, an NPS detractor',
    appliesTo: {},
    steps: [SURVEY_STEP.step],
  },
];

/** Whether a policy covers a ticket. */
export function checkPolicyApplies(
  policy: EscalationPolicy,
  ticket: Pick<Ticket, 'priority' | 'kind' | 'majorIncident'>,
): boolean {
  const a = policy.appliesTo;
  if (a.priorities && !a.priorities.includes(ticket.priority)) return false;
  if (a.kinds && !a.kinds.includes(ticket.kind)) return false;
  if (a.majorIncident !== undefined && a.majorIncident !== ticket.majorIncident) return false;
  return true;
}

/** A step one threshold raises, named `policy/step`. */
export interface MatchedStep {
  key: string;
  step: EscalationStep;
}

/**
 * The steps an SLA threshold raises on a ticket, across every policy that covers it.
 * @example findTriggeredSteps(policies, ticket, 'resolve', 100) // [{ key: 'P1/breach', … }]
 */
export function findTriggeredSteps(
  policies: readonly EscalationPolicy[],
  ticket: Pick<Ticket, 'priority' | 'kind' | 'majorIncident'>,
  target: string,
  threshold: number,
): MatchedStep[] {
  const out: MatchedStep[] = [];
  for (const p of policies) {
    if (!checkPolicyApplies(p, ticket)) continue;
    for (const s of p.steps) {
      if (!s.on || s.on.threshold !== threshold) continue;
      if (s.on.targets && !s.on.targets.includes(target)) continue;
      out.push({ key: `${p.id}/${s.id}`, step: s });
    }
  }
  return out;
}

/** The step of a `policy/step` key, or null when the policy changed and it is gone. */
export function findStep(
  policies: readonly EscalationPolicy[],
  key: string,
): EscalationStep | null {
  const [policyId, stepId] = key.split('/');
  const p = policies.find((x) => x.id === policyId);
  return p?.steps.find((s) => s.id === stepId) ?? null;
}
