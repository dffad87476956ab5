import { useEffect, useRef, useState } from 'react';
import { useT } from '../../i18n/i18n';
import { classifyResponseSchema } from '../../realtime/contract';
import type { ClassifierFeedback, ClassifierSuggestion } from '../../realtime/contract';
import { useAppStore } from '../../store/StoreContext';
import { SUGGEST_DEBOUNCE_MS } from '../kb/KbSuggestions';
import './categorySuggestion.css';

/** The top category's confidence at or above which an empty category field is pre-filled. */
export const PREFILL_CONFIDENCE = 0.6;
/** Fewer characters than this ask nothing. */
const MIN_CHARS = 2;

/** What the classifier offered for the category: kept for the feedback sent on create. */
export interface CategoryOffer {
  modelVersion: number;
  top: ClassifierSuggestion[];
}

async function classify(
  token: string,
  text: { title?: string; description: string },
  signal: AbortSignal,
): Promise<CategoryOffer | null> {
  const res = await fetch('/api/classify', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(text),
    signal,
  });
  if (!res.ok) return null;
  const parsed = classifyResponseSchema.safeParse(await res.json().catch(() => null));
  if (!parsed.success || parsed.data.modelVersion === null) return null;
  const top = parsed.data.fields.category ?? [];
  return top.length > 0 ? { modelVersion: parsed.data.modelVersion, top } : null;
}

/**
 * What the create dialog suggested for the category and what the agent kept, to
 * `POST /api/classifier/feedback` (production accuracy in `GET /api/classifier`).
 */
export async function sendCategoryFeedback(
  token: string,
  offer: CategoryOffer,
  kept: string,
  ticketId: string | null,
): Promise<void> {
  const best = offer.top[0];
  if (!best) return;
  const body: ClassifierFeedback = {
    ticketId,
    modelVersion: offer.modelVersion,
    fields: [
      {
        field: 'category',
        suggested: best.value,
        confidence: best.confidence,
        kept: kept.trim() || null,
      },
    ],
  };
  await fetch('/api/classifier/feedback', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).catch(() => undefined);
}

const percent = (c: number): string => `${Math.round(c * 100)} %`;

/**
 * The create dialog's category field with the classifier's suggestion (issue 21): asked after
 * a pause in typing, the older request aborted; a confident top suggestion fills the field while
 * the agent has not chosen one, and says so; the top three are offered to pick from. Before any
 * model is trained the server answers no version, and nothing is shown but the field.
 */
export function CategorySuggestion({
  title,
  description,
  value,
  onChange,
  onOffer,
}: {
  title?: string;
  description: string;
  value: string;
  onChange(category: string): void;
  /** The latest offer (null when there is none), for the feedback on create. */
  onOffer?(offer: CategoryOffer | null): void;
}) {
  const t = useT();
  const token = useAppStore((s) => s.session?.token ?? null);
  const [offer, setOffer] = useState<CategoryOffer | null>(null);
  /** The value this component put into the field; another value means the agent chose. */
  const [prefilled, setPrefilled] = useState<string | null>(null);
  const latest = useRef({ value, prefilled, onChange, onOffer });
  latest.current = { value, prefilled, onChange, onOffer };
  const text = `${title ?? ''} ${description}`.trim();

  useEffect(() => {
    if (!token || [...text].length < MIN_CHARS) return;
    const controller = new AbortController();
    const handle = window.setTimeout(() => {
      classify(token, { ...(title ? { title } : {}), description }, controller.signal)
        .then((next) => {
          if (controller.signal.aborted) return;
          setOffer(next);
          latest.current.onOffer?.(next);
          const best = next?.top[0];
          const { value: current, prefilled: mine } = latest.current;
          const untouched = current.trim() === '' || current === mine;
          if (best && best.confidence >= PREFILL_CONFIDENCE && untouched) {
            setPrefilled(best.value);
            if (current !== best.value) latest.current.onChange(best.value);
          }
        })
        .catch(() => {});
    }, SUGGEST_DEBOUNCE_MS);
    return () => {
      window.clearTimeout(handle);
      controller.abort();
    };
  }, [token, title, description, text]);

  const shownPrefill = prefilled !== null && value === prefilled;
  const best = offer?.top[0];
  return (
    <div className="category-suggest">
      <label className="field">
        <span className="field__label">{t('ticket.field.category')}</span>
        <input
          maxLength={100}
          value={value}
          data-testid="create-category"
          onChange={(e) => onChange(e.target.value)}
        />
      </label>
      {offer && (
        <div
          className="category-suggest__offer"
          role="group"
          aria-label={t('create.category.suggestions')}
          data-testid="category-suggestion"
        >
          {shownPrefill && best && (
            <p className="category-suggest__note" data-testid="category-prefilled">
              {t('create.category.prefilled', { confidence: percent(best.confidence) })}
            </p>
          )}
          <span className="category-suggest__label">{t('create.category.suggestions')}</span>
          <ul className="category-suggest__list">
            {offer.top.map((s) => (
              <li key={s.value}>
                <button
                  type="button"
                  className="category-suggest__pick"
                  aria-pressed={value === s.value}
                  onClick={() => onChange(s.value)}
                >
                  {s.value}{' '}
                  <span className="category-suggest__confidence">{percent(s.confidence)}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
