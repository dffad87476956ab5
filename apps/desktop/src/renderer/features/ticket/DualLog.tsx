import type { FormEvent, ReactNode } from 'react';
import { useLocale, useT } from '../../i18n/i18n';
import type {
  CommandInput,
  ExecutionEntry,
  SupervisionEntry,
  Ticket,
} from '../../realtime/contract';
import { useAppStore } from '../../store/StoreContext';
import { selectUserName } from '../directory/directory.slice';
import { draftKey, useDraft } from './drafts';
import { formatInstant } from './labels';
import { mayPerform } from './permissions';
import type { CommandOutcome } from './useTicketCommand';

interface DualLogProps {
  ticket: Ticket;
  run(input: CommandInput): Promise<CommandOutcome>;
  onTyping(): void;
}

/**
 * The execution log (engineer: work, problems, progress, time) and the
 * supervision log (customer side: attitude, professionalism, feedback,
 * ratings) side by side. Entries are append-only: "Correct" writes a new
 * entry linked to the old one, and the old one stays, marked as corrected.
 */
export function DualLog({ ticket, run, onTyping }: DualLogProps) {
  const t = useT();
  return (
    <section className="dual-log" aria-label={t('log.title')}>
      <ExecutionLog ticket={ticket} run={run} onTyping={onTyping} />
      <SupervisionLog ticket={ticket} run={run} onTyping={onTyping} />
    </section>
  );
}

/** Which entries were corrected, and by which entry. */
function correctedBy<E extends { id: string; correctsEntryId: string | null }>(
  entries: readonly E[],
): Map<string, string> {
  const map = new Map<string, string>();
  for (const e of entries) if (e.correctsEntryId) map.set(e.correctsEntryId, e.id);
  return map;
}

function entryDomId(ticketId: string, entryId: string): string {
  return `log-${ticketId}-${entryId}`;
}

function EntryMeta({
  ticketId,
  at,
  actorId,
  correctsEntryId,
  supersededBy,
}: {
  ticketId: string;
  at: string;
  actorId: string | null;
  correctsEntryId: string | null;
  supersededBy: string | undefined;
}) {
  const t = useT();
  const [locale] = useLocale();
  const name = useAppStore((state) => selectUserName(state, actorId));
  return (
    <div className="log-entry__meta">
      <span>{formatInstant(at, locale)}</span>
      <span>{name ?? t('log.system')}</span>
      {correctsEntryId && (
        <a className="log-entry__tag" href={`#${entryDomId(ticketId, correctsEntryId)}`}>
          {t('log.correction')}
        </a>
      )}
      {supersededBy && (
        <a
          className="log-entry__tag log-entry__tag--old"
          href={`#${entryDomId(ticketId, supersededBy)}`}
        >
          {t('log.corrected')}
        </a>
      )}
    </div>
  );
}

interface LogEntryListProps<E> {
  ticketId: string;
  entries: readonly E[];
  testId: string;
  /** May this seat correct an entry (write a new one linked to it)? */
  allowed: boolean;
  onCorrect(entry: E): void;
  /** What the entry says, between its meta line and its figures. */
  body(entry: E): ReactNode;
  /** Its figures (progress, time, ratings), before the "Correct" button. */
  figures(entry: E): ReactNode;
}

/** One log's entries, append-only: a corrected entry stays, marked and linked to its correction. */
function LogEntryList<
  E extends { id: string; at: string; actorId: string | null; correctsEntryId: string | null },
>({ ticketId, entries, testId, allowed, onCorrect, body, figures }: LogEntryListProps<E>) {
  const t = useT();
  const superseded = correctedBy(entries);
  return (
    <ol className="log-entries" data-testid={testId}>
      {entries.length === 0 && <li className="log-empty">{t('log.empty')}</li>}
      {entries.map((entry) => (
        <li
          key={entry.id}
          id={entryDomId(ticketId, entry.id)}
          className={`log-entry${superseded.has(entry.id) ? ' log-entry--superseded' : ''}`}
        >
          <EntryMeta
            ticketId={ticketId}
            at={entry.at}
            actorId={entry.actorId}
            correctsEntryId={entry.correctsEntryId}
            supersededBy={superseded.get(entry.id)}
          />
          {body(entry)}
          <div className="log-entry__figures">
            {figures(entry)}
            {allowed && (
              <button type="button" className="link-button" onClick={() => onCorrect(entry)}>
                {t('log.correct')}
              </button>
            )}
          </div>
        </li>
      ))}
    </ol>
  );
}

/** A log's new-entry form, saying when it writes a correction (and letting it be called off). */
function LogForm({
  label,
  correcting,
  onCancelCorrection,
  onSubmit,
  children,
}: {
  label: string;
  correcting: boolean;
  onCancelCorrection(): void;
  onSubmit(event: FormEvent): Promise<void>;
  children: ReactNode;
}) {
  const t = useT();
  return (
    <form className="log-form" aria-label={label} onSubmit={(e) => void onSubmit(e)}>
      {correcting && (
        <p className="log-form__correcting">
          {t('log.correcting')}{' '}
          <button type="button" className="link-button" onClick={onCancelCorrection}>
            {t('log.correctCancel')}
          </button>
        </p>
      )}
      {children}
    </form>
  );
}

