/**
 * The survey links mails carry (decision 53), through the mail feature's `MailLinks` seam: a
 * link is made when its mail is sent (never stored in the outbox), as a new random token whose
 * SHA-256 is stored as an invitation for that ticket and contact (CSAT) or contact and round
 * (NPS), expiring after `DUTYDESK_SURVEY_LINK_DAYS`. The token is in the fragment:
 * `${publicUrl}/survey#<token>`; the page posts it.
 */
import { pickLocale, DEFAULT_MAIL_LOCALE, type MailLinks } from '../mail';
import type { AppContext } from '../../context';
import { insertInvitation, readContact } from './surveys.repo';
import { makeSurveyToken } from './tokens';

export const SURVEY_PATH = '/survey';

export function createSurveyLinks(
  ctx: AppContext,
  baseUrl: () => string,
): Pick<MailLinks, 'surveyLink' | 'npsLink'> {
  async function make(
    kind: 'csat' | 'nps',
    ticketId: string | null,
    contactId: string,
    round: string | null,
  ): Promise<string> {
    const now = ctx.clock.now();
    const contact = await readContact(ctx.database.db, contactId);
    const { token, id } = makeSurveyToken();
    await insertInvitation(ctx.database.db, {
      id,
      kind,
      ticketId,
      contactId,
      round,
      locale: pickLocale(contact?.language, DEFAULT_MAIL_LOCALE),
      createdAt: now,
      expiresAt: new Date(now.getTime() + ctx.config.surveys.linkDays * 86_400_000),
    });
    return `${baseUrl()}${SURVEY_PATH}#${token}`;
  }
  return {
    surveyLink: (ticketId, contactId) => make('csat', ticketId, contactId, null),
    npsLink: (contactId, round) => make('nps', null, contactId, round),
  };
}
