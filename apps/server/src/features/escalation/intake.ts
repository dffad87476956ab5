/**
 * The engine's read of the event log: from the stored cursor (locked `SKIP LOCKED`, one node at
 * a time), SLA warnings and breaches become raise requests along the policies' steps, a refused
 * dispatch alerts the duty manager on duty (`dispatch/refused`), and a resolved or closed
 * ticket closes its open alerts.
 */
import { OPEN_STATUSES, type Ticket, type TicketStatus } from '@dutydesk/shared';
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../context';
import type { NewEvent, StoredEvent } from '../events';
import {
  closeTicketAlerts,
  lockCursor,
  readEscalationEvents,
  readTicketsByIds,
  saveCursor,
  type AlertRecord,
} from './escalation.repo';
import { commitRaises, type PushAlerts } from './emit';
import { findStep, findTriggeredSteps, REFUSED_STEP, type EscalationPolicy } from './policy';
import { applyRaises, type RaiseRequest } from './raise';

/** Log events read per engine transaction. */
const PAGE = 2_000;

function isOpen(status: TicketStatus): boolean {
  return (OPEN_STATUSES as readonly string[]).includes(status);
}

/**
 * Whether a ticket's target has breached on its current clock: it reads overdue, or its
 * recorded breach is later than the clock's start (a P1 `update` clock restarts on each
 * public update and keeps the earlier clock's `breachedAt`).
 */
function checkTargetBreached(ticket: Ticket, target: string): boolean {
  const t = ticket.sla.targets.find((x) => x.name === target);
  if (!t) return false;
  if (t.state === 'breached') return true;
  if (!t.breachedAt) return false;
  // A breach is due after its clock started (budgets are positive): one at or before the
  // start belongs to an earlier clock.
  return !t.startedAt || Date.parse(t.breachedAt) > Date.parse(t.startedAt);
}

/**
 * The alert a refused dispatch raises: read from the log like a breach, so it is raised once
 * the refusal committed, also after a crash, and stays until acknowledged (or the ticket is
 * resolved). A second refusal of the ticket while it is open folds into it with a count and
 * the latest engineer and reason.
 */
function toRefusalRequest(policies: EscalationPolicy[], t: Ticket, e: StoredEvent): RaiseRequest {
  const d = e.data as { reason?: string; previousAssigneeId?: string };
  const step = findStep(policies, REFUSED_STEP.key);
  return {
    ticket: t,
    stepKey: REFUSED_STEP.key,
    kind: 'dispatch.refused',
    severity: step?.severity ?? REFUSED_STEP.step.severity,
    message: `${t.number} refused by its assignee: ${d.reason ?? ''}`.slice(0, 2_000),
    levels: step?.levels ?? REFUSED_STEP.step.levels,
    data: {
      refusedBy: d.previousAssigneeId ?? e.actorId,
      reason: d.reason ?? '',
      groupId: t.groupId,
      seq: e.seq,
    },
  };
}

/** Reads the log page by page to its end, raising and closing alerts; counts into `out`. */
export async function processLog(
  ctx: AppContext,
  policies: EscalationPolicy[],
  throttle: (id: string) => boolean,
  push: PushAlerts,
  now: Date,
  out: { raised: AlertRecord[]; closed: number },
): Promise<void> {
  for (;;) {
    let list: AlertRecord[] = [];
    const result = await ctx.database.db.transaction(async (tx) => {
      const cursor = await lockCursor(tx, now);
      if (cursor === null) return null;
      const { events, last } = await readEscalationEvents(tx, cursor, PAGE);
      if (last === cursor) return { more: false, stored: [] as StoredEvent[] };
      const ids = [...new Set(events.map((e) => e.ticketId).filter((x): x is string => !!x))];
      const tickets = await readTicketsByIds(tx, ids);
      const requests: RaiseRequest[] = [];
      const closing: string[] = [];
      for (const e of events) {
        const t = e.ticketId ? tickets.get(e.ticketId) : undefined;
        if (!t) continue;
        if (e.type === 'ticket.resolved' || e.type === 'ticket.closed') {
          closing.push(t.id);
          continue;
        }
        if (!isOpen(t.status)) continue;
        if (e.type === 'ticket.refused') {
          requests.push(toRefusalRequest(policies, t, e));
          continue;
        }
        const d = e.data as { target: string; threshold: number; dueAt?: string };
        const breach = e.type === 'sla.breached';
        // A warning read after its target breached (a catch-up, a re-plan that made the
        // ticket overdue) is old news: only the breach is raised.
        if (!breach && checkTargetBreached(t, d.target)) continue;
        for (const m of findTriggeredSteps(policies, t, d.target, d.threshold)) {
          requests.push({
            ticket: t,
            stepKey: m.key,
            kind: breach ? 'sla.breached' : 'sla.warning',
            severity: m.step.severity,
            message: `${t.number} ${breach ? 'breached' : `at ${d.threshold} % of`} its ${d.target} target`,
            levels: m.step.levels,
            data: {
              target: d.target,
              targetsHit: [d.target],
              threshold: d.threshold,
              dueAt: d.dueAt ?? null,
              seq: e.seq,
            },
          });
        }
      }
      list = await applyRaises(tx, requests, now, throttle);
      const extra: NewEvent[] = [];
      // One statement for every ticket the page resolved, in the order they were resolved.
      const order = new Map([...new Set(closing)].map((id, i) => [id, i]));
      const closed = await closeTicketAlerts(tx, [...order.keys()], 'resolved');
      closed.sort(
        (a, b) => (order.get(a.ticketId ?? '') ?? 0) - (order.get(b.ticketId ?? '') ?? 0),
      );
      for (const a of closed) {
        extra.push({
          id: randomUUID(),
          type: 'alert.acknowledged',
          ticketId: a.ticketId,
          actorId: null,
          at: now.toISOString(),
          data: {
            alertId: a.id,
            outcome: 'resolved',
            recipientIds: a.targets.recipientIds,
            roles: a.targets.roles,
          },
        });
        out.closed += 1;
      }
      const stored = await commitRaises(tx, list, extra, now);
      await saveCursor(tx, last, now);
      return { more: last - cursor >= PAGE, stored };
    });
    if (!result) return;
    out.raised.push(...list);
    push(list, result.stored);
    if (!result.more) return;
  }
}
