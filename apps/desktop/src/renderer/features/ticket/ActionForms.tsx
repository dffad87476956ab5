import { resolveTicketNumbers } from '../major/majorApi';
import { useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useServices } from '../../app/services';
import { useLocale, useT } from '../../i18n/i18n';
import { computePriority, findNextContactTarget } from '../../realtime/contract';
import type {
  CommandInput,
  ContactChannel,
  Level,
  Ticket,
  TicketKind,
} from '../../realtime/contract';
import { useAppStore } from '../../store/StoreContext';
import { formatGroupName } from '../directory/directory.slice';
import type { CommandOutcome } from './useTicketCommand';

export const ActionId = {
  classify: 'classify',
  assign: 'assign',
  pend: 'pend',
  resolve: 'resolve',
  followUp: 'followUp',
  reopen: 'reopen',
  refuse: 'refuse',
  majorIncident: 'majorIncident',
  contact: 'contact',
} as const;
export type ActionId = (typeof ActionId)[keyof typeof ActionId];

export interface ActionFormProps {
  ticket: Ticket;
  run(input: CommandInput): Promise<CommandOutcome>;
  onDone(): void;
}

const LEVELS: readonly Level[] = ['high', 'medium', 'low'];
export const KINDS: readonly TicketKind[] = [
  'incident',
  'service_request',
  'complaint',
  'consultation',
];

/**
 * The frame of every action form. It remembers the version the user decided
 * on (when the form opened) and sends it as `expectedVersion`, so a change by
 * someone else meanwhile comes back as a conflict instead of being overwritten.
 */
function ActionFrame({
  ticket,
  title,
  run,
  onDone,
  build,
  children,
  submitLabel,
  send,
}: ActionFormProps & {
  title: string;
  submitLabel: string;
  build(expectedVersion: number): CommandInput | null;
  /** Instead of a command: an action the server takes over REST; true when done. */
  send?(): Promise<boolean>;
  children: ReactNode;
}) {
  const t = useT();
  const [baseVersion] = useState(ticket.version);
  const [sending, setSending] = useState(false);
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (send) {
      setSending(true);
      const done = await send();
      setSending(false);
      if (done) onDone();
      return;
    }
    const input = build(baseVersion);
    if (!input) return;
    setSending(true);
    const outcome = await run(input);
    setSending(false);
    // On a refusal the form stays open with what was typed; the banner explains.
    if (outcome.ok) onDone();
  };
  return (
    <form
      className="action-form"
      aria-label={title}
      onSubmit={(e) => void submit(e)}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onDone();
        }
      }}
    >
      <h3 className="action-form__title">{title}</h3>
      {ticket.version !== baseVersion && (
        <p className="action-form__stale" role="status">
          {t('action.staleNotice', { seen: baseVersion, now: ticket.version })}
        </p>
      )}
      <div className="action-form__fields">{children}</div>
      <div className="action-form__buttons">
        <button type="submit" className="button button--primary" disabled={sending}>
          {submitLabel}
        </button>
        <button type="button" className="button button--quiet" onClick={onDone}>
          {t('action.cancel')}
        </button>
      </div>
    </form>
  );
}

/**
 * Classification. The priority select starts on "keep" the current priority: impact and
 * urgency are the assessment, and what the matrix suggests is shown, never applied silently.
 * Choosing another priority says so in the form and asks for the reason the server requires;
 * a change of kind says the ticket gets a new number.
 */
