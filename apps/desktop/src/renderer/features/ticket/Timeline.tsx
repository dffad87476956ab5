import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useLocale, useT } from '../../i18n/i18n';
import type { Translate } from '../../i18n/i18n';
import type { CommandInput, Ticket } from '../../realtime/contract';
import { useAppStore } from '../../store/StoreContext';
import { formatGroupName, selectUserName } from '../directory/directory.slice';
import { useShallow } from 'zustand/react/shallow';
import { buildHistoryItems, type HistoryNames } from './timelineHistory';
import { draftKey, useDraft } from './drafts';
import { formatInstant } from './labels';
import { mayPerform } from './permissions';
import type { CommandOutcome } from './useTicketCommand';

interface Item {
  key: string;
  at: string;
  actorId: string | null;
  text: string;
  kind: 'status' | 'comment' | 'internal' | 'log' | 'milestone';
}

function buildItems(ticket: Ticket, t: Translate): Item[] {
  const items: Item[] = [];
  ticket.statusHistory.forEach((s, i) =>
    items.push({
      key: `s${i}`,
      at: s.at,
      actorId: null,
      kind: 'status',
      text: s.pendingReason
        ? t('timeline.statusPending', {
            status: t(`status.${s.status}`),
            reason: t(`pending.${s.pendingReason}`),
          })
        : t('timeline.status', { status: t(`status.${s.status}`) }),
    }),
  );
  for (const c of ticket.comments) {
    items.push({
      key: `c${c.id}`,
      at: c.at,
      actorId: c.authorId,
      kind: c.internal ? 'internal' : 'comment',
      text: c.body,
    });
  }
  for (const e of ticket.executionLog) {
    items.push({
      key: `x${e.id}`,
      at: e.at,
      actorId: e.actorId,
      kind: 'log',
      text: t('timeline.execution', { progress: e.progress, work: e.work }),
    });
  }
  for (const e of ticket.supervisionLog) {
    items.push({
      key: `v${e.id}`,
      at: e.at,
      actorId: e.actorId,
      kind: 'log',
      text: t('timeline.supervision'),
    });
  }
  for (const m of ticket.milestones) {
    items.push({
      key: `m${m.id}`,
      at: m.addedAt,
      actorId: m.addedBy,
      kind: 'milestone',
      text: t('timeline.milestone', { title: m.title }),
    });
  }
  return items.sort((a, b) => a.at.localeCompare(b.at));
}

/** Everything that happened to the ticket, oldest first, and the comment box. */
export function Timeline({
  ticket,
  run,
  onTyping,
}: {
  ticket: Ticket;
  run(input: CommandInput, options?: { commandId?: string }): Promise<CommandOutcome>;
  onTyping(): void;
}) {
  const t = useT();
  const [locale] = useLocale();
  const user = useAppStore((state) => state.session?.user ?? null);
  const [draft, setDraft, clearDraft] = useDraft(
    draftKey(user?.id ?? 'anon', ticket.id, 'comment'),
    {
      body: '',
      internal: false,
    },
  );
  const [sending, setSending] = useState(false);
  // One commandId per comment until the server stores it: a send that got no answer (offline
  // past the wait) goes again under the same id, so the server keeps it once.
  const commandId = useRef<string | null>(null);
  const queued = useAppStore(
    (state) => sending && state.outbox.some((entry) => entry.commandId === commandId.current),
  );
  const historyNames = useHistoryNames();
  const items = [...buildItems(ticket, t), ...buildHistoryItems(ticket, t, historyNames)].sort(
    (a, b) => a.at.localeCompare(b.at),
  );

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!draft.body.trim() || sending) return;
    setSending(true);
    commandId.current ??= crypto.randomUUID();
    // A comment appends: it sends no expectedVersion, so a change meanwhile (or a queued send
    // landing after others) never refuses it as a conflict.
    const outcome = await run(
      {
        type: 'ticket.comment',
        ticketId: ticket.id,
        body: draft.body.trim(),
        internal: draft.internal,
      },
      { commandId: commandId.current },
    );
    setSending(false);
    // Cleared only once the server has stored it; refused, the text stays to fix and a new
    // send is a new command.
    if (outcome.ok) {
      commandId.current = null;
      clearDraft();
    } else if (!outcome.unanswered) commandId.current = null;
  };

  return (
    <section className="timeline" aria-labelledby={`tl-${ticket.id}`}>
      <h3 id={`tl-${ticket.id}`} className="section-title">
        {t('timeline.title')}
      </h3>
      {/* It scrolls on its own: focusable, so the keyboard can scroll it too (axe). */}
      <ol className="timeline__list" tabIndex={0} aria-labelledby={`tl-${ticket.id}`}>
        {items.map((item) => (
          <TimelineItem key={item.key} item={item} locale={locale} />
        ))}
      </ol>
      {mayPerform(user, ticket, 'ticket.comment') && (
        <form
          className="comment-form"
          aria-label={t('timeline.comment')}
          onSubmit={(e) => void submit(e)}
        >
          <textarea
            rows={2}
            readOnly={sending}
            aria-label={t('timeline.comment')}
            placeholder={t('timeline.commentPlaceholder')}
            value={draft.body}
            onChange={(e) => {
              setDraft({ body: e.target.value });
              onTyping();
            }}
          />
          <div className="comment-form__row">
            <label>
              <input
                type="checkbox"
                checked={draft.internal}
                onChange={(e) => setDraft({ internal: e.target.checked })}
              />{' '}
              {t('timeline.internal')}
            </label>
            {sending && (
              <span className="comment-form__state" role="status" data-testid="comment-state">
                {queued ? t('comment.queued') : t('comment.sending')}
              </span>
            )}
            <button type="submit" className="button" disabled={sending || !draft.body.trim()}>
              {t('action.comment')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function TimelineItem({ item, locale }: { item: Item; locale: string }) {
  const t = useT();
  const name = useAppStore((state) => selectUserName(state, item.actorId));
  return (
    <li className={`timeline__item timeline__item--${item.kind}`}>
      <span className="timeline__at">{formatInstant(item.at, locale)}</span>
      {name && <span className="timeline__who">{name}</span>}
      {item.kind === 'internal' && <span className="log-entry__tag">{t('timeline.internal')}</span>}
      <span className="timeline__text">{item.text}</span>
    </li>
  );
}

/** Group and person names for the history lines, in the seat's language. */
function useHistoryNames(): HistoryNames {
  const [locale] = useLocale();
  const { groups, users, knownNames, me } = useAppStore(
    useShallow((state) => ({
      groups: state.groups,
      users: state.users,
      knownNames: state.knownNames,
      me: state.session?.user ?? null,
    })),
  );
  return {
    group: (id) => formatGroupName(groups, id, locale),
    user: (id) => {
      if (!id) return null;
      if (me?.id === id) return me.displayName;
      return users[id]?.displayName ?? knownNames[id] ?? id.slice(0, 8);
    },
  };
}
