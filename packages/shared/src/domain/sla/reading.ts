import type { SlaColour } from './policy';

/** One threshold instant as a target carries it (`SlaThresholdInstant`, or the wire copy). */
export type SlaThresholdMark = {
  percent: number;
  afterMinutes?: number;
  /** `'90'`, `'100'`, `'100+30m'`. */
  key?: string;
  colour: string;
  at: string;
};

/**
 * The parts of a target a reading needs: what `computeSla` returns and what a ticket carries
 * in `sla.targets` (after parsing its thresholds).
 */
export type SlaReadable = {
  name: string;
  dueAt: string | null;
  state: string;
  startedAt?: string | null;
  metAt?: string | null;
  thresholds: ReadonlyArray<SlaThresholdMark>;
};

/** A threshold a running clock has crossed at `now`. */
export type SlaCrossedThreshold = SlaThresholdMark & {
  /** Timer key: `<target>@<clock start>:<threshold key>`, as the scheduler's rows are keyed. */
  timerKey: string;
  /** Crossing it is the breach (`sla.breached`); else a warning (`sla.warning`). */
  breach: boolean;
};

/** What a clock reads at `now`: the seat's countdown and the scheduler's decision both. */
export type SlaReading = {
  /** The clock runs: not met, not paused, has a due time. */
  running: boolean;
  /** Wall-clock ms until `dueAt` (negative = overdue); null when not running. */
  remainingMs: number | null;
  /** Colour of the latest threshold crossed; red once breached, grey when paused. */
  colour: SlaColour;
  /** The breach decision: the clock runs and a breach threshold has been crossed. */
  breached: boolean;
  /** Thresholds crossed at `now`, in time order (none when not running). */
  crossed: SlaCrossedThreshold[];
};

/**
 * Tells whether crossing a threshold is the breach: 100 % of the budget and later
 * (`100+30m`), never a warning share.
 * @example checkBreachThreshold(100) // true
 */
export function checkBreachThreshold(percent: number): boolean {
  return percent >= 100;
}

function thresholdKey(mark: SlaThresholdMark): string {
  if (mark.key) return mark.key;
  return mark.afterMinutes ? `${mark.percent}+${mark.afterMinutes}m` : String(mark.percent);
}

function toColour(colour: string): SlaColour {
  return colour === 'amber' || colour === 'red' || colour === 'grey' ? colour : 'green';
}

/**
 * Reads one target's clock at `now` from the instants it holds, without the calendar. The
 * one function behind both a seat's countdown (colour, overdue) and the scheduler's decision
 * to fire a threshold (`crossed`, `breach`): pass the server-corrected clock on a seat and
 * the server's clock on the server.
 * @example readSlaTarget(target, Date.parse('2026-03-02T02:12:00Z')) // { colour: 'amber', breached: false, crossed: [50, 75] … }
 */
export function readSlaTarget(target: SlaReadable, nowMs: number): SlaReading {
  const dueMs = target.dueAt === null ? Number.NaN : Date.parse(target.dueAt);
  const running =
    (target.state === 'running' || target.state === 'breached') &&
    !target.metAt &&
    Number.isFinite(dueMs);
  if (!running) {
    return {
      running: false,
      remainingMs: null,
      colour: target.state === 'paused' ? 'grey' : target.state === 'breached' ? 'red' : 'green',
      breached: target.state === 'breached',
      crossed: [],
    };
  }
  const crossed: SlaCrossedThreshold[] = [];
  for (const mark of target.thresholds) {
    const at = Date.parse(mark.at);
    if (!(at <= nowMs)) continue;
    crossed.push({
      ...mark,
      timerKey: `${target.name}@${target.startedAt ?? ''}:${thresholdKey(mark)}`,
      breach: checkBreachThreshold(mark.percent),
    });
  }
  crossed.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.percent - b.percent);
  const breached = crossed.some((c) => c.breach) || dueMs <= nowMs;
  const last = crossed.at(-1);
  return {
    running: true,
    remainingMs: dueMs - nowMs,
    colour: breached ? 'red' : last ? toColour(last.colour) : 'green',
    breached,
    crossed,
  };
}
