import { readSlaTarget } from '@dutydesk/shared';
import type { SlaTarget } from '../realtime/contract';

export const CountdownLevel = {
  ok: 'ok',
  warning: 'warning',
  critical: 'critical',
  overdue: 'overdue',
} as const;
export type CountdownLevel = (typeof CountdownLevel)[keyof typeof CountdownLevel];

export type CountdownView =
  | { kind: 'none' }
  | { kind: 'met' }
  | { kind: 'paused'; target: string }
  | {
      kind: 'running';
      target: string;
      dueAtMs: number;
      remainingMs: number;
      level: CountdownLevel;
    };

/** Shares of the budget at which a running clock turns amber, then red. */
export const DEFAULT_THRESHOLDS = { warning: 0.75, critical: 0.9 } as const;

/**
 * Without a start instant the budget is unknown, so colours fall back to
 * absolute time left: amber under 15 minutes, red under 5.
 */
export const FALLBACK_WARNING_MS = 15 * 60_000;
export const FALLBACK_CRITICAL_MS = 5 * 60_000;

function levelFor(target: SlaTarget, dueAtMs: number, nowMs: number): CountdownLevel {
  const instants = target.thresholds;
  if (instants && instants.length > 0) {
    // The server's own reading: the scheduler fires `sla.warning`/`sla.breached` off the same call.
    const reading = readSlaTarget({ ...target, thresholds: instants }, nowMs);
    if (reading.breached) return CountdownLevel.overdue;
    if (reading.colour === 'red') return CountdownLevel.critical;
    if (reading.colour === 'amber') return CountdownLevel.warning;
    return CountdownLevel.ok;
  }
  const remaining = dueAtMs - nowMs;
  if (remaining <= 0) return CountdownLevel.overdue;
  const startMs = target.startedAt ? Date.parse(target.startedAt) : Number.NaN;
  if (Number.isFinite(startMs) && dueAtMs > startMs) {
    const elapsed = (nowMs - startMs) / (dueAtMs - startMs);
    if (elapsed >= DEFAULT_THRESHOLDS.critical) return CountdownLevel.critical;
    if (elapsed >= DEFAULT_THRESHOLDS.warning) return CountdownLevel.warning;
    return CountdownLevel.ok;
  }
  if (remaining <= FALLBACK_CRITICAL_MS) return CountdownLevel.critical;
  if (remaining <= FALLBACK_WARNING_MS) return CountdownLevel.warning;
  return CountdownLevel.ok;
}

/**
 * What a row shows: the next running (or breached, still counting) target,
 * else a paused one, else met.
 * @example computeCountdown([{ name: 'response', dueAt: '…', state: 'running' }], serverNow)
 */
export function computeCountdown(
  targets: readonly SlaTarget[],
  serverNowMs: number,
): CountdownView {
  const next = findNextRunning(targets);
  if (next) {
    return {
      kind: 'running',
      target: next.target.name,
      dueAtMs: next.dueAtMs,
      remainingMs: next.dueAtMs - serverNowMs,
      level: levelFor(next.target, next.dueAtMs, serverNowMs),
    };
  }
  const paused = targets.find((t) => t.state === 'paused');
  if (paused) return { kind: 'paused', target: paused.name };
  if (targets.some((t) => t.state === 'met')) return { kind: 'met' };
  return { kind: 'none' };
}

/** The running (or breached) target due first: the one a countdown shows. */
function findNextRunning(
  targets: readonly SlaTarget[],
): { target: SlaTarget; dueAtMs: number } | null {
  let next: { target: SlaTarget; dueAtMs: number } | null = null;
  for (const target of targets) {
    if (target.state !== 'running' && target.state !== 'breached') continue;
    if (!target.dueAt) continue;
    const dueAtMs = Date.parse(target.dueAt);
    if (!Number.isFinite(dueAtMs)) continue;
    if (!next || dueAtMs < next.dueAtMs) next = { target, dueAtMs };
  }
  return next;
}

/**
 * Every instant at which a running target's level can change: its threshold instants, the
 * default shares of its budget, the fallback marks and the due time. More than needed is harmless
 * (the level is read again and found the same); fewer would leave a countdown showing a
 * stale colour.
 */
function levelChangeInstants(target: SlaTarget, dueAtMs: number): number[] {
  const instants = [dueAtMs, dueAtMs - FALLBACK_WARNING_MS, dueAtMs - FALLBACK_CRITICAL_MS];
  for (const mark of target.thresholds ?? []) instants.push(Date.parse(mark.at));
  const startMs = target.startedAt ? Date.parse(target.startedAt) : Number.NaN;
  if (Number.isFinite(startMs) && dueAtMs > startMs) {
    for (const share of Object.values(DEFAULT_THRESHOLDS))
      instants.push(startMs + share * (dueAtMs - startMs));
  }
  return instants.filter((at) => Number.isFinite(at)).sort((a, b) => a - b);
}

/**
 * A countdown's reader, kept between ticks: what `computeCountdown(targets, now)` returns, but
 * the level (the server's reading of the thresholds) is worked out again only once the clock
 * reaches an instant where it can change, so a tick of a running clock costs a comparison and
 * a subtraction. Reads whose clock went backwards are worked out afresh.
 * @example const read = createCountdownReader(ticket.sla.targets); read(serverNow)
 */
export function createCountdownReader(
  targets: readonly SlaTarget[],
): (serverNowMs: number) => CountdownView {
  const next = findNextRunning(targets);
  const instants = next ? levelChangeInstants(next.target, next.dueAtMs) : [];
  let view: CountdownView | null = null;
  let from = Number.POSITIVE_INFINITY;
  let until = Number.NEGATIVE_INFINITY;
  return (serverNowMs) => {
    if (view === null || serverNowMs < from || serverNowMs >= until) {
      view = computeCountdown(targets, serverNowMs);
      from = serverNowMs;
      // An instant up to 1 ms past stays pending: the level's arithmetic may turn a hair after
      // the instant's own, and must then be read again, not skipped.
      until = instants.find((at) => at > serverNowMs - 1) ?? Number.POSITIVE_INFINITY;
    }
    if (view.kind !== 'running') return view;
    return { ...view, remainingMs: view.dueAtMs - serverNowMs };
  };
}

/** Sort key for "time left": the next running deadline; paused after, none last. */
export function timeLeftSortKey(targets: readonly SlaTarget[]): number {
  let best = Number.POSITIVE_INFINITY;
  let paused = false;
  for (const target of targets) {
    if ((target.state === 'running' || target.state === 'breached') && target.dueAt) {
      const due = Date.parse(target.dueAt);
      if (Number.isFinite(due) && due < best) best = due;
    } else if (target.state === 'paused') paused = true;
  }
  if (best !== Number.POSITIVE_INFINITY) return best;
  return paused ? Number.MAX_SAFE_INTEGER - 1 : Number.MAX_SAFE_INTEGER;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * `h:mm:ss` under a day, `Nd hh:mm` beyond; the sign is the caller's business.
 * @example formatDuration(3_723_000) // '1:02:03'
 */
export function formatDuration(ms: number): string {
  const totalSeconds = Math.floor(Math.abs(ms) / 1000);
  const days = Math.floor(totalSeconds / 86_400);
  const hours = Math.floor((totalSeconds % 86_400) / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (days > 0) return `${days}d ${pad(hours)}:${pad(minutes)}`;
  return `${hours}:${pad(minutes)}:${pad(seconds)}`;
}
