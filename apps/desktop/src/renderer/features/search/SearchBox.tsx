import { useEffect, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { navigate } from '../../app/router';
import { useLocale, useT } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/i18n';
import { Priority, SEARCH_KINDS, TicketStatus } from '../../realtime/contract';
import type { SearchKind, SearchResponse, SearchResult } from '../../realtime/contract';
import { useAppStore } from '../../store/StoreContext';
import { readDeskDayStart } from '../../ui/deskTime';
import { formatGroupName } from '../directory/directory.slice';
import { SEARCH_INPUT_ID } from './focus';
import { Highlighted } from './Highlighted';
import {
  isSearchable,
  resultPath,
  searchEverything,
  SearchFailure,
  type SearchParams,
} from './searchApi';

/** How long typing must pause before the server is asked. */
export const SEARCH_DELAY_MS = 200;

interface Filters {
  kind: string;
  status: string;
  priority: string;
  groupId: string;
  /** Desk days, `YYYY-MM-DD`, both included. */
  from: string;
  to: string;
}

const NO_FILTERS: Filters = { kind: '', status: '', priority: '', groupId: '', from: '', to: '' };

type Answer =
  | { state: 'idle' }
  | { state: 'loading' }
  | { state: 'done'; response: SearchResponse }
  | { state: 'failed'; reason: SearchFailure };

const SOURCE_KEYS: Record<string, MessageKey> = {
  number: 'search.source.number',
  title: 'search.source.title',
  description: 'search.source.description',
  customer: 'search.source.customer',
  comment: 'search.source.comment',
  execution: 'search.source.execution',
  supervision: 'search.source.supervision',
  resolution: 'search.source.resolution',
  contact: 'search.source.contact',
  milestone: 'search.source.milestone',
  note: 'search.source.note',
};

const KIND_KEYS: Record<SearchKind, MessageKey> = {
  ticket: 'search.kind.ticket',
  organisation: 'search.kind.organisation',
  contact: 'search.kind.contact',
};

function toParams(query: string, f: Filters): SearchParams {
  const from = f.from ? readDeskDayStart(f.from) : null;
  const to = f.to ? readDeskDayStart(f.to, 1) : null;
  return {
    q: query.trim(),
    kind: f.kind,
    status: f.status,
    priority: f.priority,
    groupId: f.groupId,
    from: from === null ? undefined : new Date(from).toISOString(),
    to: to === null ? undefined : new Date(to).toISOString(),
  };
}

/**
 * The console's one search box (top bar; `f` focuses it): tickets by number, title,
 * description, customer, comments and log entries, and customer records, as the server's
 * `GET /api/search` finds them for this user. Results are grouped by kind, best first, with
 * the matched words marked; filters narrow them; ↑/↓ move, Enter opens, Esc closes (a second
 * Esc clears and leaves the box).
 */
export function SearchBox() {
  const t = useT();
  const [locale] = useLocale();
  const { token, groups } = useAppStore(
    useShallow((state) => ({ token: state.session?.token ?? null, groups: state.groups })),
  );
  const [query, setQuery] = useState('');
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [open, setOpen] = useState(false);
  const [answer, setAnswer] = useState<Answer>({ state: 'idle' });
  const [index, setIndex] = useState(0);
  const boxRef = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const searchable = isSearchable(query);

  useEffect(() => {
    if (!token || !searchable) {
      setAnswer({ state: 'idle' });
      return undefined;
    }
    const controller = new AbortController();
    setAnswer((a) => (a.state === 'done' ? a : { state: 'loading' }));
    const timer = setTimeout(() => {
      searchEverything(token, toParams(query, filters), controller.signal)
        .then((outcome) => {
          if (controller.signal.aborted) return;
          setAnswer(
            outcome.ok
              ? { state: 'done', response: outcome.response }
              : { state: 'failed', reason: outcome.reason },
          );
          setIndex(0);
        })
        .catch(() => undefined);
    }, SEARCH_DELAY_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [token, query, filters, searchable]);

  const grouped = useMemo(() => {
    const results = answer.state === 'done' ? answer.response.results : [];
    return SEARCH_KINDS.map((kind) => ({
      kind,
      results: results.filter((r) => r.kind === kind),
    })).filter((g) => g.results.length > 0);
  }, [answer]);
  const flat = useMemo(() => grouped.flatMap((g) => g.results), [grouped]);
  const current = Math.min(index, Math.max(0, flat.length - 1));
  const optionId = (r: SearchResult): string => `search-${r.kind}-${r.id}`;

  const choose = (r: SearchResult | undefined): void => {
    if (!r) return;
    const path = resultPath(r);
    if (!path) return;
    setOpen(false);
    inputRef.current?.blur();
    navigate(path);
  };
  const setFilter = (patch: Partial<Filters>): void => setFilters((f) => ({ ...f, ...patch }));
  const filtered = Object.values(filters).some((v) => v !== '');
  const showPanel = open && (query.trim() !== '' || filtered);

  return (
    <div
      ref={boxRef}
      className="search"
      role="search"
      onBlur={(e) => {
        if (!boxRef.current?.contains(e.relatedTarget as Node | null)) setOpen(false);
      }}
    >
      <input
        ref={inputRef}
        id={SEARCH_INPUT_ID}
        className="search__input"
        type="search"
        role="combobox"
        aria-label={t('search.label')}
        aria-keyshortcuts="f"
        aria-expanded={showPanel}
        aria-controls="search-results"
        aria-autocomplete="list"
        aria-activedescendant={showPanel && flat[current] ? optionId(flat[current]) : undefined}
        placeholder={t('search.placeholder')}
        value={query}
        maxLength={200}
        autoComplete="off"
        onFocus={() => setOpen(true)}
        onChange={(e) => {
          setQuery(e.target.value);
          setOpen(true);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setOpen(true);
            setIndex(Math.min(flat.length - 1, current + 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setIndex(Math.max(0, current - 1));
          } else if (e.key === 'Enter') {
            e.preventDefault();
            choose(flat[current]);
          } else if (e.key === 'Escape') {
            e.preventDefault();
            e.stopPropagation();
            if (showPanel) setOpen(false);
            else {
              setQuery('');
              e.currentTarget.blur();
            }
          }
        }}
      />
      {showPanel && (
        <div className="search__panel">
          <div className="search__filters" role="group" aria-label={t('search.filters')}>
            <label className="field field--inline">
              <span className="field__label">{t('search.filter.kind')}</span>
              <select value={filters.kind} onChange={(e) => setFilter({ kind: e.target.value })}>
                <option value="">{t('search.any')}</option>
                {SEARCH_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(KIND_KEYS[k])}
                  </option>
                ))}
              </select>
            </label>
            <label className="field field--inline">
              <span className="field__label">{t('search.filter.status')}</span>
              <select
                value={filters.status}
                onChange={(e) => setFilter({ status: e.target.value })}
              >
                <option value="">{t('search.any')}</option>
                {Object.values(TicketStatus).map((s) => (
                  <option key={s} value={s}>
                    {t(`status.${s}`)}
                  </option>
                ))}
              </select>
            </label>
            <label className="field field--inline">
              <span className="field__label">{t('search.filter.priority')}</span>
              <select
                value={filters.priority}
                onChange={(e) => setFilter({ priority: e.target.value })}
              >
                <option value="">{t('search.any')}</option>
                {Object.values(Priority).map((p) => (
                  <option key={p} value={p}>
                    {t(`priority.${p}.name`)}
                  </option>
                ))}
              </select>
            </label>
            <label className="field field--inline">
              <span className="field__label">{t('search.filter.group')}</span>
              <select
                value={filters.groupId}
                onChange={(e) => setFilter({ groupId: e.target.value })}
              >
                <option value="">{t('search.any')}</option>
                {groups.map((g) => (
                  <option key={g.id} value={g.id}>
                    {formatGroupName(groups, g.id, locale) ?? g.id}
                  </option>
                ))}
              </select>
            </label>
            <label className="field field--inline">
              <span className="field__label">{t('search.filter.from')}</span>
              <input
                type="date"
                value={filters.from}
                onChange={(e) => setFilter({ from: e.target.value })}
              />
            </label>
            <label className="field field--inline">
              <span className="field__label">{t('search.filter.to')}</span>
              <input
                type="date"
                value={filters.to}
                onChange={(e) => setFilter({ to: e.target.value })}
              />
            </label>
          </div>
          <ul
            id="search-results"
            className="search__results"
            role="listbox"
            aria-label={t('search.results')}
          >
            {grouped.map((g) => (
              <li key={g.kind} role="presentation">
                <div className="search__group" id={`search-group-${g.kind}`}>
                  {t(KIND_KEYS[g.kind])}
                </div>
                <ul role="group" aria-labelledby={`search-group-${g.kind}`}>
                  {g.results.map((r) => {
                    const selected = flat[current] === r;
                    return (
                      <li
                        key={optionId(r)}
                        id={optionId(r)}
                        role="option"
                        aria-selected={selected}
                        className="search__item"
                        onMouseDown={(e) => e.preventDefault()}
                        onMouseEnter={() => setIndex(flat.indexOf(r))}
                        onClick={() => choose(r)}
                      >
                        <span className="search__title">
                          {r.number && <span className="search__number">{r.number}</span>}
                          <Highlighted text={r.title} ranges={r.titleHighlights} />
                        </span>
                        <span className="search__snippet">
                          <Highlighted text={r.snippet} ranges={r.highlights} />
                        </span>
                        <span className="search__meta">
                          {[
                            r.status ? t(`status.${r.status}`) : null,
                            r.priority ? t(`priority.${r.priority}.name`) : null,
                            r.groupId ? formatGroupName(groups, r.groupId, locale) : null,
                            r.kind === 'contact' ? (r.organisationName ?? null) : null,
                            t(SOURCE_KEYS[r.source] ?? 'search.source.other'),
                          ]
                            .filter(Boolean)
                            .join(' · ')}
                        </span>
                      </li>
                    );
                  })}
                </ul>
              </li>
            ))}
          </ul>
          <p className="search__status" role="status">
            {!searchable
              ? t('search.typeMore')
              : answer.state === 'loading'
                ? t('search.loading')
                : answer.state === 'failed'
                  ? t(
                      answer.reason === SearchFailure.rateLimited
                        ? 'search.rateLimited'
                        : 'search.failed',
                    )
                  : answer.state === 'done' && flat.length === 0
                    ? t('search.empty', { q: query.trim() })
                    : answer.state === 'done' && !answer.response.complete
                      ? t('search.incomplete')
                      : t('search.hint')}
          </p>
        </div>
      )}
    </div>
  );
}
