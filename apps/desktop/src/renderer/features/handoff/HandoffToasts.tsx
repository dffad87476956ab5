import { useShallow } from 'zustand/react/shallow';
import { navigate } from '../../app/router';
import { useLocale, useT } from '../../i18n/i18n';
import type { Translate } from '../../i18n/i18n';
import type { HandoffNotification } from '../../realtime/contract';
import { useAppStore } from '../../store/StoreContext';
import { formatGroupName, selectUserName } from '../directory/directory.slice';
import type { DirectoryGroup } from '../../app/api';
import { PriorityBadge } from '../../ui/PriorityBadge';

/** The words of a handoff notice in the seat's language (also the native notification's). */
export function describeHandoff(
  n: HandoffNotification,
  t: Translate,
  groups: readonly DirectoryGroup[],
  locale: string,
): string {
  return n.to === 'assignee'
    ? t('handoff.toYou', { number: n.number })
    : t('handoff.toGroup', {
        number: n.number,
        group: formatGroupName(groups, n.groupId, locale) ?? '',
      });
}

/**
 * Handoff toasts: "INC-… landed in L2 network" / "… was assigned to you", with the title,
 * who handed it over and why. They stay until opened or dismissed; they never take focus.
 */
export function HandoffToasts() {
  const t = useT();
  const [locale] = useLocale();
  const { handoffs, groups, dismiss } = useAppStore(
    useShallow((state) => ({
      handoffs: state.handoffs,
      groups: state.groups,
      dismiss: state.dismissHandoff,
    })),
  );
  if (handoffs.length === 0) return null;
  return (
    <section className="handoff-toasts" aria-label={t('handoff.region')} aria-live="polite">
      {handoffs.map((n) => (
        <article key={n.seq} className="handoff-toast" data-testid="handoff-toast">
          <p className="handoff-toast__head">
            <PriorityBadge priority={n.priority} />{' '}
            <strong>{describeHandoff(n, t, groups, locale)}</strong>
          </p>
          <p className="handoff-toast__title">{n.title}</p>
          <HandoffMeta notice={n} />
          <div className="handoff-toast__buttons">
            <button
              type="button"
              className="button button--small button--primary"
              onClick={() => {
                dismiss(n.seq);
                navigate(`/tickets/${encodeURIComponent(n.ticketId)}`);
              }}
            >
              {t('handoff.open')}
            </button>
            <button
              type="button"
              className="button button--small button--quiet"
              onClick={() => dismiss(n.seq)}
            >
              {t('handoff.dismiss')}
            </button>
          </div>
        </article>
      ))}
    </section>
  );
}

function HandoffMeta({ notice }: { notice: HandoffNotification }) {
  const t = useT();
  const name = useAppStore((state) => selectUserName(state, notice.actorId));
  return (
    <p className="handoff-toast__meta">
      {name && t('handoff.by', { name })}
      {notice.reason && <> · {t('handoff.reason', { reason: notice.reason })}</>}
    </p>
  );
}
