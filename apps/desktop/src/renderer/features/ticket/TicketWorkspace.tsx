import { MajorIncidentPanel } from '../major/MajorIncidentPanel';
import { useEffect, useMemo, useRef, useState } from 'react';
import { navigate } from '../../app/router';
import { useServices } from '../../app/services';
import { Countdown } from '../../clock/Countdown';
import { useLocale, useT } from '../../i18n/i18n';
import { listUnconfirmedMilestones } from '../../realtime/contract';
import type { Ticket } from '../../realtime/contract';
import { useAppStore } from '../../store/StoreContext';
import { CustomerCard } from '../customers/CustomerCard';
import { formatGroupName, selectUserName } from '../directory/directory.slice';
import { PriorityBadge } from '../../ui/PriorityBadge';
import { isEditableTarget, usePaletteActions } from '../keyboard/paletteRegistry';
import type { PaletteAction } from '../keyboard/paletteRegistry';
import type { ActionId } from './ActionForms';
import { AttachmentDropZone, Attachments, useAttachmentUploads } from './Attachments';
import { ConflictBanner } from './ConflictBanner';
import { DualLog } from './DualLog';
import { formatInstant } from './labels';
import { Milestones } from './Milestones';
import { mayActAtAll, mayPerform } from './permissions';
import { PresenceBar, usePresence } from './PresenceBar';
import { TICKET_ACTIONS, TicketActions } from './TicketActions';
import { Timeline } from './Timeline';
import { useTicketCommand } from './useTicketCommand';
import { KbTicketPanel } from '../kb/KbTicketPanel';

/**
 * The ticket workspace. It reads the ticket from the store (live), fetches it
 * over REST when the store lacks it (closed tickets, deep links), announces
 * presence, and keeps every form's state in place across live updates, so
 * focus and typing survive anything the server pushes.
 */
export function TicketWorkspace({ ticketId }: { ticketId: string }) {
  const t = useT();
  const { api, store } = useServices();
  const ticket = useAppStore((state) => state.tickets[ticketId]);
  const token = useAppStore((state) => state.session?.token ?? null);
  const [missing, setMissing] = useState(false);

  useEffect(() => {
    if (ticket || !token) return;
    let cancelled = false;
    api
      .getTicket(token, ticketId)
      .then((fetched) => {
        if (cancelled) return;
        if (fetched) store.getState().upsertTicket(fetched);
        else setMissing(true);
      })
      .catch(() => {
        if (!cancelled) setMissing(true);
      });
    return () => {
      cancelled = true;
    };
  }, [api, store, ticket, ticketId, token]);

  // Snapshots and lists carry only each log's latest entries (`omitted`): an open ticket is read
  // whole (bounded by the server's ticket bounds), so every view shows all of it.
  const partial = ticket?.omitted !== undefined;
  useEffect(() => {
    if (!partial || !token) return;
    let cancelled = false;
    // A read that an event overtook is older than the copy held: read again (a few times).
    const read = (attemptsLeft: number): void => {
      api
        .getTicket(token, ticketId)
        .then((fetched) => {
          if (cancelled || !fetched) return;
          store.getState().upsertTicket(fetched);
          if (store.getState().tickets[ticketId]?.omitted !== undefined && attemptsLeft > 1)
            read(attemptsLeft - 1);
        })
        .catch(() => {});
    };
    read(3);
    return () => {
      cancelled = true;
    };
  }, [api, store, partial, ticketId, token]);

  if (!ticket) {
    return (
      <section className="workspace workspace--empty" aria-busy={!missing}>
        <p>{missing ? t('ticket.notFound', { id: ticketId }) : t('ticket.loading')}</p>
        <button type="button" className="button" onClick={() => navigate('/')}>
          {t('app.backToQueue')}
        </button>
      </section>
    );
  }
  return <Workspace ticket={ticket} />;
}

