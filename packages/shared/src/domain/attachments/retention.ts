/**
 * How long an attachment's bytes are kept: the service commitments keep records for at least
 * five years after the ticket closes. Pure: the caller passes `now`.
 */

/** The default retention: years after the ticket closed (`DUTYDESK_ATTACHMENT_RETENTION_YEARS`). */
export const DEFAULT_RETENTION_YEARS = 5;

/**
 * The instant until which a closed ticket's attachments are kept, or null while it is open
 * (a reopened ticket has no `closedAt`, so its clock starts again at the next closure).
 * Whole calendar years in UTC; 29 February rolls to 1 March in a year without one.
 * @example computeRetainUntil('2026-03-02T02:00:00.000Z', 5) // 2031-03-02T02:00:00.000Z
 */
export function computeRetainUntil(closedAt: string | null, years: number): Date | null {
  if (closedAt === null) return null;
  const closed = new Date(closedAt);
  if (Number.isNaN(closed.getTime())) return null;
  const until = new Date(closed.getTime());
  until.setUTCFullYear(closed.getUTCFullYear() + Math.floor(years));
  // A fractional part (0.5 years) counts in days of 365.
  const extraDays = (years - Math.floor(years)) * 365;
  return new Date(until.getTime() + Math.round(extraDays * 86_400_000));
}

/**
 * Whether the retention of a ticket's attachments has run out at `now`: the ticket is closed
 * and `now` is past its `closedAt` plus `years`.
 * @example isRetentionOver({ status: 'closed', closedAt: '2020-01-01T00:00:00Z' }, new Date('2026-01-01'), 5) // true
 */
export function isRetentionOver(
  ticket: { status: string; closedAt: string | null },
  now: Date,
  years: number,
): boolean {
  if (ticket.status !== 'closed') return false;
  const until = computeRetainUntil(ticket.closedAt, years);
  return until !== null && now.getTime() > until.getTime();
}
