/**
 * The SLA admin's answers: a re-plan job (`GET /api/sla/replans/:id`), a dry run of a settings
 * change (`POST /api/sla/policies/preview`) and the day-by-day diff of a calendar import
 * (`POST /api/sla/calendars/:id/import/preview`). One definition for the server that computes
 * them, its OpenAPI description and the console's admin screens (decision 37).
 */
import { z } from 'zod';
import { instantSchema } from './ticket';

/** Life-cycle of a background re-plan. */
export const replanStatusSchema = z.enum(['running', 'done', 'failed', 'superseded']);

/** A background re-plan of the open tickets' timers after a settings change. */
export const replanJobSchema = z.object({
  id: z.string(),
  reason: z.string(),
  /** Settings version the job was started for. */
  version: z.number().int(),
  status: replanStatusSchema,
  /** Open tickets when the job started. */
  total: z.number().int().nonnegative(),
  done: z.number().int().nonnegative(),
  changed: z.number().int().nonnegative(),
  resumed: z.number().int().nonnegative(),
  startedAt: instantSchema,
  finishedAt: instantSchema.nullable(),
  error: z.string().nullable(),
});
export type ReplanJobView = z.infer<typeof replanJobSchema>;

/** One target of one ticket that a change moves. */
export const previewMoveSchema = z.object({
  ticketId: z.string(),
  number: z.string(),
  title: z.string(),
  priority: z.string(),
  target: z.string(),
  /** Due time now, and with the change (null: the target no longer applies / not yet). */
  dueAt: instantSchema.nullable(),
  newDueAt: instantSchema.nullable(),
  state: z.string().nullable(),
  newState: z.string().nullable(),
  /** Not overdue now, overdue (breached) at once with the change. */
  becomesOverdue: z.boolean(),
});
export type PreviewMove = z.infer<typeof previewMoveSchema>;

/** What a change would do to the open tickets, measured at `at`. */
export const replanPreviewSchema = z.object({
  at: instantSchema,
  /** Open tickets looked at. */
  total: z.number().int().nonnegative(),
  /** Tickets with at least one target moved. */
  moved: z.number().int().nonnegative(),
  /** Tickets with a target due earlier / later than now. */
  earlier: z.number().int().nonnegative(),
  later: z.number().int().nonnegative(),
  /** Tickets that would be overdue at once (a target breached now that is not today). */
  becomeOverdue: z.number().int().nonnegative(),
  /** The overdue ones first, then the rest, at most 100 (the counts cover all). */
  moves: z.array(previewMoveSchema),
  truncated: z.boolean(),
});
export type ReplanPreview = z.infer<typeof replanPreviewSchema>;

/** One day of a calendar as a holiday import sees it. */
export const calendarDaySchema = z.object({
  date: z.string(),
  kind: z.enum(['holiday', 'workday']),
  name: z.string().nullable(),
  /** Partial days: the hours off (holiday) or worked (workday), `HH:MM–HH:MM`. */
  hours: z.array(z.string()).nullable(),
});
export type CalendarDay = z.infer<typeof calendarDaySchema>;

/** The days a change adds, removes and changes in a calendar (by date). */
export const calendarDiffSchema = z.object({
  added: z.array(calendarDaySchema),
  removed: z.array(calendarDaySchema),
  changed: z.array(
    z.object({ date: z.string(), before: calendarDaySchema, after: calendarDaySchema }),
  ),
  unchanged: z.number().int().nonnegative(),
});
export type CalendarDiff = z.infer<typeof calendarDiffSchema>;
