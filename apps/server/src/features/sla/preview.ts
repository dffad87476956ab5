/**
 * Dry runs of an admin's SLA change: what new policies or a calendar would do to the open
 * tickets (computed with the same engine the re-plan uses, nothing written), and the day-by-day
 * difference a holiday import makes to a calendar.
 */
import {
  computeSla,
  type BusinessCalendar,
  type CalendarDay,
  type CalendarDiff,
  type CalendarSet,
  type PreviewMove,
  type ReplanPreview,
  type SlaPolicy,
  type Ticket,
} from '@dutydesk/shared';
import type { AppContext } from '../../context';
import { buildSlaSettings, type SlaSettings } from './settings';
import { listOpenTicketsPage } from './sla.repo';
import { toSlaSubject } from './targets';

/** Open tickets read per page. */
const PREVIEW_PAGE = 500;
/** Tickets listed in a preview (the counts cover all of them). */
export const PREVIEW_LIST_LIMIT = 100;

function checkOverdue(state: string | null | undefined): boolean {
  return state === 'breached';
}

function compareTicket(
  t: Ticket,
  current: SlaSettings,
  candidate: SlaSettings,
  now: Date,
): PreviewMove[] {
  const subject = toSlaSubject(t);
  const before = computeSla(subject, current.policyFor(t), current.calendars(), now);
  const after = computeSla(subject, candidate.policyFor(t), candidate.calendars(), now);
  const names = [...new Set([...before.map((s) => s.name), ...after.map((s) => s.name)])];
  const out: PreviewMove[] = [];
  for (const name of names) {
    const a = before.find((s) => s.name === name);
    const b = after.find((s) => s.name === name);
    if ((a?.dueAt ?? null) === (b?.dueAt ?? null) && (a?.state ?? null) === (b?.state ?? null))
      continue;
    out.push({
      ticketId: t.id,
      number: t.number,
      title: t.title,
      priority: t.priority,
      target: name,
      dueAt: a?.dueAt ?? null,
      newDueAt: b?.dueAt ?? null,
      state: a?.state ?? null,
      newState: b?.state ?? null,
      becomesOverdue: !checkOverdue(a?.state) && checkOverdue(b?.state),
    });
  }
  return out;
}

/**
 * Compares every open ticket's targets under the settings in force and under `candidate`, at
 * the server's now, with the engine the re-plan runs ({@link computeSla}). Reads pages of
 * tickets without locks and writes nothing: a command landing meanwhile may make the re-plan
 * differ slightly from its preview.
 */
export async function previewSettings(
  ctx: AppContext,
  candidate: SlaSettings,
): Promise<ReplanPreview> {
  const now = ctx.clock.now();
  const current = ctx.sla;
  const db = ctx.database.db;
  let cursor: string | null = null;
  let total = 0;
  let moved = 0;
  let earlier = 0;
  let later = 0;
  let becomeOverdue = 0;
  const overdueMoves: PreviewMove[] = [];
  const otherMoves: PreviewMove[] = [];
  for (;;) {
    const page = await listOpenTicketsPage(db, cursor, PREVIEW_PAGE);
    if (page.length === 0) break;
    for (const t of page) {
      total += 1;
      const moves = compareTicket(t, current, candidate, now);
      if (moves.length === 0) continue;
      moved += 1;
      const shift = (m: PreviewMove): number =>
        m.dueAt && m.newDueAt ? Date.parse(m.newDueAt) - Date.parse(m.dueAt) : 0;
      if (moves.some((m) => shift(m) < 0)) earlier += 1;
      if (moves.some((m) => shift(m) > 0)) later += 1;
      if (moves.some((m) => m.becomesOverdue)) becomeOverdue += 1;
      for (const m of moves) {
        const list = m.becomesOverdue ? overdueMoves : otherMoves;
        if (list.length < PREVIEW_LIST_LIMIT) list.push(m);
      }
    }
    cursor = page[page.length - 1]?.id ?? null;
  }
  const moves = [...overdueMoves, ...otherMoves].slice(0, PREVIEW_LIST_LIMIT);
  return {
    at: now.toISOString(),
    total,
    moved,
    earlier,
    later,
    becomeOverdue,
    moves,
    truncated: overdueMoves.length + otherMoves.length > moves.length,
  };
}

/** The settings in force with the policies replaced. */
export function withPolicies(ctx: AppContext, policies: SlaPolicy[]): SlaSettings {
  return buildSlaSettings(policies, ctx.sla.calendars(), ctx.sla.version);
}

/** The settings in force with one calendar replaced (or added). */
export function withCalendar(ctx: AppContext, calendar: BusinessCalendar): SlaSettings {
  const calendars: CalendarSet = { ...ctx.sla.calendars(), [calendar.id]: calendar };
  return buildSlaSettings(ctx.sla.policies(), calendars, ctx.sla.version);
}

function daysOf(calendar: BusinessCalendar): Map<string, CalendarDay> {
  const out = new Map<string, CalendarDay>();
  const hours = (w: Array<{ start: string; end: string }> | undefined): string[] | null =>
    w ? w.map((x) => `${x.start}–${x.end}`) : null;
  for (const h of calendar.holidays) {
    out.set(h.date, { date: h.date, kind: 'holiday', name: h.name ?? null, hours: hours(h.off) });
  }
  for (const w of calendar.workdays) {
    out.set(w.date, {
      date: w.date,
      kind: 'workday',
      name: w.name ?? null,
      hours: hours(w.windows),
    });
  }
  return out;
}

/** The day-by-day difference between two versions of a calendar, in date order. */
export function diffCalendars(before: BusinessCalendar, after: BusinessCalendar): CalendarDiff {
  const a = daysOf(before);
  const b = daysOf(after);
  const diff: CalendarDiff = { added: [], removed: [], changed: [], unchanged: 0 };
  const dates = [...new Set([...a.keys(), ...b.keys()])].sort();
  for (const date of dates) {
    const x = a.get(date);
    const y = b.get(date);
    if (x && !y) diff.removed.push(x);
    else if (!x && y) diff.added.push(y);
    else if (x && y) {
      if (JSON.stringify(x) === JSON.stringify(y)) diff.unchanged += 1;
      else diff.changed.push({ date, before: x, after: y });
    }
  }
  return diff;
}
