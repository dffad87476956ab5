/** What other features may use of the e-mail intake (its module, mailin.module.ts, is composed by server.ts). */
export { MAIL_ACTOR, type MailIntake, type MailOutcome } from './intake';
export type { ImapPollReport } from './imap';
