import type { KbHit, KbPublicArticle } from '@dutydesk/shared';
import { useEffect, useState, type FormEvent } from 'react';
import { useT } from '../../i18n/i18n';
import { Markdown } from '../kb/Markdown';

/** The public knowledge base's read path (decision 51): no token, public published revisions only. */
async function kbPublic<T>(path: string): Promise<T> {
  const res = await fetch(`/api/kb/public${path}`);
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return (await res.json()) as T;
}

type Row = { id: string; title: string; snippet: string | null };

/**
 * The portal's help articles (decision 55): the newest public articles, a search, and one
 * article read as sanitised Markdown with the console's renderer (`kb/Markdown`).
 */
export function PortalHelp() {
  const t = useT();
  const [rows, setRows] = useState<Row[] | null>(null);
  const [searched, setSearched] = useState(false);
  const [article, setArticle] = useState<KbPublicArticle | null>(null);
  const [failed, setFailed] = useState<string | null>(null);

  const fail = (err: unknown) => setFailed(err instanceof Error ? err.message : String(err));

  useEffect(() => {
    let live = true;
    kbPublic<{ articles: KbPublicArticle[] }>('/articles?limit=20')
      .then(
        (r) =>
          live && setRows(r.articles.map((a) => ({ id: a.id, title: a.title, snippet: null }))),
      )
      .catch((err: unknown) => live && fail(err));
    return () => {
      live = false;
    };
  }, []);

  const search = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const q = String(new FormData(e.currentTarget).get('q') ?? '').trim();
    if (!q) return;
    setFailed(null);
    setArticle(null);
    try {
      const r = await kbPublic<{ results: KbHit[] }>(`/search?q=${encodeURIComponent(q)}&limit=20`);
      setRows(r.results.map((h) => ({ id: h.id, title: h.title, snippet: h.snippet })));
      setSearched(true);
    } catch (err) {
      fail(err);
    }
  };

  const open = async (id: string) => {
    setFailed(null);
    try {
      setArticle(await kbPublic<KbPublicArticle>(`/articles/${encodeURIComponent(id)}`));
    } catch (err) {
      fail(err);
    }
  };

  if (article) {
    return (
      <section className="portal__card" aria-labelledby="portal-article-title">
        <button type="button" className="button button--quiet" onClick={() => setArticle(null)}>
          ← {t('portal.help.back')}
        </button>
        <h2 id="portal-article-title">{article.title}</h2>
        <Markdown source={article.body} className="portal__article" />
      </section>
    );
  }
  return (
    <section className="portal__card" aria-labelledby="portal-help-title">
      <h2 id="portal-help-title">{t('portal.help.title')}</h2>
      <form className="portal__search" role="search" onSubmit={(e) => void search(e)}>
        <label className="field">
          <span>{t('portal.help.search')}</span>
          <input name="q" type="search" maxLength={200} />
        </label>
        <button type="submit" className="button button--primary">
          {t('portal.help.searchButton')}
        </button>
      </form>
      <h3>{searched ? t('portal.help.results') : t('portal.help.latest')}</h3>
      {rows === null && !failed ? <p role="status">{t('portal.loading')}</p> : null}
      {rows?.length === 0 ? <p>{t('portal.help.none')}</p> : null}
      <ul className="portal__list" data-testid="portal-help-list">
        {rows?.map((r) => (
          <li key={r.id}>
            <button type="button" className="portal__row" onClick={() => void open(r.id)}>
              <span className="portal__rowTitle">{r.title}</span>
              {r.snippet ? <span className="portal__muted">{r.snippet}</span> : null}
            </button>
          </li>
        ))}
      </ul>
      {failed ? <p role="alert">{t('portal.failed', { message: failed })}</p> : null}
    </section>
  );
}
