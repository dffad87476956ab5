import { useState } from 'react';
import type { FormEvent } from 'react';
import { useLocale, useT } from '../../i18n/i18n';
import { listUnconfirmedMilestones, mayConfirmAsLead } from '../../realtime/contract';
import type { CommandInput, Milestone, Ticket } from '../../realtime/contract';
import { useAppStore } from '../../store/StoreContext';
import { selectUserName } from '../directory/directory.slice';
import { formatInstant } from './labels';
import { mayPerform, toRoles } from './permissions';
import type { CommandOutcome } from './useTicketCommand';

/**
 * Key milestones with their two sign-offs: the team lead's and the
 * customer's (staff may confirm on the customer's behalf). A milestone
 * missing either blocks resolving the ticket, and says so.
 */
export function Milestones({
  ticket,
  run,
}: {
  ticket: Ticket;
  run(input: CommandInput): Promise<CommandOutcome>;
}) {
  const t = useT();
  const user = useAppStore((state) => state.session?.user ?? null);
  const [title, setTitle] = useState('');
  const open = listUnconfirmedMilestones(ticket).length;
  const mayAdd = mayPerform(user, ticket, 'ticket.milestone.add');

  const add = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!title.trim()) return;
    const outcome = await run({
      type: 'ticket.milestone.add',
      ticketId: ticket.id,
      expectedVersion: ticket.version,
      title: title.trim(),
    });
    if (outcome.ok) setTitle('');
  };

  return (
    <section className="milestones" aria-labelledby={`ms-${ticket.id}`}>
      <h3 id={`ms-${ticket.id}`} className="section-title">
        {t('milestone.title')}
      </h3>
      {open > 0 ? (
        <p className="milestones__blocks" role="note">
          {t('milestone.blocksResolve', { count: open })}
        </p>
      ) : ticket.milestones.length > 0 ? (
        <p className="milestones__clear">{t('milestone.allConfirmed')}</p>
      ) : null}
      <ul className="milestone-list">
        {ticket.milestones.length === 0 && <li className="log-empty">{t('milestone.none')}</li>}
        {ticket.milestones.map((m) => (
          <MilestoneRow key={m.id} ticket={ticket} milestone={m} run={run} />
        ))}
      </ul>
      {mayAdd && (
        <form className="inline-form" aria-label={t('milestone.add')} onSubmit={(e) => void add(e)}>
          <input
            value={title}
            placeholder={t('milestone.placeholder')}
            aria-label={t('milestone.name')}
            onChange={(e) => setTitle(e.target.value)}
          />
          <button type="submit" className="button">
            {t('milestone.add')}
          </button>
        </form>
      )}
    </section>
  );
}

function MilestoneRow({
  ticket,
  milestone,
  run,
}: {
  ticket: Ticket;
  milestone: Milestone;
  run(input: CommandInput): Promise<CommandOutcome>;
}) {
  const t = useT();
  const [locale] = useLocale();
  const user = useAppStore((state) => state.session?.user ?? null);
  const leadName = useAppStore((state) =>
    selectUserName(state, milestone.leadConfirmation?.by ?? null),
  );
  const customerName = useAppStore((state) =>
    selectUserName(state, milestone.customerConfirmation?.by ?? null),
  );
  // A sign-off concerns one milestone, not the ticket's state: it is sent without
  // expectedVersion (a repeat is a no-op on the server), so a log entry meanwhile never
  // refuses it.
  const confirm = (side: 'lead' | 'customer'): void => {
    void run({
      type: 'ticket.milestone.confirm',
      ticketId: ticket.id,
      milestoneId: milestone.id,
      side,
      ...(side === 'customer' ? { onBehalf: true } : {}),
    });
  };
  const complete = milestone.leadConfirmation && milestone.customerConfirmation;
  // Four eyes: whoever did the work does not sign it off as team lead (the shared rule).
  const ownWork = user !== null && !mayConfirmAsLead(toActorLike(user), ticket, milestone);
  return (
    <li
      className={`milestone${complete ? ' milestone--done' : ''}`}
      aria-label={milestone.title}
      data-testid="milestone"
    >
      <span className="milestone__title">
        <span aria-hidden="true">{complete ? '✔' : '◇'}</span> {milestone.title}
      </span>
      <span className="milestone__side">
        <span className="milestone__side-label">{t('milestone.lead')}</span>
        {milestone.leadConfirmation ? (
          <span className="signoff signoff--done">
            {t('milestone.confirmedBy', {
              name: leadName ?? '—',
              at: formatInstant(milestone.leadConfirmation.at, locale),
            })}
          </span>
        ) : (
          <button
            type="button"
            className="button button--small"
            disabled={!mayPerform(user, ticket, 'ticket.milestone.confirm', 'lead') || ownWork}
            title={ownWork ? t('milestone.ownWork') : undefined}
            onClick={() => confirm('lead')}
          >
            {t('milestone.confirmLead')}
          </button>
        )}
      </span>
      <span className="milestone__side">
        <span className="milestone__side-label">{t('milestone.customer')}</span>
        {milestone.customerConfirmation ? (
          <span className="signoff signoff--done">
            {t(
              milestone.customerConfirmation.onBehalf
                ? 'milestone.confirmedOnBehalf'
                : 'milestone.confirmedBy',
              {
                name: customerName ?? '—',
                at: formatInstant(milestone.customerConfirmation.at, locale),
              },
            )}
          </span>
        ) : (
          <button
            type="button"
            className="button button--small"
            disabled={!mayPerform(user, ticket, 'ticket.milestone.confirm', 'customer')}
            onClick={() => confirm('customer')}
          >
            {t('milestone.confirmCustomer')}
          </button>
        )}
      </span>
    </li>
  );
}

function toActorLike(user: { id: string; roles: string[] }) {
  return { id: user.id, roles: toRoles(user) } as Parameters<typeof mayConfirmAsLead>[0];
}
