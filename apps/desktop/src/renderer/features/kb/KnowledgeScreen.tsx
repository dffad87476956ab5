import { useCallback, useEffect, useState } from 'react';
import { navigate } from '../../app/router';
import { useT } from '../../i18n/i18n';
import { KB_LANGUAGES, KB_PUBLISH_ROLES, KB_RETIRE_ROLES } from '../../realtime/contract';
import type {
  KbArticle,
  KbArticleSummary,
  KbHit,
  KbLanguage,
  KbRevision,
  KbState,
  KbUnhelpful,
  KbVisibility,
} from '../../realtime/contract';
import { useAppStore } from '../../store/StoreContext';
import { Highlighted } from '../search/Highlighted';
import { kbApi, type KbDraftFields, type KbResult, type KbStep } from './kbApi';
import { Markdown } from './Markdown';
import './kb.css';

type ListView = 'all' | 'drafts' | 'published' | 'unhelpful';

const VIEWS: Record<Exclude<ListView, 'unhelpful'>, string | undefined> = {
  all: undefined,
  drafts: 'draft,reviewed',
  published: 'published',
};

function blankDraft(): KbDraftFields {
  return {
    title: '',
    body: '',
    language: 'zh-CN',
    visibility: 'internal',
    category: null,
    module: null,
    subFunction: null,
    tags: [],
  };
}

function draftOf(r: KbRevision): KbDraftFields {
  return {
    title: r.title,
    body: r.body,
    language: r.language,
    visibility: r.visibility,
    category: r.category,
    module: r.module,
    subFunction: r.subFunction,
    tags: r.tags,
  };
}

/**
 * The knowledge screen (`/kb`, `/kb/:id`; issue 21): the list (by state, or a search, or the
 * articles that never helped), the reader with the review actions, and the Markdown editor with
 * its preview. Every change is a command on the server; other seats' changes arrive as `kb.*`
 * events and the screen reads again.
 */
