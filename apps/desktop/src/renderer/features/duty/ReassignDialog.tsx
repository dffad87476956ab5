import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useLocale, useT } from '../../i18n/i18n';
import type { CommandInput, Ticket } from '../../realtime/contract';
import { useAppStore } from '../../store/StoreContext';
import { formatGroupName } from '../directory/directory.slice';
import type { CommandOutcome } from '../ticket/useTicketCommand';
import { decodeTarget, encodeTarget } from './load';
import type { ReassignTarget } from './load';

/**
 * Confirms a reassignment with a reason. The version the manager saw when
 * the drag (or `r`) started is sent as `expectedVersion`.
 */
export function ReassignDialog({
  ticket,
  initialTarget,
  baseVersion,
  run,
  onClose,
}: {
  ticket: Ticket;
  initialTarget: ReassignTarget | null;
  baseVersion: number;
  run(input: CommandInput): Promise<CommandOutcome>;
  onClose(): void;
}) {
  const t = useT();
  const [locale] = useLocale();
  const { users, groups } = useAppStore(
    useShallow((state) => ({ users: state.users, groups: state.groups })),
  );
  const [target, setTarget] = useState(initialTarget ? encodeTarget(initialTarget) : '');
  const [reason, setReason] = useState('');
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const selectRef = useRef<HTMLSelectElement>(null);
  const [opener] = useState(() => document.activeElement as HTMLElement | null);
  useEffect(() => {
    if (initialTarget) reasonRef.current?.focus();
    else selectRef.current?.focus();
    return () => opener?.focus();
  }, [initialTarget, opener]);

  const people = Object.values(users).filter(
    (u) =>
      !u.disabled && u.roles.some((r) => r === 'agent' || r === 'engineer' || r === 'duty_manager'),
  );
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const chosen = decodeTarget(target);
    if (!chosen || !reason.trim()) return;
    let input: CommandInput;
    if (chosen.kind === 'group') {
      input = {
        type: 'ticket.assign',
        ticketId: ticket.id,
        expectedVersion: baseVersion,
        groupId: chosen.id,
        reason: reason.trim(),
      };
    } else {
      const person = users[chosen.id];
      const moveGroup =
        person &&
        person.groupIds.length > 0 &&
        !(ticket.groupId && person.groupIds.includes(ticket.groupId));
      input = {
        type: 'ticket.assign',
        ticketId: ticket.id,
        expectedVersion: baseVersion,
        assigneeId: chosen.id,
        ...(moveGroup && person.groupIds[0] ? { groupId: person.groupIds[0] } : {}),
        reason: reason.trim(),
      };
    }
    // A refusal shows on the board (conflict banner or error), so the dialog closes either way.
    await run(input);
    onClose();
  };
  return (
    <div className="overlay" role="presentation">
      <form
        className="dialog dialog--narrow"
        role="dialog"
        aria-modal="true"
        aria-labelledby="reassign-title"
        onSubmit={(e) => void submit(e)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            onClose();
          }
        }}
      >
        <h2 id="reassign-title">{t('duty.reassignTitle', { number: ticket.number })}</h2>
        <p className="dialog__sub">{ticket.title}</p>
        <label className="field">
          <span className="field__label">{t('duty.reassignTo')}</span>
          <select
            ref={selectRef}
            required
            value={target}
            onChange={(e) => setTarget(e.target.value)}
          >
            <option value="">{t('duty.chooseTarget')}</option>
            <optgroup label={t('duty.people')}>
              {people.map((u) => (
                <option key={u.id} value={encodeTarget({ kind: 'user', id: u.id })}>
                  {u.displayName}
                </option>
              ))}
            </optgroup>
            <optgroup label={t('duty.groups')}>
              {groups.map((g) => (
                <option key={g.id} value={encodeTarget({ kind: 'group', id: g.id })}>
                  {formatGroupName(groups, g.id, locale)}
                </option>
              ))}
            </optgroup>
          </select>
        </label>
        <label className="field">
          <span className="field__label">{t('duty.reason')}</span>
          <textarea
            ref={reasonRef}
            required
            rows={3}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
        </label>
        <div className="dialog__buttons">
          <button
            type="submit"
            className="button button--primary"
            disabled={!target || !reason.trim()}
          >
            {t('duty.reassign')}
          </button>
          <button type="button" className="button button--quiet" onClick={onClose}>
            {t('action.cancel')}
          </button>
        </div>
      </form>
    </div>
  );
}
