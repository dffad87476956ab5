import { randomUUID } from 'node:crypto';
import { getOffsetMs } from '@dutydesk/shared';
import type { AppContext } from '../../context';
import { listAlerts } from '../escalation';
import { toAlertView } from '../escalation';
import type { EscalationEngine } from '../escalation';
import { Duty } from '../escalation';
import {
  findPreviousShift,
  insertHandover,
  listAssignments,
  listBreaches,
  listOpenTicketsBrief,
  listStartedShifts,
  type Shift,
  type ShiftTemplate,
} from './roster.repo';

/** A handover report looks this far back for shifts that started while no node ran. */
const HANDOVER_LOOKBACK_MS = 12 * 3_600_000;

/**
 * The shift a template makes on a local date (`YYYY-MM-DD` in the template's time zone); a
 * night shift ends the next morning.
 * @example buildShift({ startTime: '20:00', durationMinutes: 720, … }, '2026-03-02')
 */
export function buildShift(t: ShiftTemplate, date: string): Shift {
  const [h, m] = t.startTime.split(':').map(Number);
  const localMs = Date.parse(`${date}T00:00:00Z`) + ((h ?? 0) * 60 + (m ?? 0)) * 60_000;
  const start = localMs - getOffsetMs(t.timeZone, localMs - getOffsetMs(t.timeZone, localMs));
  return {
    id: `${t.id}@${date}`,
    templateId: t.id,
    name: t.name,
    kind: t.kind,
    startsAt: new Date(start).toISOString(),
    endsAt: new Date(start + t.durationMinutes * 60_000).toISOString(),
  };
}

/** The handover report of a shift start: open tickets, open alerts and the breaches of the shift before. */
export async function buildHandover(
  ctx: AppContext,
  shift: Shift,
  now: Date,
): Promise<Record<string, unknown>> {
  const db = ctx.database.db;
  const start = new Date(shift.startsAt);
  const previous = await findPreviousShift(db, start, Duty.dutyManager);
  const from = previous
    ? new Date(previous.startsAt)
    : new Date(start.getTime() - HANDOVER_LOOKBACK_MS);
  const incoming = (await listAssignments(db, [shift.id])).filter(
    (a) => a.duty === Duty.dutyManager,
  );
  const outgoing = previous
    ? (await listAssignments(db, [previous.id])).filter((a) => a.duty === Duty.dutyManager)
    : [];
  const open = await listOpenTicketsBrief(db, 200);
  const alerts = await listAlerts(db, { open: true, limit: 200 });
  const breaches = await listBreaches(db, from, start);
  return {
    id: randomUUID(),
    shiftId: shift.id,
    shiftName: shift.name,
    startsAt: shift.startsAt,
    endsAt: shift.endsAt,
    previousShiftId: previous?.id ?? null,
    window: { from: from.toISOString(), to: start.toISOString() },
    generatedAt: now.toISOString(),
    incomingDutyManagerIds: incoming.map((a) => a.userId),
    outgoingDutyManagerIds: outgoing.map((a) => a.userId),
    openTickets: open,
    openAlerts: { total: alerts.length, alerts: alerts.map(toAlertView) },
    breaches: { total: breaches.length, list: breaches },
  };
}

/**
 * The handover job: for each duty-manager shift that started since the last look, store its
 * report once (first node wins) and raise an info alert to the incoming duty manager(s), which
 * the `alert` push and the event log carry to their seats (the alert's data names the report);
 * the full report is served at `GET /api/roster/handovers`.
 */
export function createHandoverJob(
  ctx: AppContext,
  engine: EscalationEngine,
): (now: Date) => Promise<void> {
  return async (now) => {
    const since = new Date(now.getTime() - HANDOVER_LOOKBACK_MS);
    const shifts = await listStartedShifts(ctx.database.db, since, now, Duty.dutyManager);
    for (const shift of shifts) {
      const report = await buildHandover(ctx, shift, now);
      const stored = await ctx.database.db.transaction((tx) =>
        insertHandover(tx, shift.id, report, now),
      );
      if (!stored) continue;
      const ids = report.incomingDutyManagerIds as string[];
      const open = report.openTickets as { total: number };
      const breaches = report.breaches as { total: number };
      const alerts = report.openAlerts as { total: number };
      await engine.raise([
        {
          ticket: null,
          stepKey: `roster/handover:${shift.id}`,
          kind: 'handover',
          severity: 'info',
          message: `Shift handover ${shift.name}: ${open.total} open tickets, ${alerts.total} open alerts, ${breaches.total} breaches last shift`,
          levels: [{ notify: 'duty_manager', ackMinutes: null }],
          recipientIds: ids.length > 0 ? ids : undefined,
          data: { shiftId: shift.id, handoverId: report.id },
        },
      ]);
    }
  };
}
