/**
 * The problem records' deadlines on the escalation ladder (decision 58): a root cause not
 * recorded within 48 h of raising, and a P1's fault-analysis report not written within 24 h of
 * the ticket's resolution, raise the ladder's one "root cause overdue" step
 * (`major/root-cause-overdue`, shared with major incidents: its levels and acknowledgement
 * minutes are the administrator's, and it climbs like any step). Each is claimed once across
 * nodes (`SKIP LOCKED`, a column set in the claiming transaction); the root-cause claim also
 * appends `problem.escalated` with the record, so the log and every seat hear of it.
 */
import { FAULT_REPORT_TARGET_MS, type Problem } from '@dutydesk/shared';
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../context';
import { findStep, readTicketsByIds, type EscalationEngine } from '../escalation';
import { appendEvents, type StoredEvent } from '../events';
import { lockOverdueRootCauses, lockReportCandidates, saveProblem } from './problems.repo';

/** The ladder step a missed problem deadline raises (the major incidents' root-cause step). */
export const ROOT_CAUSE_STEP = 'major/root-cause-overdue';

export function createProblemDeadlineJob(
  ctx: AppContext,
  engine: EscalationEngine,
): (now: Date) => Promise<void> {
  return async (now) => {
    const at = now.toISOString();
    const { overdue, events, reports } = await ctx.database.db.transaction(async (tx) => {
      const list = await lockOverdueRootCauses(tx, now);
      const marked: Problem[] = [];
      for (const before of list) {
        const p: Problem = {
          ...before,
          version: before.version + 1,
          escalatedAt: at,
          updatedAt: at,
        };
        await saveProblem(tx, p);
        marked.push(p);
      }
      const stored: StoredEvent[] =
        marked.length === 0
          ? []
          : await appendEvents(
              tx,
              marked.map((p) => ({
                id: randomUUID(),
                ticketId: null,
                actorId: null,
                at,
                type: 'problem.escalated',
                data: { problem: p },
              })),
              null,
            );
      // P1 fault reports due 24 h after the ticket's resolution.
      const candidates = await lockReportCandidates(tx);
      const tickets = await readTicketsByIds(tx, [
        ...new Set(candidates.flatMap((p) => p.ticketIds)),
      ]);
      const late: Array<{ problem: Problem; ticketNumber: string }> = [];
      for (const p of candidates) {
        const p1 = p.ticketIds
          .map((id) => tickets.get(id))
          .filter((t) => t?.priority === 'P1' && t.resolvedAt)
          .sort((a, b) => Date.parse(a?.resolvedAt ?? '') - Date.parse(b?.resolvedAt ?? ''))[0];
        if (!p1?.resolvedAt) continue;
        if (Date.parse(p1.resolvedAt) + FAULT_REPORT_TARGET_MS > now.getTime()) continue;
        await saveProblem(tx, p, { reportEscalatedAt: now });
        late.push({ problem: p, ticketNumber: p1.number });
      }
      return { overdue: marked, events: stored, reports: late };
    });
    if (events.length > 0) ctx.publish(events);
    if (overdue.length === 0 && reports.length === 0) return;
    const levels = findStep(await engine.readPolicies(), ROOT_CAUSE_STEP)?.levels ?? [
      { notify: 'duty_manager' as const, ackMinutes: null },
    ];
    await engine.raise([
      ...overdue.map((p) => ({
        ticket: null,
        stepKey: ROOT_CAUSE_STEP,
        kind: 'problem.rootCauseOverdue',
        severity: 'warning' as const,
        message: `Root cause of ${p.number} ${p.title} not recorded within 48 h`,
        levels,
        data: { problemId: p.id, problemNumber: p.number, dueAt: p.rootCauseDueAt },
      })),
      ...reports.map(({ problem: p, ticketNumber }) => ({
        ticket: null,
        stepKey: ROOT_CAUSE_STEP,
        kind: 'problem.faultReportOverdue',
        severity: 'warning' as const,
        message: `Fault-analysis report of ${ticketNumber} (${p.number}) not sent within 24 h of its resolution`,
        levels,
        data: { problemId: p.id, problemNumber: p.number },
      })),
    ]);
  };
}