const EXECUTION_DRAFT = {
  work: '',
  problems: '',
  progress: '0',
  minutesSpent: '0',
  correctsEntryId: '',
};

function ExecutionLog({ ticket, run, onTyping }: DualLogProps) {
  const t = useT();
  const user = useAppStore((state) => state.session?.user ?? null);
  const [draft, setDraft, clearDraft] = useDraft(
    draftKey(user?.id ?? 'anon', ticket.id, 'execution'),
    EXECUTION_DRAFT,
  );
  const allowed = mayPerform(user, ticket, 'ticket.log.execution');
  const last = ticket.executionLog.at(-1);

  const edit = (patch: Partial<typeof EXECUTION_DRAFT>): void => {
    setDraft(patch);
    onTyping();
  };
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!draft.work.trim()) return;
    const outcome = await run({
      // Log entries append: no expectedVersion, so two seats writing at once never conflict.
      type: 'ticket.log.execution',
      ticketId: ticket.id,
      work: draft.work.trim(),
      problems: draft.problems.trim() || null,
      progress: clampInt(draft.progress, 0, 100),
      minutesSpent: clampInt(draft.minutesSpent, 0, 10_080),
      ...(draft.correctsEntryId ? { correctsEntryId: draft.correctsEntryId } : {}),
    });
    if (outcome.ok) clearDraft();
  };
  const correct = (entry: ExecutionEntry): void =>
    setDraft({
      work: entry.work,
      problems: entry.problems ?? '',
      progress: String(entry.progress),
      minutesSpent: String(entry.minutesSpent),
      correctsEntryId: entry.id,
    });

  return (
    <div className="log-column" aria-labelledby={`exec-${ticket.id}`}>
      <h3 id={`exec-${ticket.id}`} className="log-column__title">
        {t('log.execution')}
        {last && (
          <span className="log-column__summary">
            {t('log.progressNow', { progress: last.progress })}
          </span>
        )}
      </h3>
      <LogEntryList
        ticketId={ticket.id}
        entries={ticket.executionLog}
        testId="execution-entries"
        allowed={allowed}
        onCorrect={correct}
        body={(entry) => (
          <>
            <p className="log-entry__text">{entry.work}</p>
            {entry.problems && (
              <p className="log-entry__problems">
                <strong>{t('log.problems')}:</strong> {entry.problems}
              </p>
            )}
          </>
        )}
        figures={(entry) => (
          <>
            <span>{t('log.progressValue', { progress: entry.progress })}</span>
            <span>{t('log.minutesValue', { minutes: entry.minutesSpent })}</span>
          </>
        )}
      />
      {allowed ? (
        <LogForm
          label={t('log.execution.new')}
          correcting={Boolean(draft.correctsEntryId)}
          onCancelCorrection={() => setDraft({ correctsEntryId: '' })}
          onSubmit={submit}
        >
          <label className="field">
            <span className="field__label">{t('log.work')}</span>
            <textarea
              rows={3}
              required
              value={draft.work}
              onChange={(e) => edit({ work: e.target.value })}
            />
          </label>
          <label className="field">
            <span className="field__label">{t('log.problems')}</span>
            <textarea
              rows={2}
              value={draft.problems}
              onChange={(e) => edit({ problems: e.target.value })}
            />
          </label>
          <div className="field-row">
            <label className="field">
              <span className="field__label">{t('log.progress')}</span>
              <input
                type="number"
                min={0}
                max={100}
                step={5}
                value={draft.progress}
                onChange={(e) => edit({ progress: e.target.value })}
              />
            </label>
            <label className="field">
              <span className="field__label">{t('log.minutes')}</span>
              <input
                type="number"
                min={0}
                max={10080}
                value={draft.minutesSpent}
                onChange={(e) => edit({ minutesSpent: e.target.value })}
              />
            </label>
            <button type="submit" className="button button--primary">
              {draft.correctsEntryId ? t('log.saveCorrection') : t('log.add')}
            </button>
          </div>
        </LogForm>
      ) : (
        <p className="log-readonly">{t('log.readonly')}</p>
      )}
    </div>
  );
}

const RATING_KEYS = ['attitude', 'professionalism', 'timeliness', 'overall'] as const;
type RatingKey = (typeof RATING_KEYS)[number];

const SUPERVISION_DRAFT = {
  source: 'on_behalf',
  attitude: '',
  professionalism: '',
  feedback: '',
  ratings: {} as Partial<Record<RatingKey, number>>,
  correctsEntryId: '',
};

