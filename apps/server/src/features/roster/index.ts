/** What other features may use of the roster feature (its module, roster.module.ts, is composed by server.ts). */
export { queryOnDuty } from './roster.repo';