function Workspace({ ticket }: { ticket: Ticket }) {
  const t = useT();
  const [locale] = useLocale();
  const { run, conflict, error, dismissConflict, dismissError } = useTicketCommand();
  const onTyping = usePresence(ticket.id);
  const [openForm, setOpenForm] = useState<ActionId | null>(null);
  const user = useAppStore((state) => state.session?.user ?? null);
  const groups = useAppStore((state) => state.groups);
  const assignee = useAppStore((state) => selectUserName(state, ticket.assigneeId));
  const rootRef = useRef<HTMLElement>(null);

  // Keep the latest ticket for shortcuts without re-binding on every event.
  const ticketRef = useRef(ticket);
  ticketRef.current = ticket;

  // Only what the action bar would enable: the same shared permission check, so the palette
  // never offers an action that would silently do nothing.
  const blocking = listUnconfirmedMilestones(ticket).length;
  const paletteActions = useMemo<PaletteAction[]>(
    () =>
      TICKET_ACTIONS.filter(
        (spec) =>
          (spec.form || spec.id === 'accept' || spec.id === 'resume') &&
          (spec.variants ?? [null]).some((v) => mayPerform(user, ticket, spec.command, v)) &&
          !(spec.id === 'resolve' && blocking > 0),
      ).map((spec) => ({
        id: `ticket.${spec.id}`,
        label: `${ticket.number}: ${t(spec.label)}`,
        ...(spec.shortcut ? { shortcut: spec.shortcut } : {}),
        run: () => triggerAction(rootRef.current, spec.id),
      })),
    [t, ticket, user, blocking],
  );
  usePaletteActions('ticket', paletteActions);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      if (isEditableTarget(event.target)) return;
      if (document.querySelector('[role="dialog"][aria-modal="true"]')) return;
      if (event.key === 'Escape') {
        if (openForm) setOpenForm(null);
        else navigate('/');
        event.preventDefault();
        return;
      }
      const spec = TICKET_ACTIONS.find((s) => s.shortcut === event.key);
      if (spec) {
        event.preventDefault();
        triggerAction(rootRef.current, spec.id);
        return;
      }
      const focusTarget: Record<string, string> = {
        e: '.log-column:first-child textarea',
        s: '.log-column:last-child input, .log-column:last-child textarea',
        m: '.comment-form textarea',
      };
      const selector = focusTarget[event.key];
      if (selector) {
        const el = rootRef.current?.querySelector<HTMLElement>(selector);
        if (el) {
          event.preventDefault();
          el.focus();
        }
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [openForm]);

  const mayAct = mayActAtAll(user, ticket);
  const uploads = useAttachmentUploads(ticket.id);
  const mayAttach = mayPerform(user, ticket, 'ticket.attachment.add');
  return (
    <article className="workspace" ref={rootRef} aria-labelledby={`ws-${ticket.id}`}>
      <AttachmentDropZone
        enabled={mayAttach}
        number={ticket.number}
        onFiles={uploads.start}
        className="attachment-drop"
      >
        <header className="workspace__head">
          <button
            type="button"
            className="button button--quiet"
            onClick={() => navigate('/')}
            aria-keyshortcuts="Escape"
          >
            ← {t('app.backToQueue')}
          </button>
          <PriorityBadge priority={ticket.priority} />
          <h2 id={`ws-${ticket.id}`} className="workspace__title">
            <span className="workspace__number">{ticket.number}</span> {ticket.title}
          </h2>
          <span className={`status-chip status-chip--${ticket.status}`}>
            {t(`status.${ticket.status}`)}
            {ticket.pendingReason ? ` · ${t(`pending.${ticket.pendingReason}`)}` : ''}
          </span>
          {ticket.majorIncident && <span className="major-chip">{t('major.flag')}</span>}
          <span className="workspace__countdown">
            <Countdown targets={ticket.sla.targets} />
          </span>
        </header>
        <PresenceBar ticketId={ticket.id} />
        {conflict && <ConflictBanner conflict={conflict} onDismiss={dismissConflict} />}
        {error && (
          <div className="banner banner--error" role="alert">
            <span>{t('ticket.commandFailed', { message: error })}</span>
            <button type="button" className="button button--quiet" onClick={dismissError}>
              {t('conflict.dismiss')}
            </button>
          </div>
        )}
        {!mayAct && <p className="workspace__readonly">{t('ticket.readOnly')}</p>}
        <TicketActions ticket={ticket} run={run} openForm={openForm} setOpenForm={setOpenForm} />
        <div className="workspace__grid">
          <div className="workspace__side">
            <section className="details" aria-label={t('ticket.details')}>
              <dl className="details__list">
                <dt>{t('ticket.field.kind')}</dt>
                <dd>{t(`kind.${ticket.kind}`)}</dd>
                <dt>{t('ticket.field.channel')}</dt>
                <dd>{t(`channel.${ticket.channel}`)}</dd>
                <dt>{t('ticket.field.category')}</dt>
                <dd>{[ticket.category, ticket.module].filter(Boolean).join(' / ') || '—'}</dd>
                <dt>{t('ticket.field.impactUrgency')}</dt>
                <dd>
                  {t(`level.${ticket.impact}`)} × {t(`level.${ticket.urgency}`)}
                </dd>
                <dt>{t('ticket.field.group')}</dt>
                <dd>{formatGroupName(groups, ticket.groupId, locale) ?? '—'}</dd>
                <dt>{t('ticket.field.assignee')}</dt>
                <dd>{assignee ?? t('queue.unassigned')}</dd>
                <dt>{t('ticket.field.customer')}</dt>
                <dd>
                  <CustomerCard ticket={ticket} />
                </dd>
                <dt>{t('ticket.field.receivedAt')}</dt>
                <dd>{formatInstant(ticket.receivedAt, locale)}</dd>
                <dt>{t('ticket.field.version')}</dt>
                <dd data-testid="ticket-version">{ticket.version}</dd>
              </dl>
              {ticket.description && <p className="details__description">{ticket.description}</p>}
              {ticket.resolution && (
                <p className="details__resolution">
                  <strong>{t('resolve.code')}:</strong> {ticket.resolution.code} —{' '}
                  {ticket.resolution.summary}
                </p>
              )}
            </section>
            <MajorIncidentPanel ticket={ticket} />
            <KbTicketPanel ticket={ticket} />
            <Attachments ticket={ticket} uploads={uploads} />
            <Milestones ticket={ticket} run={run} />
            <Timeline ticket={ticket} run={run} onTyping={onTyping} />
          </div>
          <DualLog ticket={ticket} run={run} onTyping={onTyping} />
        </div>
      </AttachmentDropZone>
    </article>
  );
}

function triggerAction(root: HTMLElement | null, actionId: string): void {
  const button = root?.querySelector<HTMLButtonElement>(`[data-action="${actionId}"]`);
  if (button && !button.disabled) button.click();
}
