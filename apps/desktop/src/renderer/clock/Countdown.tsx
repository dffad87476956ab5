import { memo, useLayoutEffect, useRef } from 'react';
import { formatTargetName } from '../features/alerts/message';
import { useLocale, useT } from '../i18n/i18n';
import type { Translate } from '../i18n/i18n';
import type { SlaTarget } from '../realtime/contract';
import { useAppStore } from '../store/StoreContext';
import { DESK_TIME_ZONE, readDeskDay } from '../ui/deskTime';
import { readClockStart } from './calendars';
import { createCountdownReader, formatDuration } from './countdown';
import type { CountdownView } from './countdown';
import { subscribeTick, writeText } from './useNow';

/** A target's name in the seat's language (`contact-15m` → "First contact (15 min)"). */
function targetLabel(t: Translate, name: string): string {
  return formatTargetName(t, name);
}

const hhmm = new Map<string, Intl.DateTimeFormat>();

/**
 * "starts 09:00" (or "starts 03/03 09:00" on another day) in desk time, for a business-hours
 * clock that is outside its working hours now.
 */
function describeStart(t: Translate, locale: string, startMs: number, nowMs: number): string {
  let f = hhmm.get(locale);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, {
      timeZone: DESK_TIME_ZONE,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    hhmm.set(locale, f);
  }
  const time = f.format(startMs);
  if (readDeskDay(startMs) === readDeskDay(nowMs)) return t('countdown.starts', { time });
  const day = new Intl.DateTimeFormat(locale, {
    timeZone: DESK_TIME_ZONE,
    month: '2-digit',
    day: '2-digit',
  }).format(startMs);
  return t('countdown.startsDay', { day, time });
}

/**
 * What a countdown shows besides its digits: a word (overdue, paused, met), the level, and
 * `about` (which target, and how urgent in words). These change only at a threshold or with a
 * new target; the digits change every second.
 */
interface CountdownFace {
  word: string;
  level: string;
  about: string | null;
  /** The target's name, shown beside the digits (and "starts 09:00" outside working hours). */
  label: string;
}

function describeFace(t: Translate, view: CountdownView, start: string | null): CountdownFace {
  if (view.kind === 'none')
    return { word: t('countdown.none'), level: 'none', about: null, label: '' };
  if (view.kind === 'met')
    return { word: t('countdown.met'), level: 'met', about: null, label: '' };
  const target = targetLabel(t, view.target);
  if (view.kind === 'paused')
    return { word: t('countdown.paused'), level: 'paused', about: target, label: target };
  const label = start ? `${target} · ${start}` : target;
  const hint =
    view.level === 'warning'
      ? t('countdown.warning')
      : view.level === 'critical'
        ? t('countdown.critical')
        : '';
  const about = hint ? t('countdown.about', { target, hint }) : target;
  return {
    word: view.level === 'overdue' ? t('countdown.overdue') : '',
    level: view.level,
    about: start ? `${about} · ${start}` : about,
    label,
  };
}

interface CountdownParts {
  root: HTMLElement;
  /** Read before the time by screen readers: the target and its urgency in words. */
  about: HTMLElement;
  /** The target's name, visible (hidden from readers, which hear `about`). */
  label: HTMLElement;
  word: HTMLElement;
  /** A box of its own size (`contain: strict`, `ch` wide per character): its text changing
   * every second lays out nothing around it. */
  time: HTMLElement;
}

function paintFace(t: Translate, parts: CountdownParts, face: CountdownFace): void {
  writeText(parts.word, face.word);
  writeText(parts.label, face.label);
  if (parts.root.dataset['level'] !== face.level) parts.root.dataset['level'] = face.level;
  const about = face.about ?? '';
  if (parts.root.title !== about) parts.root.title = about;
  writeText(parts.about, about ? t('countdown.prefix', { about }) : '');
}

/**
 * The width of a duration in `ch` (the width of "0"): digits (tabular) and the day mark take
 * one each, a colon or space about half; counted at 0.65 so no font's glyphs overrun the box.
 * @example measureDigits('0:14:59') // 6.3
 */
function measureDigits(time: string): number {
  let width = 0;
  for (const ch of time) width += (ch >= '0' && ch <= '9') || ch === 'd' ? 1 : 0.65;
  return Math.round(width * 100) / 100;
}

