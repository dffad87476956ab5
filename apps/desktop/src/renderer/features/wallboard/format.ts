/**
 * A share as a whole percentage, rounded down so that 99.6 % with a breach never reads 100 %;
 * "—" when nothing was measured.
 * @example formatRate(0.996) // '99 %'
 */
export function formatRate(rate: number | null): string {
  if (rate === null || !Number.isFinite(rate)) return '—';
  return `${Math.floor(rate * 100 + 1e-9)} %`;
}

/**
 * A duration for the hall: "45 s", "12 min", "1 h 05 min".
 * @example formatDuration(3_900_000) // '1 h 05 min'
 */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/**
 * A countdown as a clock: "4:05", "1:02:09"; overdue ones read the time past due.
 * @example formatClock(-65_000) // '1:05'
 */
export function formatClock(ms: number): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

/**
 * Wall-clock time in a zone, "14:05".
 * @example formatTimeOfDay(Date.parse('2026-03-04T06:05:00Z'), 'Asia/Shanghai') // '14:05'
 */
export function formatTimeOfDay(ms: number, timeZone: string, seconds = false): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    ...(seconds ? { second: '2-digit' } : {}),
    hourCycle: 'h23',
  }).format(new Date(ms));
}

/** Splits a list into pages of `size` (at least one page). */
export function splitPages<T>(items: readonly T[], size: number): T[][] {
  const n = Math.max(1, Math.floor(size));
  const pages: T[][] = [];
  for (let i = 0; i < items.length; i += n) pages.push(items.slice(i, i + n));
  return pages.length > 0 ? pages : [[]];
}
