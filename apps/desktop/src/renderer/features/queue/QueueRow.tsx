import { memo } from 'react';
import { Countdown } from '../../clock/Countdown';
import { useLocale, useT } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/i18n';
import { TicketStatus } from '../../realtime/contract';
import type { Ticket } from '../../realtime/contract';
import { useAppStore } from '../../store/StoreContext';
import { formatGroupName, selectUserName } from '../directory/directory.slice';
import { PriorityBadge } from '../../ui/PriorityBadge';

function AssigneeName({ id, fallback }: { id: string | null; fallback: string }) {
  const name = useAppStore((state) => selectUserName(state, id));
  return <>{name ?? fallback}</>;
}

/** The resolver group's name in the current language (its id until the directory loads). */
function GroupName({ id }: { id: string | null }) {
  const [locale] = useLocale();
  const name = useAppStore((state) => formatGroupName(state.groups, id, locale));
  return <>{name ?? '—'}</>;
}

export const ROW_HEIGHT = 44;

const KNOWN_STATUSES: ReadonlySet<string> = new Set(Object.values(TicketStatus));

export function rowDomId(ticketId: string): string {
  return `queue-row-${ticketId}`;
}

interface QueueRowProps {
  ticket: Ticket;
  index: number;
  setSize: number;
  selected: boolean;
  onSelect(id: string): void;
  onOpen(id: string): void;
}

/** One ticket in the queue. Memoised: a change to another ticket leaves it alone. */
export const QueueRow = memo(function QueueRow({
  ticket,
  index,
  setSize,
  selected,
  onSelect,
  onOpen,
}: QueueRowProps) {
  const t = useT();
  return (
    <div
      id={rowDomId(ticket.id)}
      role="option"
      aria-selected={selected}
      aria-posinset={index + 1}
      aria-setsize={setSize}
      data-index={index}
      className="queue-row"
      style={{ height: ROW_HEIGHT }}
      onClick={() => onSelect(ticket.id)}
      onDoubleClick={() => onOpen(ticket.id)}
    >
      <span className="queue-cell queue-cell--priority">
        <PriorityBadge priority={ticket.priority} />
      </span>
      <span className="queue-cell queue-cell--number">{ticket.number}</span>
      <span className="queue-cell queue-cell--title" title={ticket.title}>
        {ticket.majorIncident && (
          <span
            className="major-mark"
            role="img"
            aria-label={t('major.flag')}
            title={t('major.flag')}
            data-testid="major-mark"
          >
            ⚑ {t('major.short')}
          </span>
        )}
        <span className="queue-cell__text">{ticket.title}</span>
      </span>
      <span className="queue-cell queue-cell--status">
        {KNOWN_STATUSES.has(ticket.status)
          ? t(`status.${ticket.status}` as MessageKey)
          : ticket.status}
      </span>
      <span className="queue-cell queue-cell--group">
        <GroupName id={ticket.groupId} />
      </span>
      <span className="queue-cell queue-cell--assignee">
        <AssigneeName id={ticket.assigneeId} fallback={t('queue.unassigned')} />
      </span>
      <span className="queue-cell queue-cell--time">
        <Countdown targets={ticket.sla.targets} />
      </span>
    </div>
  );
});
