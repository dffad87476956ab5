import type { KbLanguage, Ticket } from '@dutydesk/shared';

const HAN = /\p{Script=Han}/u;

/** The section headings of a case, in the article's language. */
const HEADINGS: Record<KbLanguage, { symptom: string; cause: string; fix: string; none: string }> =
  {
    'zh-CN': { symptom: '症状', cause: '原因', fix: '解决方法', none: '（待补充）' },
    en: { symptom: 'Symptom', cause: 'Cause', fix: 'Fix', none: '(to be written)' },
  };

/** The language a text is written in: Chinese when it holds Han characters. */
export function guessLanguage(text: string): KbLanguage {
  return HAN.test(text) ? 'zh-CN' : 'en';
}

/** A Markdown list item of one log text (continuation lines indented under it). */
function item(text: string): string {
  return `- ${text.trim().replace(/\n+/gu, '\n  ')}`;
}

/**
 * "Make a case from this ticket" (issue 21): a resolved ticket as a draft article with a
 * symptom (its description), a cause (the problems its execution log found) and a fix (the
 * work done and the resolution note). Corrected log entries are left out for their
 * corrections. Pure: the ticket is all it reads.
 */
export function draftCaseFromTicket(ticket: Ticket): {
  title: string;
  body: string;
  language: KbLanguage;
  category: string | null;
  module: string | null;
} {
  const language = guessLanguage(`${ticket.title}\n${ticket.description}`);
  const h = HEADINGS[language];
  const corrected = new Set(
    ticket.executionLog
      .map((e) => e.correctsEntryId)
      .filter((id): id is NonNullable<typeof id> => !!id),
  );
  const entries = ticket.executionLog.filter((e) => !corrected.has(e.id));
  const problems = entries.map((e) => e.problems?.trim() ?? '').filter(Boolean);
  const work = entries.map((e) => e.work.trim()).filter(Boolean);
  const resolution = ticket.resolution?.summary.trim() ?? '';
  const code = ticket.resolution?.code.trim() ?? '';
  const symptom = ticket.description.trim() || ticket.title;
  const cause = problems.length > 0 ? problems.map(item).join('\n') : h.none;
  const fix = [...work.map(item), ...(resolution ? [resolution] : [])].join('\n\n') || h.none;
  const body = [
    `## ${h.symptom}`,
    '',
    symptom,
    '',
    `## ${h.cause}`,
    '',
    cause,
    '',
    `## ${h.fix}`,
    '',
    fix,
    ...(code ? ['', `<!-- ${ticket.number} · ${code} -->`] : []),
    '',
  ].join('\n');
  return {
    title: ticket.title,
    body,
    language,
    category: ticket.category,
    module: ticket.module,
  };
}
