import { surveyFollowUpSchema, type SurveyFollowUp } from '@dutydesk/shared';
import { useEffect, useState } from 'react';
import { z } from 'zod';
import { navigate } from '../../app/router';
import { useLocale, useT } from '../../i18n/i18n';
import { formatInstant } from '../ticket/labels';

const answerSchema = z.object({ followUps: z.array(surveyFollowUpSchema) });

/**
 * An organisation's unhappy survey answers (decision 53: a CSAT ≤ 2 or an NPS detractor) and
 * whether their duty-manager alert was acknowledged, newest first. Reloads when `version`
 * changes (the page's refresh, a new `survey.answered`).
 */
export function SurveyFollowUps({
  organisationId,
  token,
  version,
}: {
  organisationId: string;
  token: string | null;
  version: number;
}) {
  const t = useT();
  const [locale] = useLocale();
  const [list, setList] = useState<SurveyFollowUp[] | null>(null);
  useEffect(() => {
    if (!token) return;
    let live = true;
    fetch(`/api/organisations/${encodeURIComponent(organisationId)}/survey-follow-ups`, {
      headers: { authorization: `Bearer ${token}` },
    })
      .then(async (res) => (res.ok ? answerSchema.parse(await res.json()).followUps : null))
      .then((l) => live && setList(l))
      .catch(() => live && setList(null));
    return () => {
      live = false;
    };
  }, [organisationId, token, version]);
  if (list === null) return null;
  return (
    <section aria-labelledby="org-surveys" data-testid="org-survey-follow-ups">
      <h2 id="org-surveys">{t('survey.followUps')}</h2>
      {list.length === 0 ? (
        <p>{t('survey.followUps.none')}</p>
      ) : (
        <ul className="org-tickets">
          {list.map((f) => (
            <li key={f.answerId} className="org-tickets__row">
              <span className={f.acknowledged ? 'org-survey' : 'org-survey org-survey--open'}>
                {t(f.kind === 'csat' ? 'survey.followUps.csat' : 'survey.followUps.nps', {
                  score: f.score,
                })}
              </span>
              {f.ticketId && f.ticketNumber ? (
                <button
                  type="button"
                  className="link-button"
                  onClick={() => navigate(`/tickets/${encodeURIComponent(f.ticketId ?? '')}`)}
                >
                  {f.ticketNumber}
                </button>
              ) : null}
              <span>{f.contactName ?? '—'}</span>
              <span className="org-tickets__title" title={f.comment}>
                {f.comment}
              </span>
              <span>{formatInstant(f.answeredAt, locale)}</span>
              <span>
                {t(f.acknowledged ? 'survey.followUps.acknowledged' : 'survey.followUps.open')}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
