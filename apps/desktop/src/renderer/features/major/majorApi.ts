import { z } from 'zod';

const instant = z.string();

/** A major incident as `GET /api/major-incidents/:ticketId` answers (major.openapi.ts). */
export const majorIncidentSchema = z.object({
  ticketId: z.string(),
  status: z.enum(['open', 'closed']),
  declaredAt: instant,
  declaredBy: z.string(),
  childTicketIds: z.array(z.string()),
  timeline: z.array(
    z.object({ at: instant, by: z.string().nullable(), kind: z.string(), text: z.string() }),
  ),
  closedAt: instant.nullable(),
  rootCause: z
    .object({ dueAt: instant, doneAt: instant.nullable(), summary: z.string().nullable() })
    .nullable(),
});
export type MajorIncident = z.infer<typeof majorIncidentSchema>;

/** The cadence clocks of a major incident, in the order the desk works them. */
export const MAJOR_CLOCKS = ['announce', 'update', 'restore'] as const;

/**
 * Minutes left (negative: overdue) of a clock at `nowMs`, or null when it has no due time.
 * @example minutesLeft('2026-03-02T10:00:00Z', Date.parse('2026-03-02T09:15:00Z')) // 45
 */
export function minutesLeft(dueAt: string | null | undefined, nowMs: number): number | null {
  if (!dueAt) return null;
  const due = Date.parse(dueAt);
  if (!Number.isFinite(due)) return null;
  return Math.round((due - nowMs) / 60_000);
}

/**
 * Ticket ids for numbers typed by the duty manager (comma, space or newline separated), from
 * the tickets the seat knows; the numbers it does not know are returned apart.
 */
export function resolveTicketNumbers(
  text: string,
  tickets: Record<string, { id: string; number: string }>,
): { ids: string[]; unknown: string[] } {
  const byNumber = new Map(Object.values(tickets).map((t) => [t.number.toUpperCase(), t.id]));
  const ids: string[] = [];
  const unknown: string[] = [];
  for (const word of text.split(/[\s,，、]+/).filter(Boolean)) {
    const id = byNumber.get(word.toUpperCase());
    if (id) {
      if (!ids.includes(id)) ids.push(id);
    } else unknown.push(word);
  }
  return { ids, unknown };
}