function SupervisionLog({ ticket, run, onTyping }: DualLogProps) {
  const t = useT();
  const user = useAppStore((state) => state.session?.user ?? null);
  const [draft, setDraft, clearDraft] = useDraft(
    draftKey(user?.id ?? 'anon', ticket.id, 'supervision'),
    SUPERVISION_DRAFT,
  );
  const allowed = mayPerform(user, ticket, 'ticket.log.supervision');
  const edit = (patch: Partial<typeof SUPERVISION_DRAFT>): void => {
    setDraft(patch);
    onTyping();
  };
  const hasContent =
    Boolean(draft.attitude.trim() || draft.professionalism.trim() || draft.feedback.trim()) ||
    Object.keys(draft.ratings).length > 0;

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!hasContent) return;
    const outcome = await run({
      type: 'ticket.log.supervision',
      ticketId: ticket.id,
      source: draft.source === 'customer' ? 'customer' : 'on_behalf',
      attitude: draft.attitude.trim() || null,
      professionalism: draft.professionalism.trim() || null,
      feedback: draft.feedback.trim() || null,
      ratings: draft.ratings,
      ...(draft.correctsEntryId ? { correctsEntryId: draft.correctsEntryId } : {}),
    });
    if (outcome.ok) clearDraft();
  };
  const correct = (entry: SupervisionEntry): void =>
    setDraft({
      source: entry.source,
      attitude: entry.attitude ?? '',
      professionalism: entry.professionalism ?? '',
      feedback: entry.feedback ?? '',
      ratings: { ...entry.ratings },
      correctsEntryId: entry.id,
    });

  return (
    <div className="log-column" aria-labelledby={`sup-${ticket.id}`}>
      <h3 id={`sup-${ticket.id}`} className="log-column__title">
        {t('log.supervision')}
      </h3>
      <LogEntryList
        ticketId={ticket.id}
        entries={ticket.supervisionLog}
        testId="supervision-entries"
        allowed={allowed}
        onCorrect={correct}
        body={(entry) => (
          <>
            <p className="log-entry__source">{t(`log.source.${entry.source}`)}</p>
            {entry.attitude && (
              <p className="log-entry__text">
                <strong>{t('log.attitude')}:</strong> {entry.attitude}
              </p>
            )}
            {entry.professionalism && (
              <p className="log-entry__text">
                <strong>{t('log.professionalism')}:</strong> {entry.professionalism}
              </p>
            )}
            {entry.feedback && <p className="log-entry__text">{entry.feedback}</p>}
          </>
        )}
        figures={(entry) =>
          RATING_KEYS.filter((k) => entry.ratings[k] !== undefined).map((k) => (
            <span key={k}>
              {t(`rating.${k}`)} {'★'.repeat(entry.ratings[k] ?? 0)}
              <span className="visually-hidden">
                {t('rating.outOf', { n: entry.ratings[k] ?? 0 })}
              </span>
            </span>
          ))
        }
      />
      {allowed ? (
        <LogForm
          label={t('log.supervision.new')}
          correcting={Boolean(draft.correctsEntryId)}
          onCancelCorrection={() => setDraft({ correctsEntryId: '' })}
          onSubmit={submit}
        >
          <fieldset className="field field--radios">
            <legend className="field__label">{t('log.source')}</legend>
            {(['customer', 'on_behalf'] as const).map((source) => (
              <label key={source}>
                <input
                  type="radio"
                  name={`source-${ticket.id}`}
                  value={source}
                  checked={draft.source === source}
                  onChange={() => edit({ source })}
                />{' '}
                {t(`log.source.${source}`)}
              </label>
            ))}
          </fieldset>
          <label className="field">
            <span className="field__label">{t('log.attitude')}</span>
            <input value={draft.attitude} onChange={(e) => edit({ attitude: e.target.value })} />
          </label>
          <label className="field">
            <span className="field__label">{t('log.professionalism')}</span>
            <input
              value={draft.professionalism}
              onChange={(e) => edit({ professionalism: e.target.value })}
            />
          </label>
          <label className="field">
            <span className="field__label">{t('log.feedback')}</span>
            <textarea
              rows={2}
              value={draft.feedback}
              onChange={(e) => edit({ feedback: e.target.value })}
            />
          </label>
          <div className="field-row">
            {RATING_KEYS.map((k) => (
              <label key={k} className="field">
                <span className="field__label">{t(`rating.${k}`)}</span>
                <select
                  value={draft.ratings[k] ?? ''}
                  onChange={(e) => {
                    const ratings = { ...draft.ratings };
                    if (e.target.value) ratings[k] = Number(e.target.value);
                    else delete ratings[k];
                    edit({ ratings });
                  }}
                >
                  <option value="">—</option>
                  {[1, 2, 3, 4, 5].map((n) => (
                    <option key={n} value={n}>
                      {n}
                    </option>
                  ))}
                </select>
              </label>
            ))}
          </div>
          <button type="submit" className="button button--primary" disabled={!hasContent}>
            {draft.correctsEntryId ? t('log.saveCorrection') : t('log.add')}
          </button>
        </LogForm>
      ) : (
        <p className="log-readonly">{t('log.readonly')}</p>
      )}
    </div>
  );
}

function clampInt(raw: string, min: number, max: number): number {
  const n = Math.round(Number(raw));
  if (!Number.isFinite(n)) return min;
  return Math.min(max, Math.max(min, n));
}
