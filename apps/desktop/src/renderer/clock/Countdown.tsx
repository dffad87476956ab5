import { memo, useLayoutEffect, useRef } from 'react';
import { useT } from '../i18n/i18n';
import type { MessageKey, Translate } from '../i18n/i18n';
import type { SlaTarget } from '../realtime/contract';
import { useAppStore } from '../store/StoreContext';
import { computeCountdown, formatDuration } from './countdown';
import { subscribeTick } from './useNow';

function targetLabel(t: Translate, name: string): string {
  const key = `sla.${name}` as MessageKey;
  return key === 'sla.response' || key === 'sla.resolve' || key === 'sla.update' ? t(key) : name;
}

const LEVEL_MARK = { ok: '', warning: '▲ ', critical: '▲▲ ', overdue: '■ ' } as const;

/** What a countdown shows at one instant: its text, level and accessible label. */
interface CountdownFace {
  text: string;
  level: string;
  label: string | null;
}

function describeCountdown(
  t: Translate,
  targets: readonly SlaTarget[],
  serverNowMs: number,
): CountdownFace {
  const view = computeCountdown(targets, serverNowMs);
  if (view.kind === 'none') return { text: t('countdown.none'), level: 'none', label: null };
  if (view.kind === 'met') return { text: t('countdown.met'), level: 'met', label: null };
  if (view.kind === 'paused') {
    return {
      text: `❚❚ ${t('countdown.paused')}`,
      level: 'paused',
      label: targetLabel(t, view.target),
    };
  }
  const time = formatDuration(view.remainingMs);
  const target = targetLabel(t, view.target);
  const text = view.level === 'overdue' ? t('countdown.overdue', { time }) : time;
  const hint =
    view.level === 'warning'
      ? t('countdown.warning')
      : view.level === 'critical'
        ? t('countdown.critical')
        : '';
  const label =
    view.level === 'overdue' ? `${target}: ${text}` : t('countdown.label', { target, time });
  return {
    text: `${LEVEL_MARK[view.level]}${text}`,
    level: view.level,
    label: hint ? `${label} (${hint})` : label,
  };
}

function paint(el: HTMLElement, face: CountdownFace): void {
  if (el.textContent !== face.text) el.textContent = face.text;
  if (el.dataset['level'] !== face.level) el.dataset['level'] = face.level;
  for (const name of ['title', 'aria-label']) {
    if (face.label === null) el.removeAttribute(name);
    else if (el.getAttribute(name) !== face.label) el.setAttribute(name, face.label);
  }
}

/**
 * Time left on the next running SLA target, ticking locally once a second
 * from the deadline and the server clock offset. The level is shown by colour
 * and by a mark and words, never by colour alone.
 *
 * React renders the first face; each second after that the page's one ticker writes the
 * text, level and label straight into the element, skipping React: a queue of ~20 visible
 * rows then costs a few text writes a second, not a re-render of every row's countdown.
 */
export const Countdown = memo(function Countdown({ targets }: { targets: readonly SlaTarget[] }) {
  const t = useT();
  const offset = useAppStore((state) => state.connection.serverOffsetMs);
  const ref = useRef<HTMLSpanElement>(null);
  // Text, level and label belong to `paint` alone (React never holds a copy to diff against);
  // the layout effect runs before the browser paints, so the first frame is already filled.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    paint(el, describeCountdown(t, targets, Date.now() + offset));
    return subscribeTick(1000, (now) => paint(el, describeCountdown(t, targets, now + offset)));
  }, [t, targets, offset]);
  return <span ref={ref} className="countdown" />;
});
