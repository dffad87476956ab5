/**
 * What other features may use of the mail feature (its module, mail.module.ts, is composed by
 * server.ts): `enqueueMail` to queue a mail once per dedupe key, the templates and languages,
 * and the `MailLinks` seam (decision 38).
 */
export { enqueueMail, mailRequestSchema, DEFAULT_MAIL_LOCALE, type MailRequest } from './enqueue';
export { defaultMailLinks, type MailLinks } from './links';
export type { MailSender } from './sender';
export {
  MAIL_LOCALES,
  MAIL_TEMPLATES,
  TEMPLATE_PARAMS,
  pickLocale,
  renderMail,
  type MailLocale,
  type MailTemplate,
} from './templates';
export { countQueued, readTicketContact, setUserEmail } from './mail.repo';
