/** What other features may use of the sla feature (its module, sla.module.ts, is composed by server.ts). */
export { createSlaRuntime, type SlaRuntime } from './runtime';
export { defaultSlaSettings, loadSlaSettings } from './settings';
export type { SlaScheduler } from './scheduler';
export { checkReceivedAt } from './backdate';
export { watchReplanProgress } from './replan';
export type { ReplanJob } from './replan';
export { readDueTimerBacklog } from './sla.repo';
export {
  planTimers,
  planTimersIfMoved,
  replanTimers,
  replanTimersMany,
  wakeSchedulerFor,
} from './sla.service';
export type { PlannedTimer } from './sla.repo';
export { planSlaEvents, toSlaSubject, type SlaStatesOf } from './targets';
export { computeCompensationLines, sumCompensation } from './compensation';
