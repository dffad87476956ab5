import { readDeskDay } from '../../ui/deskTime';

/** A period of desk days, both ends inclusive (`YYYY-MM-DD`), as the pickers show it. */
export interface DeskPeriod {
  from: string;
  to: string;
}

/** The month presets of the reports screen. */
export const PERIOD_PRESETS = ['thisMonth', 'lastMonth', 'last3Months', 'thisYear'] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];

function monthStart(year: number, month: number): string {
  const d = new Date(Date.UTC(year, month, 1));
  return d.toISOString().slice(0, 10);
}

function monthEnd(year: number, month: number): string {
  const d = new Date(Date.UTC(year, month + 1, 0));
  return d.toISOString().slice(0, 10);
}

/**
 * A preset's desk days at `now` (desk time): this month up to today, last month whole, the
 * last three whole months, this year up to today.
 * @example presetPeriod('lastMonth', Date.parse('2026-03-04T06:00:00Z')) // { from: '2026-02-01', to: '2026-02-28' }
 */
export function presetPeriod(preset: PeriodPreset, now: number): DeskPeriod {
  const today = readDeskDay(now);
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7)) - 1;
  switch (preset) {
    case 'thisMonth':
      return { from: monthStart(year, month), to: today };
    case 'lastMonth':
      return { from: monthStart(year, month - 1), to: monthEnd(year, month - 1) };
    case 'last3Months':
      return { from: monthStart(year, month - 3), to: monthEnd(year, month - 1) };
    case 'thisYear':
      return { from: monthStart(year, 0), to: today };
  }
}

/** The preset a period is, if any (so its button shows pressed). */
export function matchPreset(period: DeskPeriod, now: number): PeriodPreset | null {
  for (const p of PERIOD_PRESETS) {
    const q = presetPeriod(p, now);
    if (q.from === period.from && q.to === period.to) return p;
  }
  return null;
}
