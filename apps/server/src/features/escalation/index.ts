/** What other features may use of the escalation feature (its module, escalation.module.ts, is composed by server.ts). */
export type { EscalationEngine, EscalationRun } from './escalation.service';
export { checkAlertVisible, toAlertView } from './alertView';
export { countOpenAlertsByLevel, listAlerts, readTicketsByIds } from './escalation.repo';
export { DUTIES, Duty, findStep, SURVEY_STEP } from './policy';
