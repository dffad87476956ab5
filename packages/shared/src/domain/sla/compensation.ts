import type { SlaTargetState } from './clock';
import type { SlaPolicy, SlaPriority } from './policy';
import { MINUTE_MS } from './time';

/**
 * One block of labour from the execution log: `minutes` of work ending at `at` (entries are
 * written when the work is done).
 */
export type LabourEntry = { at: string; minutes: number };

/** Overtime compensation of one ticket. */
export type TicketCompensation = {
  /** The target measured (the priority's `compensationTarget`, `resolve` by default). */
  target: string;
  breached: boolean;
  /** Business ms past the target (0 when met or still inside the target). */
  overtimeMs: number;
  /** Labour minutes logged after the target's due time. */
  labourMinutesPastTarget: number;
  /** The priority's share, in percent (P1 100, P2 50, P3 20 by default). */
  sharePercent: number;
  /** `labourMinutesPastTarget × sharePercent / 100`, rounded to 0.01 min. */
  compensationMinutes: number;
};

/**
 * Returns the business ms by which a target overran its budget (0 if it did not): for a
 * running breached target up to the `now` it was computed at, for a late-met one up to `metAt`.
 * @example computeOvertime({ ...target, remainingMs: -600_000 }) // 600000
 */
export function computeOvertime(target: Pick<SlaTargetState, 'remainingMs'>): number {
  return Math.max(0, 0 - target.remainingMs);
}

/**
 * Computes a ticket's overtime compensation: the policy's share of the labour logged after the
 * compensation target (usually `resolve`) was due. Labour entries straddling the due time
 * count only the part after it.
 * @example
 * computeCompensation(states, 'P2', defaultSlaPolicy, [{ at: '2026-03-02T05:00:00Z', minutes: 60 }])
 * // { target: 'resolve', labourMinutesPastTarget: 60, sharePercent: 50, compensationMinutes: 30, … }
 */
export function computeCompensation(
  targets: ReadonlyArray<SlaTargetState>,
  priority: SlaPriority,
  policy: SlaPolicy,
  labour: ReadonlyArray<LabourEntry>,
): TicketCompensation {
  const rule = policy.priorities[priority];
  const name = rule.compensationTarget;
  const target = targets.find((t) => t.name === name);
  const breached = target?.state === 'breached';
  const sharePercent = rule.compensationPercent;
  if (!target || !breached || target.dueAt === null) {
    return {
      target: name,
      breached: false,
      overtimeMs: 0,
      labourMinutesPastTarget: 0,
      sharePercent,
      compensationMinutes: 0,
    };
  }
  const due = Date.parse(target.dueAt);
  let pastMs = 0;
  for (const entry of labour) {
    const endMs = Date.parse(entry.at);
    const startMs = endMs - entry.minutes * MINUTE_MS;
    if (endMs > due) pastMs += endMs - Math.max(startMs, due);
  }
  const labourMinutesPastTarget = pastMs / MINUTE_MS;
  return {
    target: name,
    breached: true,
    overtimeMs: computeOvertime(target),
    labourMinutesPastTarget,
    sharePercent,
    compensationMinutes: Math.round(labourMinutesPastTarget * sharePercent) / 100,
  };
}

/** Compensation totals of one customer. */
export type CustomerCompensation = {
  customerId: string;
  tickets: number;
  breachedTickets: number;
  overtimeMs: number;
  labourMinutesPastTarget: number;
  compensationMinutes: number;
};

/**
 * Adds up per-ticket compensation per customer, ordered by customer id.
 * @example summarizeCompensationByCustomer([{ customerId: 'acme', compensation }])
 * // [{ customerId: 'acme', tickets: 1, breachedTickets: 1, compensationMinutes: 30, … }]
 */
export function summarizeCompensationByCustomer(
  rows: ReadonlyArray<{ customerId: string; compensation: TicketCompensation }>,
): CustomerCompensation[] {
  const byCustomer = new Map<string, CustomerCompensation>();
  for (const { customerId, compensation: c } of rows) {
    const sum = byCustomer.get(customerId) ?? {
      customerId,
      tickets: 0,
      breachedTickets: 0,
      overtimeMs: 0,
      labourMinutesPastTarget: 0,
      compensationMinutes: 0,
    };
    sum.tickets += 1;
    if (c.breached) sum.breachedTickets += 1;
    sum.overtimeMs += c.overtimeMs;
    sum.labourMinutesPastTarget += c.labourMinutesPastTarget;
    sum.compensationMinutes =
      Math.round((sum.compensationMinutes + c.compensationMinutes) * 100) / 100;
    byCustomer.set(customerId, sum);
  }
  return [...byCustomer.values()].sort((a, b) => (a.customerId < b.customerId ? -1 : 1));
}