export function ClassifyForm(props: ActionFormProps) {
  const t = useT();
  const { ticket } = props;
  const [kind, setKind] = useState<string>(ticket.kind);
  const [category, setCategory] = useState(ticket.category ?? '');
  const [module, setModule] = useState(ticket.module ?? '');
  const [impact, setImpact] = useState<Level>(ticket.impact);
  const [urgency, setUrgency] = useState<Level>(ticket.urgency);
  const [priority, setPriority] = useState('');
  const [reason, setReason] = useState('');
  const suggested = computePriority(impact, urgency);
  const chosen = priority === 'P1' || priority === 'P2' || priority === 'P3' ? priority : null;
  const changes = chosen !== null && chosen !== ticket.priority;
  return (
    <ActionFrame
      {...props}
      title={t('action.classify')}
      submitLabel={t('action.classify')}
      build={(expectedVersion) =>
        category.trim() && (!changes || reason.trim())
          ? {
              type: 'ticket.classify',
              ticketId: ticket.id,
              expectedVersion,
              kind: kind as TicketKind,
              category: category.trim(),
              module: module.trim() || null,
              impact,
              urgency,
              ...(changes && chosen ? { priority: chosen, reason: reason.trim() } : {}),
            }
          : null
      }
    >
      <KindSelect value={kind} onChange={setKind} />
      <label className="field">
        <span className="field__label">{t('ticket.field.category')}</span>
        <input required value={category} onChange={(e) => setCategory(e.target.value)} />
      </label>
      <label className="field">
        <span className="field__label">{t('ticket.field.module')}</span>
        <input value={module} onChange={(e) => setModule(e.target.value)} />
      </label>
      <LevelSelect label={t('ticket.field.impact')} value={impact} onChange={setImpact} />
      <LevelSelect label={t('ticket.field.urgency')} value={urgency} onChange={setUrgency} />
      <label className="field">
        <span className="field__label">{t('ticket.field.priority')}</span>
        <select
          value={priority}
          data-testid="classify-priority"
          onChange={(e) => setPriority(e.target.value)}
        >
          <option value="">{t('classify.keepPriority', { priority: ticket.priority })}</option>
          {(['P1', 'P2', 'P3'] as const)
            .filter((p) => p !== ticket.priority)
            .map((p) => (
              <option key={p} value={p}>
                {t(`priority.${p}.name`)}
              </option>
            ))}
        </select>
      </label>
      <p
        className="action-form__note field--wide"
        role="status"
        data-testid="classify-priority-note"
      >
        {changes && chosen
          ? t('classify.priorityChange', { from: ticket.priority, to: chosen })
          : t('classify.priorityKept', { priority: ticket.priority })}{' '}
        {suggested !== (chosen ?? ticket.priority) &&
          t('classify.matrixSuggests', { priority: suggested })}
      </p>
      {changes && (
        <label className="field field--wide">
          <span className="field__label">{t('classify.reason')}</span>
          <input required value={reason} onChange={(e) => setReason(e.target.value)} />
        </label>
      )}
      {kind !== ticket.kind && (
        <p className="action-form__note field--wide" role="note">
          {t('classify.renumber', { number: ticket.number })}
        </p>
      )}
    </ActionFrame>
  );
}

const CONTACT_CHANNELS: readonly ContactChannel[] = [
  'phone',
  'email',
  'chat',
  'sms',
  'visit',
  'video',
  'other',
];

/**
 * A customer contact (a call back, an e-mail, a visit). On a complaint it meets the next
 * contact deadline still open, which the form names. It appends, so it is sent without
 * `expectedVersion`: another seat's change meanwhile never refuses it.
 */
