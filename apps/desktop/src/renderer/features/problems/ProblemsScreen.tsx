import { useCallback, useEffect, useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import { navigate } from '../../app/router';
import { useT, useLocale } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/i18n';
import {
  ACTION_STATUSES,
  CHANGE_APPROVE_ROLES,
  CHANGE_DONE_ROLES,
  CHANGE_RISKS,
  PROBLEM_CLOSE_ROLES,
  closeRefusal,
} from '../../realtime/contract';
import type {
  ActionStatus,
  ChangeRequest,
  ChangeRisk,
  Problem,
  ProblemAction,
  ProblemStatus,
} from '../../realtime/contract';
import { useAppStore, useAppStoreApi } from '../../store/StoreContext';
import { formatInstant } from '../ticket/labels';
import { problemsApi, type Result } from './problemsApi';
import './problems.css';

type Filter = 'active' | ProblemStatus | 'all';
const FILTERS: readonly Filter[] = ['active', 'open', 'known_error', 'closed', 'all'];
const MIN_WHYS = 5;
const MAX_WHYS = 10;
const HOUR = 3_600_000;

const holds = (roles: readonly string[], allowed: readonly string[]) =>
  roles.some((r) => allowed.includes(r));

/** `datetime-local` value (the seat's local time) of an ISO instant, and back. */
function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
function fromLocalInput(value: string): string | null {
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

function padWhys(whys: readonly string[]): string[] {
  const out = [...whys];
  while (out.length < MIN_WHYS) out.push('');
  return out;
}

/**
 * The problems screen (`/problems`, `/problems/:id`; issue 22, decision 58): the list of
 * problem records and the problem workspace — the 5-Why chain and root cause, the corrective
 * actions, the linked tickets, the known-error article, the customer's confirmation, the
 * fault-analysis report and the change requests. Every change is a command on the server; the
 * records arrive back on the seat as `problem.*` / `change.*` events, so other seats' changes
 * show at once.
 */
export function ProblemsScreen({ problemId }: { problemId: string | null }) {
  const t = useT();
  const store = useAppStoreApi();
  const token = useAppStore((s) => s.session?.token ?? null);
  const problems = useAppStore((s) => s.problems);
  const [filter, setFilter] = useState<Filter>('active');
  const [creating, setCreating] = useState(problemId === 'new');

  useEffect(() => {
    if (!token) return;
    void problemsApi.list(token).then((list) => {
      for (const p of list) store.getState().upsertProblem(p);
    });
  }, [store, token]);

  const list = useMemo(
    () =>
      Object.values(problems)
        .filter((p) =>
          filter === 'all'
            ? true
            : filter === 'active'
              ? p.status !== 'closed'
              : p.status === filter,
        )
        .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)),
    [problems, filter],
  );

  const selected = problemId && problemId !== 'new' ? (problems[problemId] ?? null) : null;

  return (
    <div className="problems">
      <section className="problems__list" aria-labelledby="problems-title">
        <div className="problems__head">
          <h2 id="problems-title">{t('problems.title')}</h2>
          <button
            type="button"
            className="button button--primary"
            onClick={() => {
              setCreating(true);
              navigate('/problems/new');
            }}
          >
            {t('problems.new')}
          </button>
        </div>
        <div className="problems__filters" role="group" aria-label={t('problems.filter')}>
          {FILTERS.map((f) => (
            <button
              key={f}
              type="button"
              className={`button button--quiet${filter === f ? ' is-active' : ''}`}
              aria-pressed={filter === f}
              onClick={() => setFilter(f)}
            >
              {t(`problems.filter.${f}` as MessageKey)}
            </button>
          ))}
        </div>
        {list.length === 0 ? (
          <p className="problems__empty">{t('problems.none')}</p>
        ) : (
          <ul className="problems__items">
            {list.map((p) => (
              <li key={p.id}>
                <button
                  type="button"
                  className={`problems__item${p.id === problemId ? ' is-selected' : ''}`}
                  aria-current={p.id === problemId ? 'page' : undefined}
                  onClick={() => {
                    setCreating(false);
                    navigate(`/problems/${encodeURIComponent(p.id)}`);
                  }}
                >
                  <span className="problems__itemTop">
                    <span className="problems__number">{p.number}</span>
                    <StatusChip problem={p} />
                  </span>
                  <span className="problems__itemTitle">{p.title}</span>
                  <DueLine problem={p} />
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="problems__main" aria-label={t('problems.workspace')}>
        {creating || problemId === 'new' ? (
          <NewProblem
            onCreated={(id) => {
              setCreating(false);
              navigate(`/problems/${encodeURIComponent(id)}`);
            }}
          />
        ) : problemId ? (
          <ProblemWorkspace problemId={problemId} problem={selected} />
        ) : (
          <p className="problems__empty">{t('problems.pick')}</p>
        )}
      </section>
    </div>
  );
}

function StatusChip({ problem }: { problem: Problem }) {
  const t = useT();
  return (
    <span className={`problems__chip problems__chip--${problem.status}`}>
      {t(`problems.status.${problem.status}` as MessageKey)}
    </span>
  );
}

/** "Root cause due …" or, once missed, "Root cause overdue" (the 48 h target). */
function DueLine({ problem }: { problem: Problem }) {
  const t = useT();
  const [locale] = useLocale();
  if (problem.rootCause)
    return (
      <span className="problems__due">
        {t('problems.rootCauseAt', { at: formatInstant(problem.rootCauseAt, locale) })}
      </span>
    );
  const overdue = problem.escalatedAt !== null || Date.parse(problem.rootCauseDueAt) <= Date.now();
  return (
    <span className={`problems__due${overdue ? ' is-overdue' : ''}`}>
      {overdue
        ? t('problems.rootCauseOverdue', { at: formatInstant(problem.rootCauseDueAt, locale) })
        : t('problems.rootCauseDue', { at: formatInstant(problem.rootCauseDueAt, locale) })}
    </span>
  );
}

function NewProblem({ onCreated }: { onCreated: (id: string) => void }) {
  const t = useT();
  const store = useAppStoreApi();
  const token = useAppStore((s) => s.session?.token ?? null);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!token || !title.trim()) return;
    const r = await problemsApi.create(token, { title, description });
    if (!r.ok) return setError(r.message);
    store.getState().upsertProblem(r.value);
    onCreated(r.value.id);
  };
  return (
    <form className="problems__card" onSubmit={(e) => void submit(e)}>
      <h3>{t('problems.new')}</h3>
      <label className="problems__field">
        <span>{t('problems.field.title')}</span>
        <input
          aria-label={t('problems.field.title')}
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          required
          maxLength={200}
          autoFocus
        />
      </label>
      <label className="problems__field">
        <span>{t('problems.field.description')}</span>
        <textarea
          aria-label={t('problems.field.description')}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          rows={4}
        />
      </label>
      {error && (
        <p role="alert" className="problems__error">
          {error}
        </p>
      )}
      <div className="problems__row">
        <button type="submit" className="button button--primary" disabled={!title.trim()}>
          {t('problems.create')}
        </button>
      </div>
    </form>
  );
}

function ProblemWorkspace({ problemId, problem }: { problemId: string; problem: Problem | null }) {
  const t = useT();
  const [locale] = useLocale();
  const store = useAppStoreApi();
  const token = useAppStore((s) => s.session?.token ?? null);
  const roles = useAppStore((s) => s.session?.user.roles ?? []);
  const users = useAppStore((s) => s.users);
  const allChanges = useAppStore((s) => s.changes);
  const [error, setError] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);

  useEffect(() => {
    if (!token) return;
    setError(null);
    void problemsApi.get(token, problemId).then((d) => {
      if (!d) return setMissing(true);
      const { changes, ...p } = d;
      store.getState().upsertProblem(p);
      for (const c of changes) store.getState().upsertChange(c);
    });
  }, [store, token, problemId]);

  const run = useCallback(
    async <T,>(call: () => Promise<Result<T>>, keep?: (value: T) => void): Promise<boolean> => {
      setError(null);
      const r = await call();
      if (!r.ok) {
        setError(r.message);
        return false;
      }
      keep?.(r.value);
      return true;
    },
    [],
  );

  const changes = useMemo(
    () =>
      Object.values(allChanges)
        .filter((c) => c.problemId === problemId)
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
    [allChanges, problemId],
  );

  if (!problem) return <p className="problems__empty">{missing ? t('problems.missing') : '…'}</p>;
  const closed = problem.status === 'closed';
  const keepProblem = (d: Problem) => store.getState().upsertProblem(d);
  const nameOf = (id: string | null) =>
    id === null
      ? '—'
      : id.startsWith('customer:')
        ? t('problems.theCustomer')
        : (users[id]?.displayName ?? id);
  const refusal = closeRefusal(problem);

  return (
    <article className="problems__workspace" aria-labelledby="problem-title">
      <header className="problems__title">
        <div>
          <span className="problems__number">{problem.number}</span>{' '}
          <StatusChip problem={problem} />{' '}
          <span className="problems__source">
            {t(`problems.source.${problem.source.kind}` as MessageKey)}
          </span>
        </div>
        <h2 id="problem-title">{problem.title}</h2>
        <DueLine problem={problem} />
        {problem.description && <p className="problems__description">{problem.description}</p>}
      </header>
      {error && (
        <p role="alert" className="problems__error">
          {error}
        </p>
      )}
      <div className="problems__grid">
        <Analysis
          problem={problem}
          disabled={closed}
          onSave={(fields) =>
            token
              ? run(
                  () =>
                    problemsApi.update(token, problem.id, {
                      ...fields,
                      expectedVersion: problem.version,
                    }),
                  keepProblem,
                )
              : Promise.resolve(false)
          }
        />
        <Actions
          problem={problem}
          disabled={closed}
          nameOf={nameOf}
          onSave={(fields, actionId) =>
            token
              ? run(() => problemsApi.saveAction(token, problem.id, fields, actionId), keepProblem)
              : Promise.resolve(false)
          }
        />
        <LinkedTickets
          problem={problem}
          disabled={closed}
          onLink={(ticketIds) =>
            token
              ? run(() => problemsApi.update(token, problem.id, { ticketIds }), keepProblem)
              : Promise.resolve(false)
          }
          onError={setError}
        />
        <section className="problems__card" aria-labelledby="problem-confirm">
          <h3 id="problem-confirm">{t('problems.confirmation')}</h3>
          {problem.confirmation ? (
            <p className="problems__confirmed">
              {problem.confirmation.onBehalf
                ? t('problems.confirmedOnBehalf', {
                    who: nameOf(problem.confirmation.by),
                    at: formatInstant(problem.confirmation.at, locale),
                  })
                : t('problems.confirmedOnPortal', {
                    at: formatInstant(problem.confirmation.at, locale),
                  })}
              {problem.confirmation.note && <q> {problem.confirmation.note}</q>}
            </p>
          ) : (
            <ConfirmOnBehalf
              enabled={!!problem.rootCause && !closed}
              onConfirm={(note) =>
                token
                  ? run(() => problemsApi.confirm(token, problem.id, note), keepProblem)
                  : Promise.resolve(false)
              }
            />
          )}
          <p className="problems__hint">
            {closed
              ? t('problems.closedBy', {
                  who: nameOf(problem.closedBy),
                  at: formatInstant(problem.closedAt, locale),
                })
              : refusal
                ? t(`problems.refusal.${refusal}` as MessageKey)
                : t('problems.readyToClose')}
          </p>
          {holds(roles, PROBLEM_CLOSE_ROLES) && !closed && (
            <button
              type="button"
              className="button button--primary"
              disabled={refusal !== null}
              onClick={() =>
                token &&
                void run(() => problemsApi.close(token, problem.id, problem.version), keepProblem)
              }
            >
              {t('problems.close')}
            </button>
          )}
        </section>
        <KnownError
          problem={problem}
          disabled={closed}
          onSave={(knownErrorArticleId) =>
            token
              ? run(
                  () => problemsApi.update(token, problem.id, { knownErrorArticleId }),
                  keepProblem,
                )
              : Promise.resolve(false)
          }
        />
        <FaultReport
          problem={problem}
          disabled={closed}
          onSend={(fields) =>
            token
              ? run(() => problemsApi.report(token, problem.id, fields), keepProblem)
              : Promise.resolve(false)
          }
        />
        <Changes
          problem={problem}
          changes={changes}
          roles={roles}
          nameOf={nameOf}
          onRun={(call) => run(call, (c) => store.getState().upsertChange(c))}
        />
      </div>
    </article>
  );
}

function Analysis({
  problem,
  disabled,
  onSave,
}: {
  problem: Problem;
  disabled: boolean;
  onSave: (fields: { whys: string[]; rootCause: string }) => Promise<boolean>;
}) {
  const t = useT();
  const [whys, setWhys] = useState(() => padWhys(problem.whys));
  const [rootCause, setRootCause] = useState(problem.rootCause ?? '');
  const [dirty, setDirty] = useState(false);
  useEffect(() => {
    if (dirty) return;
    setWhys(padWhys(problem.whys));
    setRootCause(problem.rootCause ?? '');
  }, [problem.whys, problem.rootCause, dirty]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (
      await onSave({ whys: whys.map((w) => w.trim()).filter(Boolean), rootCause: rootCause.trim() })
    )
      setDirty(false);
  };
  return (
    <form
      className="problems__card problems__analysis"
      onSubmit={(e) => void submit(e)}
      aria-labelledby="problem-whys"
    >
      <h3 id="problem-whys">{t('problems.fiveWhys')}</h3>
      <ol className="problems__whys">
        {whys.map((w, i) => (
          <li key={i}>
            <label>
              <span className="problems__whyLabel">{t('problems.why', { n: i + 1 })}</span>
              <input
                aria-label={t('problems.why', { n: i + 1 })}
                value={w}
                disabled={disabled}
                maxLength={2000}
                onChange={(e) => {
                  setDirty(true);
                  setWhys((list) => list.map((x, j) => (j === i ? e.target.value : x)));
                }}
              />
            </label>
          </li>
        ))}
      </ol>
      {!disabled && whys.length < MAX_WHYS && (
        <button
          type="button"
          className="button button--quiet"
          onClick={() => setWhys((l) => [...l, ''])}
        >
          {t('problems.addWhy')}
        </button>
      )}
      <label className="problems__field">
        <span>{t('problems.rootCause')}</span>
        <textarea
          aria-label={t('problems.rootCause')}
          value={rootCause}
          disabled={disabled}
          rows={3}
          onChange={(e) => {
            setDirty(true);
            setRootCause(e.target.value);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              e.currentTarget.form?.requestSubmit();
            }
          }}
        />
      </label>
      {!disabled && (
        <div className="problems__row">
          <button
            type="submit"
            className="button button--primary"
            disabled={!dirty}
            aria-keyshortcuts="Control+Enter"
          >
            {t('problems.saveAnalysis')}
          </button>
        </div>
      )}
    </form>
  );
}

function Actions({
  problem,
  disabled,
  nameOf,
  onSave,
}: {
  problem: Problem;
  disabled: boolean;
  nameOf: (id: string) => string;
  onSave: (
    fields: { title: string; ownerId: string; dueAt: string; status: ActionStatus },
    actionId?: string,
  ) => Promise<boolean>;
}) {
  const t = useT();
  const [locale] = useLocale();
  const users = useAppStore((s) => s.users);
  const me = useAppStore((s) => s.session?.user.id ?? '');
  const staff = Object.values(users).filter(
    (u) => !u.disabled && !u.roles.every((r) => r === 'wallboard'),
  );
  const [title, setTitle] = useState('');
  const [ownerId, setOwnerId] = useState(me);
  const [due, setDue] = useState(() =>
    toLocalInput(new Date(Date.now() + 7 * 24 * HOUR).toISOString()),
  );
  const add = async (e: FormEvent) => {
    e.preventDefault();
    const dueAt = fromLocalInput(due);
    if (!title.trim() || !ownerId || !dueAt) return;
    if (await onSave({ title, ownerId, dueAt, status: 'open' })) setTitle('');
  };
  const setStatus = (a: ProblemAction, status: ActionStatus) =>
    void onSave({ title: a.title, ownerId: a.ownerId, dueAt: a.dueAt, status }, a.id);
  return (
    <section className="problems__card problems__wide" aria-labelledby="problem-actions">
      <h3 id="problem-actions">{t('problems.actions')}</h3>
      <table className="problems__table">
        <thead>
          <tr>
            <th scope="col">{t('problems.action.title')}</th>
            <th scope="col">{t('problems.action.owner')}</th>
            <th scope="col">{t('problems.action.due')}</th>
            <th scope="col">{t('problems.action.status')}</th>
          </tr>
        </thead>
        <tbody>
          {problem.actions.length === 0 && (
            <tr>
              <td colSpan={4} className="problems__empty">
                {t('problems.noActions')}
              </td>
            </tr>
          )}
          {problem.actions.map((a) => {
            const late =
              a.status !== 'done' && a.status !== 'cancelled' && Date.parse(a.dueAt) < Date.now();
            return (
              <tr key={a.id}>
                <td>{a.title}</td>
                <td>{nameOf(a.ownerId)}</td>
                <td className={late ? 'is-overdue' : undefined}>
                  {formatInstant(a.dueAt, locale)}
                </td>
                <td>
                  <select
                    aria-label={t('problems.action.statusOf', { title: a.title })}
                    value={a.status}
                    disabled={disabled}
                    onChange={(e) => setStatus(a, e.target.value as ActionStatus)}
                  >
                    {ACTION_STATUSES.map((s) => (
                      <option key={s} value={s}>
                        {t(`problems.actionStatus.${s}` as MessageKey)}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {!disabled && (
        <form
          className="problems__addRow"
          onSubmit={(e) => void add(e)}
          aria-label={t('problems.addAction')}
        >
          <input
            aria-label={t('problems.action.title')}
            placeholder={t('problems.action.title')}
            value={title}
            maxLength={200}
            onChange={(e) => setTitle(e.target.value)}
          />
          <select
            aria-label={t('problems.action.owner')}
            value={ownerId}
            onChange={(e) => setOwnerId(e.target.value)}
          >
            {staff.map((u) => (
              <option key={u.id} value={u.id}>
                {u.displayName}
              </option>
            ))}
          </select>
          <input
            type="datetime-local"
            aria-label={t('problems.action.due')}
            value={due}
            onChange={(e) => setDue(e.target.value)}
          />
          <button type="submit" className="button" disabled={!title.trim()}>
            {t('problems.addAction')}
          </button>
        </form>
      )}
    </section>
  );
}

function LinkedTickets({
  problem,
  disabled,
  onLink,
  onError,
}: {
  problem: Problem;
  disabled: boolean;
  onLink: (ticketIds: string[]) => Promise<boolean>;
  onError: (message: string) => void;
}) {
  const t = useT();
  const token = useAppStore((s) => s.session?.token ?? null);
  const tickets = useAppStore((s) => s.tickets);
  const [known, setKnown] = useState<Record<string, { number: string; title: string }>>({});
  const [number, setNumber] = useState('');
  const idsKey = problem.ticketIds.join(',');
  useEffect(() => {
    if (!token) return;
    for (const id of idsKey.split(',').filter(Boolean)) {
      if (tickets[id] || known[id]) continue;
      void problemsApi.ticket(token, id).then((x) => {
        if (x) setKnown((k) => ({ ...k, [id]: x }));
      });
    }
    // Only the linked ids decide what to read; `known` grows from these reads.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [token, idsKey]);
  const link = async (e: FormEvent) => {
    e.preventDefault();
    if (!token || !number.trim()) return;
    const found = await problemsApi.ticketByNumber(token, number.trim());
    if (!found) return onError(t('problems.noTicket', { number: number.trim() }));
    setKnown((k) => ({ ...k, [found.id]: found }));
    if (await onLink([...new Set([...problem.ticketIds, found.id])])) setNumber('');
  };
  return (
    <section className="problems__card" aria-labelledby="problem-tickets">
      <h3 id="problem-tickets">{t('problems.tickets')}</h3>
      {problem.ticketIds.length === 0 ? (
        <p className="problems__empty">{t('problems.noTickets')}</p>
      ) : (
        <ul className="problems__links">
          {problem.ticketIds.map((id) => {
            const x = tickets[id] ?? known[id];
            return (
              <li key={id}>
                <a
                  href={`/tickets/${encodeURIComponent(id)}`}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(`/tickets/${encodeURIComponent(id)}`);
                  }}
                >
                  {x?.number ?? id}
                </a>{' '}
                <span>{x?.title ?? ''}</span>
              </li>
            );
          })}
        </ul>
      )}
      {!disabled && (
        <form className="problems__addRow" onSubmit={(e) => void link(e)}>
          <input
            aria-label={t('problems.ticketNumber')}
            placeholder="INC-2026-000123"
            value={number}
            onChange={(e) => setNumber(e.target.value)}
          />
          <button type="submit" className="button" disabled={!number.trim()}>
            {t('problems.linkTicket')}
          </button>
        </form>
      )}
    </section>
  );
}

function ConfirmOnBehalf({
  enabled,
  onConfirm,
}: {
  enabled: boolean;
  onConfirm: (note: string) => Promise<boolean>;
}) {
  const t = useT();
  const [note, setNote] = useState('');
  return (
    <form
      className="problems__stack"
      onSubmit={(e) => {
        e.preventDefault();
        void onConfirm(note).then((ok) => ok && setNote(''));
      }}
    >
      <p className="problems__waiting">{t('problems.awaitingConfirmation')}</p>
      <label className="problems__field">
        <span>{t('problems.confirmNote')}</span>
        <input
          aria-label={t('problems.confirmNote')}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          disabled={!enabled}
          maxLength={2000}
        />
      </label>
      <div className="problems__row">
        <button type="submit" className="button" disabled={!enabled}>
          {t('problems.confirmOnBehalf')}
        </button>
      </div>
    </form>
  );
}

function KnownError({
  problem,
  disabled,
  onSave,
}: {
  problem: Problem;
  disabled: boolean;
  onSave: (articleId: string | null) => Promise<boolean>;
}) {
  const t = useT();
  const [articleId, setArticleId] = useState(problem.knownErrorArticleId ?? '');
  useEffect(() => setArticleId(problem.knownErrorArticleId ?? ''), [problem.knownErrorArticleId]);
  return (
    <section className="problems__card" aria-labelledby="problem-kb">
      <h3 id="problem-kb">{t('problems.knownError')}</h3>
      {problem.knownErrorArticleId ? (
        <p>
          <a
            href={`/kb/${encodeURIComponent(problem.knownErrorArticleId)}`}
            onClick={(e) => {
              e.preventDefault();
              navigate(`/kb/${encodeURIComponent(problem.knownErrorArticleId ?? '')}`);
            }}
          >
            {t('problems.openArticle')}
          </a>
        </p>
      ) : (
        <p className="problems__empty">{t('problems.noArticle')}</p>
      )}
      {!disabled && (
        <form
          className="problems__addRow"
          onSubmit={(e) => {
            e.preventDefault();
            void onSave(articleId.trim() || null);
          }}
        >
          <input
            aria-label={t('problems.articleId')}
            placeholder={t('problems.articleId')}
            value={articleId}
            onChange={(e) => setArticleId(e.target.value)}
          />
          <button type="submit" className="button">
            {t('problems.saveArticle')}
          </button>
        </form>
      )}
    </section>
  );
}

function FaultReport({
  problem,
  disabled,
  onSend,
}: {
  problem: Problem;
  disabled: boolean;
  onSend: (fields: { cause: string; process: string; prevention: string }) => Promise<boolean>;
}) {
  const t = useT();
  const [locale] = useLocale();
  const [fields, setFields] = useState({ cause: '', process: '', prevention: '' });
  const report = problem.faultReport;
  return (
    <section className="problems__card" aria-labelledby="problem-report">
      <h3 id="problem-report">{t('problems.faultReport')}</h3>
      {report ? (
        <dl className="problems__report">
          <dt>{t('problems.report.cause')}</dt>
          <dd>{report.cause}</dd>
          <dt>{t('problems.report.process')}</dt>
          <dd>{report.process}</dd>
          <dt>{t('problems.report.prevention')}</dt>
          <dd>{report.prevention}</dd>
          <dt>{t('problems.report.sent')}</dt>
          <dd>
            {report.sentTo
              ? t('problems.report.sentTo', {
                  to: report.sentTo,
                  at: formatInstant(report.writtenAt, locale),
                })
              : t('problems.report.notSent')}
            {report.dueAt &&
              ` · ${t('problems.report.due', { at: formatInstant(report.dueAt, locale) })}`}
          </dd>
        </dl>
      ) : disabled ? (
        <p className="problems__empty">{t('problems.report.none')}</p>
      ) : (
        <form
          className="problems__stack"
          onSubmit={(e) => {
            e.preventDefault();
            void onSend(fields);
          }}
        >
          {(['cause', 'process', 'prevention'] as const).map((k) => (
            <label key={k} className="problems__field">
              <span>{t(`problems.report.${k}` as MessageKey)}</span>
              <textarea
                aria-label={t(`problems.report.${k}` as MessageKey)}
                rows={2}
                value={fields[k]}
                onChange={(e) => setFields((f) => ({ ...f, [k]: e.target.value }))}
              />
            </label>
          ))}
          <div className="problems__row">
            <button
              type="submit"
              className="button"
              disabled={!fields.cause.trim() || !fields.process.trim() || !fields.prevention.trim()}
            >
              {t('problems.report.send')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function Changes({
  problem,
  changes,
  roles,
  nameOf,
  onRun,
}: {
  problem: Problem;
  changes: ChangeRequest[];
  roles: readonly string[];
  nameOf: (id: string | null) => string;
  onRun: (call: () => Promise<Result<ChangeRequest>>) => Promise<boolean>;
}) {
  const t = useT();
  const [locale] = useLocale();
  const token = useAppStore((s) => s.session?.token ?? null);
  const [summary, setSummary] = useState('');
  const [risk, setRisk] = useState<ChangeRisk>('medium');
  const [start, setStart] = useState(() =>
    toLocalInput(new Date(Date.now() + 24 * HOUR).toISOString()),
  );
  const [end, setEnd] = useState(() =>
    toLocalInput(new Date(Date.now() + 26 * HOUR).toISOString()),
  );
  const mayApprove = holds(roles, CHANGE_APPROVE_ROLES);
  const mayComplete = holds(roles, CHANGE_DONE_ROLES);
  const request = async (e: FormEvent) => {
    e.preventDefault();
    const plannedStart = fromLocalInput(start);
    const plannedEnd = fromLocalInput(end);
    if (!token || !summary.trim() || !plannedStart || !plannedEnd) return;
    const ok = await onRun(() =>
      problemsApi.createChange(token, {
        summary,
        risk,
        plannedStart,
        plannedEnd,
        problemId: problem.id,
        ticketIds: problem.ticketIds,
      }),
    );
    if (ok) setSummary('');
  };
  return (
    <section className="problems__card problems__wide" aria-labelledby="problem-changes">
      <h3 id="problem-changes">{t('problems.changes')}</h3>
      <table className="problems__table">
        <thead>
          <tr>
            <th scope="col">{t('problems.change.number')}</th>
            <th scope="col">{t('problems.change.summary')}</th>
            <th scope="col">{t('problems.change.risk')}</th>
            <th scope="col">{t('problems.change.window')}</th>
            <th scope="col">{t('problems.change.status')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('problems.change.do')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {changes.length === 0 && (
            <tr>
              <td colSpan={6} className="problems__empty">
                {t('problems.noChanges')}
              </td>
            </tr>
          )}
          {changes.map((c) => (
            <tr key={c.id}>
              <td className="problems__number">{c.number}</td>
              <td>{c.summary}</td>
              <td>
                <span className={`problems__risk problems__risk--${c.risk}`}>
                  {t(`problems.risk.${c.risk}` as MessageKey)}
                </span>
              </td>
              <td>
                {formatInstant(c.plannedStart, locale)} – {formatInstant(c.plannedEnd, locale)}
              </td>
              <td>
                {t(`problems.changeStatus.${c.status}` as MessageKey)}
                {c.decidedBy && c.status !== 'requested' && (
                  <span className="problems__hint"> · {nameOf(c.decidedBy)}</span>
                )}
                {c.status === 'done' && c.resumedTicketIds.length > 0 && (
                  <span className="problems__hint">
                    {' '}
                    · {t('problems.change.resumed', { count: c.resumedTicketIds.length })}
                  </span>
                )}
              </td>
              <td className="problems__buttons">
                {c.status === 'requested' && mayApprove && token && (
                  <>
                    <button
                      type="button"
                      className="button"
                      onClick={() => void onRun(() => problemsApi.decideChange(token, c.id, true))}
                    >
                      {t('problems.change.approve')}
                    </button>
                    <button
                      type="button"
                      className="button button--quiet"
                      onClick={() => void onRun(() => problemsApi.decideChange(token, c.id, false))}
                    >
                      {t('problems.change.reject')}
                    </button>
                  </>
                )}
                {c.status === 'approved' && mayComplete && token && (
                  <button
                    type="button"
                    className="button"
                    onClick={() => void onRun(() => problemsApi.completeChange(token, c.id))}
                  >
                    {t('problems.change.done')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        className="problems__addRow"
        onSubmit={(e) => void request(e)}
        aria-label={t('problems.change.request')}
      >
        <input
          aria-label={t('problems.change.summary')}
          placeholder={t('problems.change.summary')}
          value={summary}
          maxLength={200}
          onChange={(e) => setSummary(e.target.value)}
        />
        <select
          aria-label={t('problems.change.risk')}
          value={risk}
          onChange={(e) => setRisk(e.target.value as ChangeRisk)}
        >
          {CHANGE_RISKS.map((r) => (
            <option key={r} value={r}>
              {t(`problems.risk.${r}` as MessageKey)}
            </option>
          ))}
        </select>
        <input
          type="datetime-local"
          aria-label={t('problems.change.start')}
          value={start}
          onChange={(e) => setStart(e.target.value)}
        />
        <input
          type="datetime-local"
          aria-label={t('problems.change.end')}
          value={end}
          onChange={(e) => setEnd(e.target.value)}
        />
        <button type="submit" className="button" disabled={!summary.trim()}>
          {t('problems.change.request')}
        </button>
      </form>
    </section>
  );
}
