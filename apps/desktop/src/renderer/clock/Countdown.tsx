import { memo, useLayoutEffect, useRef } from 'react';
import { useT } from '../i18n/i18n';
import type { MessageKey, Translate } from '../i18n/i18n';
import type { SlaTarget } from '../realtime/contract';
import { useAppStore } from '../store/StoreContext';
import { createCountdownReader, formatDuration } from './countdown';
import type { CountdownView } from './countdown';
import { subscribeTick, writeText } from './useNow';

function targetLabel(t: Translate, name: string): string {
  const key = `sla.${name}` as MessageKey;
  return key === 'sla.response' || key === 'sla.resolve' || key === 'sla.update' ? t(key) : name;
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
}

function describeFace(t: Translate, view: CountdownView): CountdownFace {
  if (view.kind === 'none') return { word: t('countdown.none'), level: 'none', about: null };
  if (view.kind === 'met') return { word: t('countdown.met'), level: 'met', about: null };
  const target = targetLabel(t, view.target);
  if (view.kind === 'paused')
    return { word: t('countdown.paused'), level: 'paused', about: target };
  const hint =
    view.level === 'warning'
      ? t('countdown.warning')
      : view.level === 'critical'
        ? t('countdown.critical')
        : '';
  return {
    word: view.level === 'overdue' ? t('countdown.overdue') : '',
    level: view.level,
    about: hint ? t('countdown.about', { target, hint }) : target,
  };
}

interface CountdownParts {
  root: HTMLElement;
  /** Read before the time by screen readers: the target and its urgency in words. */
  about: HTMLElement;
  word: HTMLElement;
  /** A box of its own size (`contain: strict`, `ch` wide per character): its text changing
   * every second lays out nothing around it. */
  time: HTMLElement;
}

function paintFace(t: Translate, parts: CountdownParts, face: CountdownFace): void {
  writeText(parts.word, face.word);
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
  parts: CountdownParts,
  targets: readonly SlaTarget[],
): (serverNowMs: number) => void {
  const read = createCountdownReader(targets);
  const digits = document.createTextNode('');
  parts.time.replaceChildren(digits);
  let shown: CountdownView | null = null;
  let written = '';
  let width = -1;
  return (serverNowMs) => {
    const view = read(serverNowMs);
    if (!shown || !sameFace(shown, view)) paintFace(t, parts, describeFace(t, view));
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
  const offset = useAppStore((state) => state.connection.serverOffsetMs);
  const root = useRef<HTMLSpanElement>(null);
  const about = useRef<HTMLSpanElement>(null);
  const word = useRef<HTMLSpanElement>(null);
  const time = useRef<HTMLSpanElement>(null);
  // Text, level and title belong to the painter alone (React never holds a copy to diff against);
  // the layout effect runs before the browser paints, so the first frame is already filled.
  useLayoutEffect(() => {
    if (!root.current || !about.current || !word.current || !time.current) return undefined;
    const parts = {
      root: root.current,
      about: about.current,
      word: word.current,
      time: time.current,
    };
    const paint = startPainting(t, parts, targets);
    paint(Date.now() + offset);
    return subscribeTick(1000, (now) => paint(now + offset));
  }, [t, targets, offset]);
  return (
    <span ref={root} className="countdown">
      <span ref={about} className="visually-hidden" />
      <span ref={word} className="countdown__word" />{' '}
      <span ref={time} className="countdown__time" />
    </span>
  );
});
