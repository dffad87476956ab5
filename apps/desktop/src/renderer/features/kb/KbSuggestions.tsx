import { useEffect, useState } from 'react';
import { navigate } from '../../app/router';
import { useT } from '../../i18n/i18n';
import type { KbHit } from '../../realtime/contract';
import { useAppStore } from '../../store/StoreContext';
import { Highlighted } from '../search/Highlighted';
import { kbApi } from './kbApi';
import './kb.css';

/** How long typing must pause before suggestions are asked. */
export const SUGGEST_DEBOUNCE_MS = 300;
/** Fewer characters than this ask nothing. */
const MIN_CHARS = 2;

/**
 * Knowledge suggestions for what the agent is typing (the create dialog) or reading (the ticket
 * workspace): published articles that fit the title and description, asked after a pause, the
 * older request aborted. "This helped" counts on the article (and the ticket, when given).
 */
export function KbSuggestions({
  title,
  description,
  ticketId,
  openInPlace = false,
}: {
  title?: string;
  description: string;
  ticketId?: string;
  /** In the workspace, a title opens the article; in a dialog it only expands the snippet. */
  openInPlace?: boolean;
}) {
  const t = useT();
  const token = useAppStore((s) => s.session?.token ?? null);
  const kbSeq = useAppStore((s) => s.kbSeq);
  const [hits, setHits] = useState<KbHit[]>([]);
  const [rated, setRated] = useState<Record<string, boolean>>({});
  const [open, setOpen] = useState<string | null>(null);
  const text = `${title ?? ''} ${description}`.trim();

  useEffect(() => {
    if (!token || [...text].length < MIN_CHARS) {
      setHits([]);
      return;
    }
    const controller = new AbortController();
    const handle = window.setTimeout(() => {
      kbApi
        .suggest(token, { title, description }, controller.signal)
        .then(setHits)
        .catch(() => {});
    }, SUGGEST_DEBOUNCE_MS);
    return () => {
      window.clearTimeout(handle);
      controller.abort();
    };
  }, [token, title, description, text, kbSeq]);

  if (hits.length === 0) return null;
  return (
    <section className="kb-suggest" aria-label={t('kb.suggest.title')} data-testid="kb-suggestions">
      <h3 className="kb-suggest__title">{t('kb.suggest.title')}</h3>
      <ul className="kb-suggest__list">
        {hits.map((h) => (
          <li key={h.id} className="kb-suggest__item">
            <button
              type="button"
              className="kb-suggest__open"
              aria-expanded={openInPlace ? undefined : open === h.id}
              onClick={() =>
                openInPlace
                  ? navigate(`/kb/${encodeURIComponent(h.id)}`)
                  : setOpen((o) => (o === h.id ? null : h.id))
              }
            >
              <Highlighted text={h.title} ranges={h.titleHighlights} />
            </button>
            <span className="kb-suggest__meta">
              {[h.category, h.module, h.subFunction].filter(Boolean).join(' / ')}
              {h.helped > 0 && ` · ${t('kb.helpedCount', { count: h.helped })}`}
            </span>
            {(openInPlace || open === h.id) && (
              <p className="kb-suggest__snippet">
                <Highlighted text={h.snippet} ranges={h.highlights} />
              </p>
            )}
            <button
              type="button"
              className="button button--quiet kb-suggest__helped"
              disabled={rated[h.id] === true || !token}
              onClick={() => {
                if (!token) return;
                setRated((r) => ({ ...r, [h.id]: true }));
                void kbApi.rate(token, h.id, true, ticketId);
              }}
            >
              {rated[h.id] ? t('kb.helped.thanks') : t('kb.helped.button')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
