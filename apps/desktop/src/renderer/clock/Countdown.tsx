import { memo } from 'react';
import { useT } from '../i18n/i18n';
import type { MessageKey, Translate } from '../i18n/i18n';
import type { SlaTarget } from '../realtime/contract';
import { useAppStore } from '../store/StoreContext';
import { computeCountdown, formatDuration } from './countdown';
import { useNow } from './useNow';

function targetLabel(t: Translate, name: string): string {
  const key = `sla.${name}` as MessageKey;
  return key === 'sla.response' || key === 'sla.resolve' || key === 'sla.update' ? t(key) : name;
}

const LEVEL_MARK = { ok: '', warning: '▲ ', critical: '▲▲ ', overdue: '■ ' } as const;

/**
 * Time left on the next running SLA target, ticking locally once a second
 * from the deadline and the server clock offset. The level is shown by colour
 * and by a mark and words, never by colour alone.
 */
export const Countdown = memo(function Countdown({ targets }: { targets: readonly SlaTarget[] }) {
  const t = useT();
  const now = useNow(1000);
  const offset = useAppStore((state) => state.connection.serverOffsetMs);
  const view = computeCountdown(targets, now + offset);

  if (view.kind === 'none') return <span className="countdown">{t('countdown.none')}</span>;
  if (view.kind === 'met')
    return (
      <span className="countdown" data-level="met">
        {t('countdown.met')}
      </span>
    );
  if (view.kind === 'paused')
    return (
      <span className="countdown" data-level="paused" title={targetLabel(t, view.target)}>
        ❚❚ {t('countdown.paused')}
      </span>
    );

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
  return (
    <span
      className="countdown"
      data-level={view.level}
      aria-label={hint ? `${label} (${hint})` : label}
      title={hint ? `${label} (${hint})` : label}
    >
      {LEVEL_MARK[view.level]}
      {text}
    </span>
  );
});
