/** What other features may use of the problems feature (its module, problems.module.ts, is composed by server.ts). */
export { ROOT_CAUSE_STEP } from './problems.service';
