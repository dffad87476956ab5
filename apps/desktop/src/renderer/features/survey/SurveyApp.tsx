import { SURVEY_LIMITS, SURVEY_SCALE, type SurveyInvitationView } from '@dutydesk/shared';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { readLocale, useLocale, useT, type MessageKey } from '../../i18n/i18n';
import { LocaleSwitch } from '../../ui/LocaleSwitch';
import { ThemeSwitch } from '../../ui/ThemeSwitch';
import {
  SurveyError,
  readSurveyToken,
  surveyApi,
  type SurveyApi,
  type SurveyRefusal,
} from './surveyApi';

const TOKEN_KEY = 'dutydesk.surveyToken';

type View =
  | { kind: 'loading' }
  | { kind: 'refused'; reason: SurveyRefusal }
  | { kind: 'ask'; survey: SurveyInvitationView }
  | { kind: 'thanks'; followUp: boolean };

const REFUSED: Record<SurveyRefusal, MessageKey> = {
  unknown: 'survey.refused.unknown',
  expired: 'survey.refused.expired',
  used: 'survey.refused.used',
  network: 'survey.refused.network',
};

/** The token: from the link's fragment (then kept for this tab and taken out of the address bar). */
function takeToken(): string | null {
  const fromHash = readSurveyToken(window.location.hash);
  if (fromHash) {
    try {
      sessionStorage.setItem(TOKEN_KEY, fromHash);
    } catch {
      // storage off: the token lives in memory only
    }
    window.history.replaceState(null, '', window.location.pathname);
    return fromHash;
  }
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

/**
 * The customer's survey page (decision 53) at `/survey#<token>`: CSAT 1–5 or NPS 0–10 as a
 * radio group (arrow keys; a digit picks a score, "1" then "0" is 10), an optional comment,
 * a thank-you, and clear words for an unknown, expired or used link.
 */
export function SurveyApp({ api = surveyApi }: { api?: SurveyApi }) {
  const t = useT();
  const [, setLocale] = useLocale();
  const [token] = useState(takeToken);
  const [view, setView] = useState<View>(() =>
    token ? { kind: 'loading' } : { kind: 'refused', reason: 'unknown' },
  );

  useEffect(() => {
    if (!token) return;
    let live = true;
    api
      .open(token)
      .then((survey) => {
        if (!live) return;
        // The contact's language first, unless this browser chose one before.
        const chosen = (() => {
          try {
            return localStorage.getItem('dutydesk.locale');
          } catch {
            return null;
          }
        })();
        const locale = readLocale(survey.locale);
        if (!chosen && locale) setLocale(locale);
        setView(
          survey.state === 'answered'
            ? { kind: 'refused', reason: 'used' }
            : { kind: 'ask', survey },
        );
      })
      .catch((err: unknown) => {
        if (live)
          setView({ kind: 'refused', reason: err instanceof SurveyError ? err.reason : 'network' });
      });
    return () => {
      live = false;
    };
  }, [api, token, setLocale]);

  return (
    <div className="portal survey">
      <header className="portal__bar">
        <h1 className="portal__title">{t('survey.title')}</h1>
        <div className="portal__tools">
          <LocaleSwitch />
          <ThemeSwitch />
        </div>
      </header>
      <main className="survey__main">
        {view.kind === 'loading' && (
          <p role="status" className="survey__card">
            {t('survey.loading')}
          </p>
        )}
        {view.kind === 'refused' && (
          <section
            className="survey__card"
            role="alert"
            data-testid="survey-refused"
            data-reason={view.reason}
          >
            <p className="survey__message">{t(REFUSED[view.reason])}</p>
          </section>
        )}
        {view.kind === 'thanks' && (
          <section
            className="survey__card survey__thanks"
            role="status"
            data-testid="survey-thanks"
          >
            <h2>{t('survey.thanks')}</h2>
            <p>{t('survey.thanks.body')}</p>
            {view.followUp && <p>{t('survey.thanks.followUp')}</p>}
          </section>
        )}
        {view.kind === 'ask' && token && (
          <SurveyForm
            survey={view.survey}
            onSubmit={async (score, comment) => {
              try {
                const r = await api.answer(token, score, comment);
                setView({ kind: 'thanks', followUp: r.followUp });
                return null;
              } catch (err) {
                const reason = err instanceof SurveyError ? err.reason : 'network';
                if (reason === 'network') return reason;
                setView({ kind: 'refused', reason });
                return null;
              }
            }}
          />
        )}
      </main>
    </div>
  );
}

function SurveyForm({
  survey,
  onSubmit,
}: {
  survey: SurveyInvitationView;
  onSubmit: (score: number, comment: string) => Promise<SurveyRefusal | null>;
}) {
  const t = useT();
  const { min, max } = SURVEY_SCALE[survey.kind];
  const [score, setScore] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<MessageKey | null>(null);
  const radios = useRef<Array<HTMLInputElement | null>>([]);
  const lastDigit = useRef<{ d: number; at: number } | null>(null);
  const scores = Array.from({ length: max - min + 1 }, (_, i) => min + i);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target?.closest('textarea, select, input[type="text"]')) return;
      if (e.ctrlKey || e.metaKey || e.altKey || !/^[0-9]$/.test(e.key)) return;
      let pick = Number(e.key);
      const prev = lastDigit.current;
      const now = performance.now();
      // "1" then "0" within a moment: 10 on the NPS scale.
      if (max === 10 && pick === 0 && prev?.d === 1 && now - prev.at < 800) pick = 10;
      lastDigit.current = { d: Number(e.key), at: now };
      if (pick < min || pick > max) return;
      e.preventDefault();
      setScore(pick);
      setError(null);
      radios.current[pick - min]?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [min, max]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (score === null) {
      setError('survey.pickFirst');
      radios.current[0]?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    const refused = await onSubmit(score, comment);
    setBusy(false);
    if (refused) setError('survey.refused.network');
  }

  const question = survey.kind === 'csat' ? 'survey.csat.question' : 'survey.nps.question';
  return (
    <form
      className="survey__card survey__form"
      onSubmit={(e) => void submit(e)}
      data-testid="survey-form"
      data-kind={survey.kind}
    >
      {survey.ticketNumber && (
        <p className="survey__ticket">
          {t('survey.ticket', { number: survey.ticketNumber, title: survey.ticketTitle ?? '' })}
        </p>
      )}
      <fieldset className="survey__fieldset">
        <legend className="survey__question">{t(question)}</legend>
        <div
          className={`survey__scale survey__scale--${survey.kind}`}
          role="radiogroup"
          aria-label={t(question)}
        >
          {scores.map((n, i) => (
            <label key={n} className={`survey__choice${score === n ? ' survey__choice--on' : ''}`}>
              <input
                ref={(el) => {
                  radios.current[i] = el;
                }}
                type="radio"
                name="score"
                value={n}
                checked={score === n}
                onChange={() => {
                  setScore(n);
                  setError(null);
                }}
                aria-label={t('survey.score', { score: n, max })}
              />
              <span aria-hidden="true">{n}</span>
            </label>
          ))}
        </div>
        <div className="survey__ends" aria-hidden="true">
          <span>{t(survey.kind === 'csat' ? 'survey.csat.low' : 'survey.nps.low')}</span>
          <span>{t(survey.kind === 'csat' ? 'survey.csat.high' : 'survey.nps.high')}</span>
        </div>
        <p className="survey__hint">{t('survey.keys', { min, max })}</p>
      </fieldset>
      <label className="survey__field">
        <span>{t(survey.kind === 'csat' ? 'survey.csat.comment' : 'survey.nps.comment')}</span>
        <textarea
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          maxLength={SURVEY_LIMITS.comment}
          rows={4}
        />
      </label>
      {error && (
        <p className="survey__error" role="alert">
          {t(error)}
        </p>
      )}
      <button type="submit" className="button button--primary survey__send" disabled={busy}>
        {busy ? t('survey.sending') : t('survey.send')}
      </button>
    </form>
  );
}
