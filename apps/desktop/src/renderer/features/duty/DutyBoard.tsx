import { useMemo, useState } from 'react';
import type { DragEvent, KeyboardEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { navigate } from '../../app/router';
import { useServices } from '../../app/services';
import { Countdown } from '../../clock/Countdown';
import { useLocale, useT } from '../../i18n/i18n';
import type { Ticket } from '../../realtime/contract';
import { useAppStore } from '../../store/StoreContext';
import { selectAllOpenAlerts } from '../alerts/alerts.slice';
import { formatGroupName, selectUserName } from '../directory/directory.slice';
import { DEFAULT_FILTERS, QueueSort } from '../queue/queue.slice';
import { PriorityBadge } from '../../ui/PriorityBadge';
import { selectQueueRows } from '../queue/selectQueue';
import { ActionId, MajorIncidentForm } from '../ticket/ActionForms';
import { ConflictBanner } from '../ticket/ConflictBanner';
import { formatInstant } from '../ticket/labels';
import { mayDeclareMajorIncident } from '../ticket/permissions';
import { useTicketCommand } from '../ticket/useTicketCommand';
import { formatAlertMessage } from '../alerts/message';
import { computeTeamLoad } from './load';
import { OnDutyPanel } from './OnDutyPanel';
import type { ReassignTarget } from './load';
import { ReassignDialog } from './ReassignDialog';

const DRAG_TYPE = 'application/x-dutydesk-ticket';

interface Pending {
  ticketId: string;
  baseVersion: number;
  target: ReassignTarget | null;
}

/**
 * The duty manager's board: open tickets on the left, the team's load per
 * person and per group as drop targets, the desk's open alerts on the right.
 * Drag a ticket onto a person or group (or select it and press `r`) to
 * reassign it with a reason.
 */
export function DutyBoard() {
  const t = useT();
  const [locale] = useLocale();
  const { bridge, store } = useServices();
  const { tickets, users, groups, user } = useAppStore(
    useShallow((state) => ({
      tickets: state.tickets,
      users: state.users,
      groups: state.groups,
      user: state.session?.user ?? null,
    })),
  );
  const alerts = useAppStore(useShallow(selectAllOpenAlerts));
  const { run, conflict, error, dismissConflict, dismissError } = useTicketCommand();
  const all = useMemo(() => Object.values(tickets), [tickets]);
  const rows = useMemo(
    () =>
      selectQueueRows(all, DEFAULT_FILTERS, QueueSort.timeLeft, null).filter(
        (r) => r.status !== 'resolved' && r.status !== 'follow_up',
      ),
    [all],
  );
  const load = useMemo(() => computeTeamLoad(all), [all]);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [majorFor, setMajorFor] = useState<string | null>(null);
  const [dropHover, setDropHover] = useState<string | null>(null);

  const people = Object.values(users)
    .filter((u) => !u.disabled && u.roles.some((r) => r === 'agent' || r === 'engineer'))
    .sort(
      (a, b) =>
        (a.groupIds[0] ?? '').localeCompare(b.groupIds[0] ?? '') ||
        a.displayName.localeCompare(b.displayName),
    );

  const startReassign = (ticketId: string, target: ReassignTarget | null): void => {
    const ticket = tickets[ticketId];
    if (ticket) setPending({ ticketId, baseVersion: ticket.version, target });
  };

  const onListKeyDown = (event: KeyboardEvent<HTMLElement>): void => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const index = selectedId ? rows.findIndex((r) => r.id === selectedId) : -1;
    if (event.key === 'ArrowDown' || event.key === 'j') {
      event.preventDefault();
      const next = rows[Math.min(rows.length - 1, index + 1)];
      if (next) setSelectedId(next.id);
    } else if (event.key === 'ArrowUp' || event.key === 'k') {
      event.preventDefault();
      const next = rows[Math.max(0, index - 1)];
      if (next) setSelectedId(next.id);
    } else if (event.key === 'r' && selectedId) {
      event.preventDefault();
      startReassign(selectedId, null);
    } else if (event.key === 'Enter' && selectedId) {
      event.preventDefault();
      navigate(`/tickets/${encodeURIComponent(selectedId)}`);
    }
  };

  const dropProps = (key: string, target: ReassignTarget) => ({
    onDragOver: (e: DragEvent) => {
      if (!e.dataTransfer.types.includes(DRAG_TYPE)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'move';
      if (dropHover !== key) setDropHover(key);
    },
    onDragLeave: () => setDropHover((h) => (h === key ? null : h)),
    onDrop: (e: DragEvent) => {
      e.preventDefault();
      setDropHover(null);
      const ticketId = e.dataTransfer.getData(DRAG_TYPE);
      if (ticketId) startReassign(ticketId, target);
    },
    'data-drop-target': key,
    'data-drop-hover': dropHover === key ? 'true' : undefined,
  });

  const pendingTicket = pending ? tickets[pending.ticketId] : undefined;
  const majorTicket = majorFor ? tickets[majorFor] : undefined;
  const selectedIndex = selectedId ? rows.findIndex((r) => r.id === selectedId) : -1;
  return (
    <section className="duty" aria-labelledby="duty-title">
      <header className="duty__head">
        <h2 id="duty-title">{t('duty.title')}</h2>
        <span className="queue__hint">{t('duty.hint')}</span>
      </header>
      {conflict && <ConflictBanner conflict={conflict} onDismiss={dismissConflict} />}
      {error && (
        <div className="banner banner--error" role="alert">
          <span>{t('ticket.commandFailed', { message: error })}</span>
          <button type="button" className="button button--quiet" onClick={dismissError}>
            {t('conflict.dismiss')}
          </button>
        </div>
      )}
      {majorTicket && (
        <MajorIncidentForm
          ticket={majorTicket}
          run={run}
          onDone={() => setMajorFor(null)}
          key={ActionId.majorIncident}
        />
      )}
      <div className="duty__grid">
        <div className="duty__col">
          <h3 className="section-title">{t('duty.openTickets', { count: rows.length })}</h3>
          <ul
            className="duty-tickets"
            role="listbox"
            tabIndex={0}
            aria-label={t('duty.openTickets', { count: rows.length })}
            aria-activedescendant={
              selectedIndex >= 0 && selectedId ? `duty-t-${selectedId}` : undefined
            }
            onKeyDown={onListKeyDown}
          >
            {rows.map((ticket) => (
              <DutyTicketRow
                key={ticket.id}
                ticket={ticket}
                selected={ticket.id === selectedId}
                onSelect={() => setSelectedId(ticket.id)}
                canDeclare={mayDeclareMajorIncident(user, ticket)}
                onDeclare={() => setMajorFor(ticket.id)}
              />
            ))}
          </ul>
        </div>
        <div className="duty__col duty__col--wide">
          <h3 className="section-title">{t('duty.groups')}</h3>
          <div className="drop-grid">
            {groups.map((g) => (
              <div
                key={g.id}
                className="drop-card"
                {...dropProps(`group:${g.id}`, { kind: 'group', id: g.id })}
              >
                <span className="drop-card__name">{formatGroupName(groups, g.id, locale)}</span>
                <span className="drop-card__load">
                  {t('duty.groupLoad', {
                    open: load.byGroup[g.id]?.open ?? 0,
                    unassigned: load.byGroup[g.id]?.unassigned ?? 0,
                  })}
                </span>
              </div>
            ))}
          </div>
          <h3 className="section-title">{t('duty.people')}</h3>
          {people.length === 0 && <p className="log-empty">{t('duty.noPeople')}</p>}
          <div className="drop-grid">
            {people.map((p) => (
              <div
                key={p.id}
                className="drop-card drop-card--person"
                aria-label={p.displayName}
                {...dropProps(`user:${p.id}`, { kind: 'user', id: p.id })}
              >
                <span className="drop-card__name">{p.displayName}</span>
                <span className="drop-card__group">
                  {p.groupIds.map((g) => formatGroupName(groups, g, locale)).join(', ')}
                </span>
                <LoadBar count={load.byUser[p.id] ?? 0} />
              </div>
            ))}
          </div>
        </div>
        <div className="duty__col">
          <OnDutyPanel />
          <h3 className="section-title">{t('duty.openAlerts', { count: alerts.length })}</h3>
          <ul className="duty-alerts">
            {alerts.length === 0 && <li className="log-empty">{t('duty.noAlerts')}</li>}
            {alerts.map((a) => (
              <li key={a.id} className={`duty-alert duty-alert--${a.severity}`}>
                <span className="duty-alert__meta">
                  {t(`alert.severity.${a.severity}`)} · {formatInstant(a.raisedAt, locale)}
                </span>
                <span>
                  {formatAlertMessage(
                    t,
                    a,
                    a.ticketId ? (tickets[a.ticketId]?.number ?? null) : null,
                    (id) => selectUserName(store.getState(), id),
                  )}
                </span>
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => void bridge.sendCommand({ type: 'alert.ack', alertId: a.id })}
                >
                  {t('alert.ack')}
                </button>
              </li>
            ))}
          </ul>
        </div>
      </div>
      {pending && pendingTicket && (
        <ReassignDialog
          ticket={pendingTicket}
          initialTarget={pending.target}
          baseVersion={pending.baseVersion}
          run={run}
          onClose={() => setPending(null)}
        />
      )}
    </section>
  );
}

