/** What other features may use of the knowledge base (its module, kb.module.ts, is composed by server.ts). */
export { draftCaseFromTicket, guessLanguage } from './case';