export function ContactForm(props: ActionFormProps) {
  const t = useT();
  const { ticket } = props;
  const [channel, setChannel] = useState<ContactChannel>('phone');
  const [summary, setSummary] = useState('');
  const next = findNextContactTarget(ticket);
  return (
    <ActionFrame
      {...props}
      title={t('action.recordContact')}
      submitLabel={t('action.recordContact')}
      build={() =>
        summary.trim()
          ? {
              type: 'ticket.contact.record',
              ticketId: ticket.id,
              channel,
              summary: summary.trim(),
            }
          : null
      }
    >
      <label className="field">
        <span className="field__label">{t('contact.channel')}</span>
        <select
          value={channel}
          onChange={(e) =>
            setChannel(CONTACT_CHANNELS.find((c) => c === e.target.value) ?? 'phone')
          }
        >
          {CONTACT_CHANNELS.map((c) => (
            <option key={c} value={c}>
              {t(`contact.channel.${c}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="field field--wide">
        <span className="field__label">{t('contact.summary')}</span>
        <textarea required rows={2} value={summary} onChange={(e) => setSummary(e.target.value)} />
      </label>
      {ticket.kind === 'complaint' && (
        <p className="action-form__note field--wide" role="status" data-testid="contact-target">
          {next
            ? t('contact.meetsNext', { target: t(contactTargetKey(next)) })
            : t('contact.noTarget')}
        </p>
      )}
    </ActionFrame>
  );
}

/** The i18n key naming a complaint contact target. */
export function contactTargetKey(
  target: string,
): 'contact.target.contact-15m' | 'contact.target.contact-2h' | 'contact.target.contact-24h' {
  if (target === 'contact-2h') return 'contact.target.contact-2h';
  if (target === 'contact-24h') return 'contact.target.contact-24h';
  return 'contact.target.contact-15m';
}

/** The ticket kind field (create dialog, classify form). */
export function KindSelect({
  value,
  onChange,
  testId,
}: {
  value: string;
  onChange(kind: TicketKind): void;
  testId?: string;
}) {
  const t = useT();
  return (
    <label className="field">
      <span className="field__label">{t('ticket.field.kind')}</span>
      <select
        value={value}
        data-testid={testId}
        onChange={(e) => onChange(KINDS.find((k) => k === e.target.value) ?? 'incident')}
      >
        {KINDS.map((k) => (
          <option key={k} value={k}>
            {t(`kind.${k}`)}
          </option>
        ))}
      </select>
    </label>
  );
}

export function LevelSelect({
  label,
  value,
  onChange,
}: {
  label: string;
  value: Level;
  onChange(level: Level): void;
}) {
  const t = useT();
  return (
    <label className="field">
      <span className="field__label">{label}</span>
      <select
        value={value}
        onChange={(e) => onChange(LEVELS.find((l) => l === e.target.value) ?? 'low')}
      >
        {LEVELS.map((l) => (
          <option key={l} value={l}>
            {t(`level.${l}`)}
          </option>
        ))}
      </select>
    </label>
  );
}

export function AssignForm(props: ActionFormProps) {
  const t = useT();
  const [locale] = useLocale();
  const { ticket } = props;
  const { users, groups, me } = useAppStore(
    useShallow((state) => ({ users: state.users, groups: state.groups, me: state.session?.user })),
  );
  const [groupId, setGroupId] = useState(ticket.groupId ?? '');
  const [assigneeId, setAssigneeId] = useState(ticket.assigneeId ?? '');
  const [reason, setReason] = useState('');
  const candidates = Object.values(users).filter(
    (u) =>
      !u.disabled &&
      u.roles.some((r) => r === 'agent' || r === 'engineer' || r === 'duty_manager') &&
      (!groupId || u.groupIds.includes(groupId)),
  );
  const groupIds =
    groups.length > 0 ? groups.map((g) => g.id) : ticket.groupId ? [ticket.groupId] : [];
  return (
    <ActionFrame
      {...props}
      title={t('action.assign')}
      submitLabel={t('action.assign')}
      build={(expectedVersion) => {
        const groupChanged = groupId !== (ticket.groupId ?? '');
        const assigneeChanged = assigneeId !== (ticket.assigneeId ?? '');
        if (!groupChanged && !assigneeChanged) return null;
        return {
          type: 'ticket.assign',
          ticketId: ticket.id,
          expectedVersion,
          ...(groupId && groupChanged ? { groupId } : {}),
          ...(assigneeChanged || !groupChanged ? { assigneeId: assigneeId || null } : {}),
          ...(reason.trim() ? { reason: reason.trim() } : {}),
        };
      }}
    >
      <label className="field">
        <span className="field__label">{t('ticket.field.group')}</span>
        <select value={groupId} onChange={(e) => setGroupId(e.target.value)}>
          <option value="">{t('queue.filter.noGroup')}</option>
          {groupIds.map((id) => (
            <option key={id} value={id}>
              {formatGroupName(groups, id, locale)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span className="field__label">{t('ticket.field.assignee')}</span>
        <select value={assigneeId} onChange={(e) => setAssigneeId(e.target.value)}>
          <option value="">{t('queue.unassigned')}</option>
          {me && !candidates.some((u) => u.id === me.id) && (
            <option value={me.id}>{t('assign.me', { name: me.displayName })}</option>
          )}
          {candidates.map((u) => (
            <option key={u.id} value={u.id}>
              {u.displayName}
            </option>
          ))}
          {ticket.assigneeId &&
            ticket.assigneeId !== me?.id &&
            !candidates.some((u) => u.id === ticket.assigneeId) && (
              <option value={ticket.assigneeId}>{ticket.assigneeId}</option>
            )}
        </select>
      </label>
      <label className="field field--wide">
        <span className="field__label">{t('assign.reason')}</span>
        <input value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
    </ActionFrame>
  );
}

export function PendForm(props: ActionFormProps) {
  const t = useT();
  const [reason, setReason] = useState<'customer' | 'vendor' | 'change'>('customer');
  const [note, setNote] = useState('');
  return (
    <ActionFrame
      {...props}
      title={t('action.pend')}
      submitLabel={t('action.pend')}
      build={(expectedVersion) => ({
        type: 'ticket.pend',
        ticketId: props.ticket.id,
        expectedVersion,
        reason,
        ...(note.trim() ? { note: note.trim() } : {}),
      })}
    >
      <label className="field">
        <span className="field__label">{t('pend.reason')}</span>
        <select
          value={reason}
          onChange={(e) =>
            setReason(
              e.target.value === 'vendor' || e.target.value === 'change'
                ? e.target.value
                : 'customer',
            )
          }
        >
          <option value="customer">{t('pending.customer')}</option>
          <option value="vendor">{t('pending.vendor')}</option>
          <option value="change">{t('pending.change')}</option>
        </select>
      </label>
      <label className="field field--wide">
        <span className="field__label">{t('action.note')}</span>
        <input value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
    </ActionFrame>
  );
}

export function ResolveForm(props: ActionFormProps) {
  const t = useT();
  const [code, setCode] = useState('');
  const [summary, setSummary] = useState('');
  return (
    <ActionFrame
      {...props}
      title={t('action.resolve')}
      submitLabel={t('action.resolve')}
      build={(expectedVersion) =>
        code.trim() && summary.trim()
          ? {
              type: 'ticket.resolve',
              ticketId: props.ticket.id,
              expectedVersion,
              code: code.trim(),
              summary: summary.trim(),
            }
          : null
      }
    >
      <label className="field">
        <span className="field__label">{t('resolve.code')}</span>
        <input required value={code} onChange={(e) => setCode(e.target.value)} />
      </label>
      <label className="field field--wide">
        <span className="field__label">{t('resolve.summary')}</span>
        <textarea required rows={3} value={summary} onChange={(e) => setSummary(e.target.value)} />
      </label>
    </ActionFrame>
  );
}

export function FollowUpForm(props: ActionFormProps) {
  const t = useT();
  const [outcome, setOutcome] = useState<'satisfied' | 'not_resolved'>('satisfied');
  const [note, setNote] = useState('');
  return (
    <ActionFrame
      {...props}
      title={t('action.followUp')}
      submitLabel={t('action.followUp')}
      build={(expectedVersion) => ({
        type: 'ticket.followUp',
        ticketId: props.ticket.id,
        expectedVersion,
        outcome,
        ...(note.trim() ? { note: note.trim() } : {}),
      })}
    >
      <label className="field">
        <span className="field__label">{t('followUp.outcome')}</span>
        <select
          value={outcome}
          onChange={(e) =>
            setOutcome(e.target.value === 'not_resolved' ? 'not_resolved' : 'satisfied')
          }
        >
          <option value="satisfied">{t('followUp.satisfied')}</option>
          <option value="not_resolved">{t('followUp.notResolved')}</option>
        </select>
      </label>
      <label className="field field--wide">
        <span className="field__label">{t('action.note')}</span>
        <input value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
    </ActionFrame>
  );
}

export function ReopenForm(props: ActionFormProps) {
  const t = useT();
  const [reason, setReason] = useState('');
  return (
    <ActionFrame
      {...props}
      title={t('action.reopen')}
      submitLabel={t('action.reopen')}
      build={(expectedVersion) =>
        reason.trim()
          ? {
              type: 'ticket.reopen',
              ticketId: props.ticket.id,
              expectedVersion,
              reason: reason.trim(),
            }
          : null
      }
    >
      <label className="field field--wide">
        <span className="field__label">{t('reopen.reason')}</span>
        <input required value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
    </ActionFrame>
  );
}

/**
 * Refusing a dispatch (the assignee only): a reason is required; the server clears the
 * assignment, sends the ticket back to its group's dispatch and alerts the duty manager on duty.
 * The reason field takes focus when the form opens, so `x`, typing and Enter refuse.
 */
export function RefuseForm(props: ActionFormProps) {
  const t = useT();
  const [reason, setReason] = useState('');
  return (
    <ActionFrame
      {...props}
      title={t('action.refuse')}
      submitLabel={t('refuse.confirm')}
      build={(expectedVersion) =>
        reason.trim()
          ? {
              type: 'ticket.refuse',
              ticketId: props.ticket.id,
              expectedVersion,
              reason: reason.trim(),
            }
          : null
      }
    >
      <p className="action-form__explain">{t('refuse.explain')}</p>
      <label className="field field--wide">
        <span className="field__label">{t('refuse.reason')}</span>
        <textarea
          required
          rows={2}
          maxLength={2000}
          autoFocus
          name="refuse-reason"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
      </label>
    </ActionFrame>
  );
}

/**
 * Declares a major incident through the server's major-incident endpoint, which keeps the
 * incident record (declared by, linked tickets, timeline), flags the ticket keeping its
 * classification, and alerts the service director. The seats see the flag from the event
 * stream like any change.
 */
export function MajorIncidentForm(props: ActionFormProps) {
  const t = useT();
  const { api } = useServices();
  const token = useAppStore((state) => state.session?.token ?? null);
  const { ticket } = props;
  const [note, setNote] = useState('');
  const [children, setChildren] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const tickets = useAppStore((state) => state.tickets);
  const send = async (): Promise<boolean> => {
    if (!token) return false;
    setFailure(null);
    const found = resolveTicketNumbers(children, tickets);
    if (found.unknown.length > 0) {
      setFailure(t('mi.unknownNumbers', { numbers: found.unknown.join(', ') }));
      return false;
    }
    const outcome = await api.declareMajorIncident(token, ticket.id, {
      ...(note.trim() ? { note: note.trim() } : {}),
      ...(found.ids.length > 0
        ? { childTicketIds: found.ids.filter((id) => id !== ticket.id) }
        : {}),
    });
    if (!outcome.ok) setFailure(outcome.message);
    return outcome.ok;
  };
  return (
    <ActionFrame
      {...props}
      title={t('action.majorIncident')}
      submitLabel={t('major.confirm')}
      build={() => null}
      send={send}
    >
      <p>{t('major.explain', { number: ticket.number })}</p>
      <label className="field field--wide">
        <span className="field__label">{t('major.note')}</span>
        <textarea rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
      <label className="field field--wide">
        <span className="field__label">{t('mi.declareChildren')}</span>
        <input
          value={children}
          onChange={(e) => setChildren(e.target.value)}
          data-testid="major-declare-children"
        />
      </label>
      {failure && (
        <p className="banner banner--error" role="alert">
          {t('major.failed', { message: failure })}
        </p>
      )}
    </ActionFrame>
  );
}
