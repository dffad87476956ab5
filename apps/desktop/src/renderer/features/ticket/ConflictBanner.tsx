import { useLocale, useT } from '../../i18n/i18n';
import { useAppStore } from '../../store/StoreContext';
import { selectUserName } from '../directory/directory.slice';
import type { Conflict } from './useTicketCommand';
import { COMMAND_LABEL, formatInstant } from './labels';

/**
 * Says plainly that an action was NOT applied because someone else changed
 * the ticket first, and shows the ticket as it is now. Nothing is retried or
 * overwritten: the user looks, then acts again on the fresh ticket.
 */
export function ConflictBanner({ conflict, onDismiss }: { conflict: Conflict; onDismiss(): void }) {
  const t = useT();
  const [locale] = useLocale();
  const fresh = conflict.fresh;
  const assignee = useAppStore((state) => selectUserName(state, fresh?.assigneeId ?? null));
  return (
    <div className="banner banner--conflict" role="alert" data-testid="conflict-banner">
      <div className="banner__body">
        <strong>{t('conflict.title')}</strong>
        <p>
          {t('conflict.notApplied', { action: t(COMMAND_LABEL[conflict.commandType]) })}
          {/* Chinese sentences run on after their full stop; English ones take a space. */}
          {locale === 'zh-CN' ? '' : ' '}
          {conflict.expectedVersion !== null && fresh
            ? t('conflict.versions', { seen: conflict.expectedVersion, now: fresh.version })
            : conflict.message}
        </p>
        {fresh && (
          <dl className="banner__facts">
            <dt>{t('ticket.field.status')}</dt>
            <dd>{t(`status.${fresh.status}`)}</dd>
            <dt>{t('ticket.field.priority')}</dt>
            <dd>{t(`priority.${fresh.priority}.name`)}</dd>
            <dt>{t('ticket.field.assignee')}</dt>
            <dd>{assignee ?? t('queue.unassigned')}</dd>
            <dt>{t('ticket.field.updatedAt')}</dt>
            <dd>{formatInstant(fresh.updatedAt, locale)}</dd>
          </dl>
        )}
        <p className="banner__hint">{t('conflict.hint')}</p>
      </div>
      <button type="button" className="button" onClick={onDismiss}>
        {t('conflict.dismiss')}
      </button>
    </div>
  );
}
