import { useState } from 'react';
import { useT } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/i18n';
import { listUnconfirmedMilestones } from '../../realtime/contract';
import type { CommandInput, Ticket, TicketCommandType } from '../../realtime/contract';
import { useAppStore } from '../../store/StoreContext';
import {
  ActionId,
  AssignForm,
  ClassifyForm,
  ContactForm,
  FollowUpForm,
  MajorIncidentForm,
  PendForm,
  RefuseForm,
  ReopenForm,
  ResolveForm,
} from './ActionForms';
import type { ActionFormProps } from './ActionForms';
import { mayDeclareMajorIncident, mayPerform } from './permissions';
import type { CommandOutcome } from './useTicketCommand';

type ButtonSpec = {
  id: string;
  label: MessageKey;
  command: TicketCommandType;
  variants?: readonly string[];
  form?: ActionId;
  shortcut?: string;
};

/** The status-moving actions, in flow order. Shortcuts are listed in the help overlay. */
export const TICKET_ACTIONS: readonly ButtonSpec[] = [
  {
    id: 'classify',
    label: 'action.classify',
    command: 'ticket.classify',
    form: ActionId.classify,
    shortcut: 'l',
  },
  {
    id: 'assign',
    label: 'action.assign',
    command: 'ticket.assign',
    form: ActionId.assign,
    shortcut: 'r',
  },
  { id: 'accept', label: 'action.accept', command: 'ticket.accept', shortcut: 'a' },
  // Only the assignee sees it enabled (the shared assignee rule, `mayPerformCommand`).
  {
    id: 'refuse',
    label: 'action.refuse',
    command: 'ticket.refuse',
    form: ActionId.refuse,
    shortcut: 'x',
  },
  { id: 'pend', label: 'action.pend', command: 'ticket.pend', form: ActionId.pend, shortcut: 'p' },
  { id: 'resume', label: 'action.resume', command: 'ticket.resume', shortcut: 'u' },
  {
    id: 'resolve',
    label: 'action.resolve',
    command: 'ticket.resolve',
    form: ActionId.resolve,
    shortcut: 'v',
  },
  {
    id: 'followUp',
    label: 'action.followUp',
    command: 'ticket.followUp',
    variants: ['satisfied', 'not_resolved'],
    form: ActionId.followUp,
  },
  { id: 'close', label: 'action.closeTicket', command: 'ticket.close' },
  { id: 'reopen', label: 'action.reopen', command: 'ticket.reopen', form: ActionId.reopen },
  {
    id: 'contact',
    label: 'action.recordContact',
    command: 'ticket.contact.record',
    form: ActionId.contact,
  },
];

const FORMS: Record<ActionId, (props: ActionFormProps) => React.JSX.Element> = {
  classify: ClassifyForm,
  assign: AssignForm,
  pend: PendForm,
  resolve: ResolveForm,
  followUp: FollowUpForm,
  reopen: ReopenForm,
  refuse: RefuseForm,
  majorIncident: MajorIncidentForm,
  contact: ContactForm,
};

/**
 * The action bar: every action the shared state machine and the user's roles
 * allow on this ticket now is enabled; the others are shown disabled so the
 * layout does not jump as the status changes. Resolve names the milestones
 * that block it.
 */
export function TicketActions({
  ticket,
  run,
  openForm,
  setOpenForm,
}: {
  ticket: Ticket;
  run(input: CommandInput): Promise<CommandOutcome>;
  openForm: ActionId | null;
  setOpenForm(form: ActionId | null): void;
}) {
  const t = useT();
  const user = useAppStore((state) => state.session?.user ?? null);
  const [sending, setSending] = useState<string | null>(null);
  const blocking = listUnconfirmedMilestones(ticket).length;

  const direct = async (spec: ButtonSpec): Promise<void> => {
    setSending(spec.id);
    await run({
      type: spec.command,
      ticketId: ticket.id,
      expectedVersion: ticket.version,
    } as CommandInput);
    setSending(null);
  };

  const Form = openForm ? FORMS[openForm] : null;
  return (
    <div className="ticket-actions">
      <div className="ticket-actions__bar" role="toolbar" aria-label={t('ticket.actions')}>
        {TICKET_ACTIONS.map((spec) => {
          const allowed = (spec.variants ?? [null]).some((v) =>
            mayPerform(user, ticket, spec.command, v),
          );
          const blocked = spec.id === 'resolve' && allowed && blocking > 0;
          return (
            <button
              key={spec.id}
              type="button"
              className={`button${openForm === spec.form && spec.form ? ' button--active' : ''}`}
              disabled={!allowed || blocked || sending !== null}
              aria-keyshortcuts={spec.shortcut}
              title={blocked ? t('milestone.blocksResolve', { count: blocking }) : undefined}
              data-action={spec.id}
              onClick={() => {
                if (spec.form) setOpenForm(openForm === spec.form ? null : spec.form);
                else void direct(spec);
              }}
            >
              {t(spec.label)}
              {spec.shortcut && <kbd className="kbd">{spec.shortcut}</kbd>}
            </button>
          );
        })}
        {mayDeclareMajorIncident(user, ticket) && (
          <button
            type="button"
            className="button button--danger"
            data-action="majorIncident"
            onClick={() => setOpenForm(ActionId.majorIncident)}
          >
            {t('action.majorIncident')}
          </button>
        )}
      </div>
      {blocking > 0 && mayPerform(user, ticket, 'ticket.resolve') && (
        <p className="ticket-actions__note">{t('milestone.blocksResolve', { count: blocking })}</p>
      )}
      {Form && openForm && (
        <Form key={openForm} ticket={ticket} run={run} onDone={() => setOpenForm(null)} />
      )}
    </div>
  );
}
