import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { navigate } from '../../app/router';
import { useT } from '../../i18n/i18n';
import { isPhoneQuery, resolvePriority } from '../../realtime/contract';
import type { Channel, ContactMatch, Level, TicketKind } from '../../realtime/contract';
import { useAppStore } from '../../store/StoreContext';
import { PriorityBadge } from '../../ui/PriorityBadge';
import { CallerLookup } from '../customers/CallerLookup';
import { KINDS, KindSelect, LevelSelect } from './ActionForms';
import { draftKey, useDraft } from './drafts';
import { useTicketCommand } from './useTicketCommand';
import { KbSuggestions } from '../kb/KbSuggestions';
import { CategorySuggestion, sendCategoryFeedback } from './CategorySuggestion';
import type { CategoryOffer } from './CategorySuggestion';

const CHANNELS: readonly Channel[] = ['hotline', 'chat', 'portal', 'monitoring', 'walk_in', 'api'];

const CREATE_DRAFT = {
  kind: 'incident' as TicketKind,
  title: '',
  description: '',
  channel: 'hotline' as Channel,
  impact: 'low' as Level,
  urgency: 'low' as Level,
  priority: '',
  /** Typed, picked or pre-filled from the classifier's suggestion. */
  category: '',
  /** What the agent typed to find the caller (a phone number or a name). */
  caller: '',
};

/**
 * A new ticket: what, how it came in, impact × urgency with the priority the
 * matrix gives (or an explicit one), and who the caller is: looked up as the
 * agent types (phone or name), or made inline as a new contact; the ticket
 * links the contact and its organisation. With nobody picked, what was typed
 * goes to the ticket as free text. The draft survives a reload; Esc closes
 * without losing it.
 */
export function CreateTicketDialog({ onClose }: { onClose(): void }) {
  const t = useT();
  const userId = useAppStore((state) => state.session?.user.id ?? 'anon');
  const [draft, setDraft, clearDraft] = useDraft(draftKey(userId, 'new', 'create'), CREATE_DRAFT);
  const { run, error, busy } = useTicketCommand();
  const [caller, setCaller] = useState<ContactMatch | null>(null);
  const token = useAppStore((state) => state.session?.token ?? null);
  const [offer, setOffer] = useState<CategoryOffer | null>(null);
  const [opener] = useState(() => document.activeElement as HTMLElement | null);
  const titleRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    titleRef.current?.focus();
    return () => opener?.focus();
  }, [opener]);

  const explicit = draft.priority === 'P1' || draft.priority === 'P2' || draft.priority === 'P3';
  const priority = resolvePriority({
    impact: draft.impact,
    urgency: draft.urgency,
    priority: explicit ? (draft.priority as 'P1' | 'P2' | 'P3') : undefined,
  });

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!draft.title.trim()) return;
    const typed = draft.caller.trim();
    const customer = caller
      ? null
      : isPhoneQuery(typed)
        ? { phone: typed }
        : typed
          ? { contact: typed }
          : null;
    const outcome = await run({
      type: 'ticket.create',
      title: draft.title.trim(),
      description: draft.description.trim(),
      channel: draft.channel,
      // A complaint gets its CMP- number and its contact deadlines from the start.
      kind: KINDS.find((k) => k === draft.kind) ?? 'incident',
      impact: draft.impact,
      urgency: draft.urgency,
      ...(explicit ? { priority } : {}),
      ...(draft.category.trim() ? { category: draft.category.trim() } : {}),
      ...(caller ? { contactId: caller.id, organisationId: caller.organisation?.id ?? null } : {}),
      ...(customer ? { customer } : {}),
    });
    if (outcome.ok) {
      if (token && offer) void sendCategoryFeedback(token, offer, draft.category, outcome.ticketId);
      clearDraft();
      onClose();
      if (outcome.ticketId) navigate(`/tickets/${encodeURIComponent(outcome.ticketId)}`);
    }
  };

  return (
    <div
      className="overlay"
      role="presentation"
      onMouseDown={(e) => e.target === e.currentTarget && onClose()}
    >
      <form
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="create-title"
        onSubmit={(e) => void submit(e)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            onClose();
          }
        }}
      >
        <h2 id="create-title">{t('create.title')}</h2>
        {error && (
          <p className="banner banner--error" role="alert">
            {t('ticket.commandFailed', { message: error })}
          </p>
        )}
        <label className="field">
          <span className="field__label">{t('create.ticketTitle')}</span>
          <input
            ref={titleRef}
            required
            maxLength={200}
            value={draft.title}
            onChange={(e) => setDraft({ title: e.target.value })}
          />
        </label>
        <label className="field">
          <span className="field__label">{t('create.description')}</span>
          <textarea
            rows={4}
            value={draft.description}
            onChange={(e) => setDraft({ description: e.target.value })}
          />
        </label>
        <KbSuggestions title={draft.title} description={draft.description} />
        <CategorySuggestion
          title={draft.title}
          description={draft.description}
          value={draft.category}
          onChange={(category) => setDraft({ category })}
          onOffer={setOffer}
        />
        <div className="field-row">
          <KindSelect
            value={draft.kind}
            testId="create-kind"
            onChange={(kind) => setDraft({ kind })}
          />
          <label className="field">
            <span className="field__label">{t('ticket.field.channel')}</span>
            <select
              value={draft.channel}
              onChange={(e) =>
                setDraft({ channel: CHANNELS.find((c) => c === e.target.value) ?? 'hotline' })
              }
            >
              {CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {t(`channel.${c}`)}
                </option>
              ))}
            </select>
          </label>
          <LevelSelect
            label={t('ticket.field.impact')}
            value={draft.impact}
            onChange={(impact) => setDraft({ impact })}
          />
          <LevelSelect
            label={t('ticket.field.urgency')}
            value={draft.urgency}
            onChange={(urgency) => setDraft({ urgency })}
          />
          <label className="field">
            <span className="field__label">{t('ticket.field.priority')}</span>
            <select value={draft.priority} onChange={(e) => setDraft({ priority: e.target.value })}>
              <option value="">{t('create.fromMatrix')}</option>
              {(['P1', 'P2', 'P3'] as const).map((p) => (
                <option key={p} value={p}>
                  {t(`priority.${p}.name`)}
                </option>
              ))}
            </select>
          </label>
        </div>
        <p className="create__priority" data-testid="derived-priority">
          {t(explicit ? 'create.priorityExplicit' : 'create.priorityFromMatrix')}{' '}
          <PriorityBadge priority={priority} />
        </p>
        <fieldset className="create__caller">
          <legend className="field__label">{t('ticket.field.customer')}</legend>
          <CallerLookup
            query={draft.caller}
            onQueryChange={(q) => setDraft({ caller: q })}
            selected={caller}
            onSelect={setCaller}
          />
        </fieldset>
        <div className="dialog__buttons">
          <button type="submit" className="button button--primary" disabled={busy}>
            {t('create.submit')}
          </button>
          <button type="button" className="button button--quiet" onClick={onClose}>
            {t('action.cancel')}
          </button>
        </div>
      </form>
    </div>
  );
}
