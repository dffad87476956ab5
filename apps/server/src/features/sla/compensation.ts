import {
  computeCompensation,
  computeSla,
  summarizeCompensationByCustomer,
  type CustomerCompensation,
  type LabourEntry,
  type Ticket,
  type TicketCompensation,
} from '@dutydesk/shared';
import type { AppContext } from '../../context';
import { listTicketsReceivedBetween } from './sla.repo';
import { toSlaSubject } from './targets';

/** Customer key of tickets without a customer organisation. */
export const NO_CUSTOMER = '(none)';

/** One ticket's line of the compensation report. */
export interface TicketCompensationLine extends TicketCompensation {
  ticketId: string;
  number: string;
  priority: string;
  status: string;
  customerId: string;
  receivedAt: string;
  dueAt: string | null;
}

/** The overtime compensation of the tickets received in a period, per ticket and per customer. */
export interface CompensationReport {
  from: string;
  to: string;
  generatedAt: string;
  tickets: TicketCompensationLine[];
  customers: CustomerCompensation[];
  totals: { tickets: number; breachedTickets: number; compensationMinutes: number };
}

/**
 * Lists a ticket's labour from its execution log: each entry's minutes ending at its time; an
 * entry corrected by a later one counts only through the correction.
 */
export function listLabour(ticket: Ticket): LabourEntry[] {
  const corrected = new Set<string>(
    ticket.executionLog.flatMap((e) => (e.correctsEntryId ? [e.correctsEntryId] : [])),
  );
  return ticket.executionLog
    .filter((e) => !corrected.has(e.id))
    .map((e) => ({ at: e.at, minutes: e.minutesSpent }));
}

/**
 * Builds the compensation report for tickets received in `[from, to)`: for each ticket the
 * engine's `computeCompensation` (the policy's share of the labour logged after the
 * compensation target was due), measured at `now`; then totals per customer organisation.
 */
export async function buildCompensationReport(
  ctx: AppContext,
  from: Date,
  to: Date,
): Promise<CompensationReport> {
  const now = ctx.clock.now();
  const tickets = await listTicketsReceivedBetween(ctx.database.db, from, to);
  const lines = computeCompensationLines(ctx, tickets, now);
  const customers = summarizeCompensationByCustomer(
    lines.map((l) => ({ customerId: l.customerId, compensation: l })),
  );
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    generatedAt: now.toISOString(),
    tickets: lines,
    customers,
    totals: sumCompensation(lines),
  };
}

/** The report's totals of some lines (minutes to two decimals). */
export function sumCompensation(
  lines: readonly TicketCompensationLine[],
): CompensationReport['totals'] {
  return {
    tickets: lines.length,
    breachedTickets: lines.filter((l) => l.breached).length,
    compensationMinutes:
      Math.round(lines.reduce((sum, l) => sum + l.compensationMinutes * 100, 0)) / 100,
  };
}

/**
 * The report's line of each ticket: the engine's `computeCompensation` at `now` with the
 * ticket's policy (an organisation's page reuses it for its own tickets).
 */
export function computeCompensationLines(
  ctx: AppContext,
  tickets: readonly Ticket[],
  now: Date,
): TicketCompensationLine[] {
  return tickets.map((t) => {
    const policy = ctx.sla.policyFor(t);
    const states = computeSla(toSlaSubject(t), policy, ctx.sla.calendars(), now);
    const comp = computeCompensation(states, t.priority, policy, listLabour(t));
    return {
      ticketId: t.id,
      number: t.number,
      priority: t.priority,
      status: t.status,
      customerId: t.customer?.org ?? NO_CUSTOMER,
      receivedAt: t.receivedAt,
      dueAt: states.find((s) => s.name === comp.target)?.dueAt ?? null,
      ...comp,
    };
  });
}