/**
 * Paints a countdown now, and returns a painter for each later tick: the digits every time
 * (one text node's data, compared with what the painter last wrote rather than read back from
 * the page), the face only when the kind, level or target changes.
 */
function startPainting(
  t: Translate,
  locale: string,
  parts: CountdownParts,
  targets: readonly SlaTarget[],
): (serverNowMs: number) => void {
  const read = createCountdownReader(targets);
  const digits = document.createTextNode('');
  parts.time.replaceChildren(digits);
  let shown: CountdownView | null = null;
  let written = '';
  let width = -1;
  // Whether the clock is inside its working hours is read once a minute, not every second.
  let startCheckedMinute = Number.NaN;
  let start: string | null = null;
  return (serverNowMs) => {
    const view = read(serverNowMs);
    let startChanged = false;
    const minute = Math.floor(serverNowMs / 60_000);
    if (minute !== startCheckedMinute) {
      startCheckedMinute = minute;
      const calendar =
        view.kind === 'running'
          ? (targets.find((x) => x.name === view.target) as { calendar?: unknown } | undefined)
              ?.calendar
          : undefined;
      const startMs = readClockStart(
        typeof calendar === 'string' ? calendar : undefined,
        serverNowMs,
      );
      const next =
        startMs === null || view.kind !== 'running' || view.level === 'overdue'
          ? null
          : describeStart(t, locale, startMs, serverNowMs);
      startChanged = next !== start;
      start = next;
    }
    if (!shown || startChanged || !sameFace(shown, view))
      paintFace(t, parts, describeFace(t, view, start));
    shown = view;
    const time = view.kind === 'running' ? formatDuration(view.remainingMs) : '';
    if (time !== written) {
      written = time;
      digits.data = time;
    }
    const chars = measureDigits(time);
    if (chars !== width) {
      width = chars;
      parts.time.style.width = `${chars}ch`;
    }
  };
}

/** Whether two readings show the same face (word, level, target): only the digits differ. */
function sameFace(a: CountdownView, b: CountdownView): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'running' && b.kind === 'running') {
    return a.target === b.target && a.level === b.level;
  }
  if (a.kind === 'paused' && b.kind === 'paused') return a.target === b.target;
  return true;
}

/**
 * Time left on the next running SLA target, ticking locally once a second
 * from the deadline and the server clock offset. The level is shown by colour
 * and by a mark (drawn by the stylesheet from `data-level`) and words, never by colour alone.
 *
 * React renders the frame; each second after that the page's one ticker rewrites the time's
 * one text node, skipping React: a queue of ~20 visible rows then costs ~20 text changes a
 * second, not a re-render of every row's countdown. The level, word, tooltip and spoken prefix
 * are written only when they change (a threshold, a new target), so the digits are all that
 * moves, inside a box the browser lays out on its own.
 */
export const Countdown = memo(function Countdown({ targets }: { targets: readonly SlaTarget[] }) {
  const t = useT();
  const [locale] = useLocale();
  const offset = useAppStore((state) => state.connection.serverOffsetMs);
  const root = useRef<HTMLSpanElement>(null);
  const about = useRef<HTMLSpanElement>(null);
  const label = useRef<HTMLSpanElement>(null);
  const word = useRef<HTMLSpanElement>(null);
  const time = useRef<HTMLSpanElement>(null);
  // Text, level and title belong to the painter alone (React never holds a copy to diff against);
  // the layout effect runs before the browser paints, so the first frame is already filled.
  useLayoutEffect(() => {
    if (!root.current || !about.current || !label.current || !word.current || !time.current)
      return undefined;
    const parts = {
      root: root.current,
      about: about.current,
      label: label.current,
      word: word.current,
      time: time.current,
    };
    const paint = startPainting(t, locale, parts, targets);
    paint(Date.now() + offset);
    return subscribeTick(1000, (now) => paint(now + offset));
  }, [t, locale, targets, offset]);
  return (
    <span ref={root} className="countdown">
      <span ref={about} className="visually-hidden" />
      <span ref={label} className="countdown__target" aria-hidden="true" />
      <span className="countdown__clock">
        <span ref={word} className="countdown__word" />{' '}
        <span ref={time} className="countdown__time" />
      </span>
    </span>
  );
});