export function KnowledgeScreen({ articleId }: { articleId: string | null }) {
  const t = useT();
  const token = useAppStore((s) => s.session?.token ?? null);
  const roles = useAppStore((s) => s.session?.user.roles ?? []);
  const userId = useAppStore((s) => s.session?.user.id ?? null);
  const kbSeq = useAppStore((s) => s.kbSeq);
  const [view, setView] = useState<ListView>('all');
  const [list, setList] = useState<KbArticleSummary[]>([]);
  const [unhelpful, setUnhelpful] = useState<KbUnhelpful[]>([]);
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<KbHit[] | null>(null);
  const [article, setArticle] = useState<KbArticle | null>(null);
  const [editing, setEditing] = useState<KbDraftFields | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!token) return;
    if (view === 'unhelpful') void kbApi.unhelpful(token).then(setUnhelpful);
    else void kbApi.list(token, VIEWS[view]).then(setList);
  }, [token, view, kbSeq]);

  useEffect(() => {
    if (!token || query.trim() === '') {
      setHits(null);
      return;
    }
    const handle = window.setTimeout(() => {
      void kbApi.search(token, query, 'latest').then(setHits);
    }, 250);
    return () => window.clearTimeout(handle);
  }, [token, query, kbSeq]);

  useEffect(() => {
    if (!token || !articleId || articleId === 'new') {
      setArticle(null);
      if (articleId === 'new') setEditing((e) => e ?? blankDraft());
      return;
    }
    void kbApi.get(token, articleId).then(setArticle);
  }, [token, articleId, kbSeq]);

  const open = (id: string): void => {
    setEditing(null);
    setError(null);
    navigate(`/kb/${encodeURIComponent(id)}`);
  };

  const apply = useCallback(async (call: () => Promise<KbResult>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      const r = await call();
      if (!r.ok) {
        setError(r.message);
        return false;
      }
      setArticle(r.article);
      return true;
    } finally {
      setBusy(false);
    }
  }, []);

  const save = async (): Promise<void> => {
    if (!token || !editing) return;
    const fields = editing;
    if (article) {
      if (await apply(() => kbApi.edit(token, article.id, fields, article.version)))
        setEditing(null);
      return;
    }
    setBusy(true);
    const r = await kbApi.create(token, fields);
    setBusy(false);
    if (!r.ok) {
      setError(r.message);
      return;
    }
    setEditing(null);
    setArticle(r.article);
    navigate(`/kb/${encodeURIComponent(r.article.id)}`, { replace: true });
  };

  const step = (s: KbStep): void => {
    if (!token || !article) return;
    void apply(() => kbApi.step(token, article.id, s, article.version));
  };

  const mayPublish = roles.some((r) => (KB_PUBLISH_ROLES as readonly string[]).includes(r));
  const mayRetire = roles.some((r) => (KB_RETIRE_ROLES as readonly string[]).includes(r));
  const selfReviewAllowed = roles.includes('duty_manager') || roles.includes('admin');
  const latest = article?.latest ?? null;

  return (
    <section className="kb" aria-labelledby="kb-title">
      <div className="kb__list">
        <div className="kb__head">
          <h2 id="kb-title">{t('kb.title')}</h2>
          <button
            type="button"
            className="button button--primary"
            onClick={() => {
              setArticle(null);
              setEditing(blankDraft());
              navigate('/kb/new');
            }}
          >
            {t('kb.new')}
          </button>
        </div>
        <input
          type="search"
          className="kb__search"
          aria-label={t('kb.search')}
          placeholder={t('kb.search')}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <div className="kb__views" role="group" aria-label={t('kb.views')}>
          {(['all', 'drafts', 'published', 'unhelpful'] as const).map((v) => (
            <button
              key={v}
              type="button"
              className={`button button--quiet${view === v ? ' is-active' : ''}`}
              aria-pressed={view === v}
              onClick={() => setView(v)}
            >
              {t(`kb.view.${v}`)}
            </button>
          ))}
        </div>
        {hits ? (
          <ul className="kb__items" aria-label={t('kb.results')}>
            {hits.length === 0 && <li className="kb__empty">{t('kb.noResults')}</li>}
            {hits.map((h) => (
              <li key={h.id}>
                <button type="button" className="kb__item" onClick={() => open(h.id)}>
                  <span className="kb__item-title">
                    <Highlighted text={h.title} ranges={h.titleHighlights} />
                  </span>
                  <span className="kb__item-snippet">
                    <Highlighted text={h.snippet} ranges={h.highlights} />
                  </span>
                  <StateBadge state={h.state} />
                </button>
              </li>
            ))}
          </ul>
        ) : view === 'unhelpful' ? (
          <ul className="kb__items" aria-label={t('kb.view.unhelpful')}>
            {unhelpful.length === 0 && <li className="kb__empty">{t('kb.noUnhelpful')}</li>}
            {unhelpful.map((a) => (
              <li key={a.id}>
                <button type="button" className="kb__item" onClick={() => open(a.id)}>
                  <span className="kb__item-title">{a.title}</span>
                  <span className="kb__item-meta">
                    {t('kb.notHelpedCount', { count: a.notHelped })}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <ul className="kb__items" aria-label={t('kb.articles')}>
            {list.length === 0 && <li className="kb__empty">{t('kb.noArticles')}</li>}
            {list.map((a) => (
              <li key={a.id}>
                <button
                  type="button"
                  className={`kb__item${a.id === articleId ? ' is-selected' : ''}`}
                  onClick={() => open(a.id)}
                >
                  <span className="kb__item-title">{a.title}</span>
                  <span className="kb__item-meta">
                    {[a.category, a.module, a.subFunction].filter(Boolean).join(' / ')}
                  </span>
                  <StateBadge state={a.state} />
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="kb__main">
        {error && (
          <p className="banner banner--error" role="alert">
            {error}
          </p>
        )}
        {editing ? (
          <KbEditor
            draft={editing}
            onChange={setEditing}
            onSave={() => void save()}
            onCancel={() => {
              setEditing(null);
              if (!article) navigate('/kb');
            }}
            busy={busy}
          />
        ) : article && latest ? (
          <article className="kb-reader" aria-labelledby="kb-article-title">
            <header className="kb-reader__head">
              <h3 id="kb-article-title">{latest.title}</h3>
              <StateBadge state={latest.state} />
              <span className="kb-reader__meta">
                {t(`kb.visibility.${latest.visibility}`)} · {latest.language} · r{latest.revision}
                {article.published && article.published.revision !== latest.revision
                  ? ` · ${t('kb.publishedRevision', { revision: article.published.revision })}`
                  : ''}
                {' · '}
                {t('kb.helpedCount', { count: article.helped })}
              </span>
              <span className="kb-reader__meta">
                {[latest.category, latest.module, latest.subFunction].filter(Boolean).join(' / ')}
                {latest.tags.length > 0 && ` · ${latest.tags.map((x) => `#${x}`).join(' ')}`}
              </span>
            </header>
            <div className="kb-reader__actions">
              <button
                type="button"
                className="button"
                disabled={busy}
                onClick={() => setEditing(draftOf(latest))}
              >
                {t('kb.edit')}
              </button>
              {latest.state === 'draft' && (
                <button
                  type="button"
                  className="button"
                  disabled={busy || (latest.authorId === userId && !selfReviewAllowed)}
                  title={
                    latest.authorId === userId && !selfReviewAllowed ? t('kb.fourEyes') : undefined
                  }
                  onClick={() => step('review')}
                >
                  {t('kb.review')}
                </button>
              )}
              {latest.state === 'reviewed' && mayPublish && (
                <button
                  type="button"
                  className="button button--primary"
                  disabled={busy}
                  onClick={() => step('publish')}
                >
                  {t('kb.publish')}
                </button>
              )}
              {article.published && mayRetire && (
                <button
                  type="button"
                  className="button button--quiet"
                  disabled={busy}
                  onClick={() => step('retire')}
                >
                  {t('kb.retire')}
                </button>
              )}
              {article.published && token && (
                <button
                  type="button"
                  className="button button--quiet"
                  disabled={busy}
                  onClick={() => void apply(() => kbApi.rate(token, article.id, true))}
                >
                  {t('kb.helped.button')}
                </button>
              )}
            </div>
            {latest.authorId === userId && latest.state === 'draft' && !selfReviewAllowed && (
              <p className="kb-reader__note">{t('kb.fourEyes')}</p>
            )}
            <Markdown source={latest.body} className="kb-reader__body" />
          </article>
        ) : (
          <p className="kb__empty">{t('kb.pick')}</p>
        )}
      </div>
    </section>
  );
}

function StateBadge({ state }: { state: KbState }) {
  const t = useT();
  return <span className={`kb-state kb-state--${state}`}>{t(`kb.state.${state}`)}</span>;
}

/** The Markdown editor with its live preview (the same renderer the reader uses). */
function KbEditor({
  draft,
  onChange,
  onSave,
  onCancel,
  busy,
}: {
  draft: KbDraftFields;
  onChange: (d: KbDraftFields) => void;
  onSave: () => void;
  onCancel: () => void;
  busy: boolean;
}) {
  const t = useT();
  const set = (patch: Partial<KbDraftFields>): void => onChange({ ...draft, ...patch });
  const orNull = (v: string): string | null => (v.trim() === '' ? null : v);
  return (
    <form
      className="kb-editor"
      aria-label={t('kb.editor')}
      onSubmit={(e) => {
        e.preventDefault();
        onSave();
      }}
    >
      <label className="field">
        <span className="field__label">{t('kb.field.title')}</span>
        <input
          required
          maxLength={200}
          value={draft.title}
          onChange={(e) => set({ title: e.target.value })}
        />
      </label>
      <div className="field-row">
        <label className="field">
          <span className="field__label">{t('kb.field.language')}</span>
          <select
            value={draft.language}
            onChange={(e) =>
              set({ language: KB_LANGUAGES.find((l) => l === e.target.value) ?? 'en' })
            }
          >
            {KB_LANGUAGES.map((l: KbLanguage) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field__label">{t('kb.field.visibility')}</span>
          <select
            value={draft.visibility}
            onChange={(e) =>
              set({
                visibility: (e.target.value === 'public' ? 'public' : 'internal') as KbVisibility,
              })
            }
          >
            <option value="internal">{t('kb.visibility.internal')}</option>
            <option value="public">{t('kb.visibility.public')}</option>
          </select>
        </label>
        <label className="field">
          <span className="field__label">{t('kb.field.category')}</span>
          <input
            value={draft.category ?? ''}
            onChange={(e) => set({ category: orNull(e.target.value) })}
          />
        </label>
        <label className="field">
          <span className="field__label">{t('kb.field.module')}</span>
          <input
            value={draft.module ?? ''}
            onChange={(e) => set({ module: orNull(e.target.value) })}
          />
        </label>
        <label className="field">
          <span className="field__label">{t('kb.field.subFunction')}</span>
          <input
            value={draft.subFunction ?? ''}
            onChange={(e) => set({ subFunction: orNull(e.target.value) })}
          />
        </label>
      </div>
      <label className="field">
        <span className="field__label">{t('kb.field.tags')}</span>
        <input
          value={draft.tags.join(', ')}
          onChange={(e) =>
            set({
              tags: e.target.value
                .split(/[,，]/u)
                .map((x) => x.trim())
                .filter(Boolean),
            })
          }
        />
      </label>
      <div className="kb-editor__panes">
        <label className="field">
          <span className="field__label">{t('kb.field.body')}</span>
          <textarea rows={18} value={draft.body} onChange={(e) => set({ body: e.target.value })} />
        </label>
        <div className="kb-editor__preview" aria-label={t('kb.preview')}>
          <span className="field__label">{t('kb.preview')}</span>
          <Markdown source={draft.body} />
        </div>
      </div>
      <div className="dialog__buttons">
        <button type="submit" className="button button--primary" disabled={busy}>
          {t('kb.save')}
        </button>
        <button type="button" className="button button--quiet" onClick={onCancel}>
          {t('action.cancel')}
        </button>
      </div>
    </form>
  );
}