function LoadBar({ count }: { count: number }) {
  const t = useT();
  return (
    <span className="load" data-level={count >= 8 ? 'high' : count >= 4 ? 'medium' : 'low'}>
      <span
        className="load__bar"
        style={{ width: `${Math.min(100, count * 10)}%` }}
        aria-hidden="true"
      />
      <span className="load__text">{t('duty.personLoad', { count })}</span>
    </span>
  );
}

function DutyTicketRow({
  ticket,
  selected,
  onSelect,
  canDeclare,
  onDeclare,
}: {
  ticket: Ticket;
  selected: boolean;
  onSelect(): void;
  canDeclare: boolean;
  onDeclare(): void;
}) {
  const t = useT();
  const assignee = useAppStore((state) => selectUserName(state, ticket.assigneeId));
  return (
    <li
      id={`duty-t-${ticket.id}`}
      role="option"
      aria-selected={selected}
      className="duty-ticket"
      draggable
      data-ticket-id={ticket.id}
      onClick={onSelect}
      onDoubleClick={() => navigate(`/tickets/${encodeURIComponent(ticket.id)}`)}
      onDragStart={(e) => {
        onSelect();
        e.dataTransfer.setData(DRAG_TYPE, ticket.id);
        e.dataTransfer.setData('text/plain', ticket.number);
        e.dataTransfer.effectAllowed = 'move';
      }}
    >
      <PriorityBadge priority={ticket.priority} />
      <span className="duty-ticket__number">{ticket.number}</span>
      <span className="duty-ticket__title" title={ticket.title}>
        {ticket.title}
      </span>
      {/* A second line of its own: the countdown, the flag and the declare button never take
          the title's width (a long countdown label once left a short title four characters). */}
      <span className="duty-ticket__meta">
        <span className="duty-ticket__who">{assignee ?? t('queue.unassigned')}</span>
        {ticket.majorIncident && <span className="major-chip">{t('major.flag')}</span>}
        {canDeclare && selected && (
          <button
            type="button"
            className="button button--small button--danger"
            onClick={(e) => {
              e.stopPropagation();
              onDeclare();
            }}
          >
            {t('action.majorIncident')}
          </button>
        )}
        <span className="duty-ticket__countdown">
          <Countdown targets={ticket.sla.targets} />
        </span>
      </span>
    </li>
  );
}
