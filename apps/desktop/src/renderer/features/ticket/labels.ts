import type { MessageKey } from '../../i18n/i18n';
import { formatDeskTime } from '../../ui/deskTime';
import type { CommandInput } from '../../realtime/contract';

/** The i18n key naming each command as an action. */
export const COMMAND_LABEL: Record<CommandInput['type'], MessageKey> = {
  'ticket.create': 'action.create',
  'ticket.classify': 'action.classify',
  'ticket.assign': 'action.assign',
  'ticket.accept': 'action.accept',
  'ticket.comment': 'action.comment',
  'ticket.log.execution': 'action.logExecution',
  'ticket.log.supervision': 'action.logSupervision',
  'ticket.milestone.add': 'action.addMilestone',
  'ticket.milestone.confirm': 'action.confirmMilestone',
  'ticket.pend': 'action.pend',
  'ticket.resume': 'action.resume',
  'ticket.resolve': 'action.resolve',
  'ticket.followUp': 'action.followUp',
  'ticket.close': 'action.closeTicket',
  'ticket.reopen': 'action.reopen',
  'ticket.contact.record': 'action.recordContact',
  'ticket.refuse': 'action.refuse',
  'ticket.customer.link': 'action.linkCustomer',
  'ticket.attachment.add': 'action.attach',
  'ticket.intake.record': 'action.recordIntake',
  'alert.ack': 'action.ackAlert',
  'organisation.create': 'action.createOrganisation',
  'organisation.update': 'action.updateOrganisation',
  'organisation.delete': 'action.deleteOrganisation',
  'contact.create': 'action.createContact',
  'contact.update': 'action.updateContact',
  'contact.delete': 'action.deleteContact',
  'kb.article.create': 'action.kbCreate',
  'kb.article.edit': 'action.kbEdit',
  'kb.article.review': 'action.kbReview',
  'kb.article.publish': 'action.kbPublish',
  'kb.article.retire': 'action.kbRetire',
  'kb.article.feedback': 'action.kbFeedback',
  'survey.answer': 'action.answerSurvey',
  'problem.create': 'action.problemCreate',
  'problem.update': 'action.problemUpdate',
  'problem.action.save': 'action.problemActionSave',
  'problem.confirm': 'action.problemConfirm',
  'problem.close': 'action.problemClose',
  'problem.report': 'action.problemReport',
  'change.create': 'action.changeCreate',
  'change.decide': 'action.changeDecide',
  'change.done': 'action.changeDone',
  'qa.verdict.record': 'action.qaVerdict',
};

/** Formats an ISO instant as desk date and time, short, with the zone: "03/04 14:05 UTC+8". */
export function formatInstant(iso: string | null | undefined, locale: string): string {
  if (!iso) return '—';
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  return formatDeskTime(ms, locale, { withDate: true });
}
