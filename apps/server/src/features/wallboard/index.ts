/** What other features may use of the wallboard feature (its module, wallboard.module.ts, is composed by server.ts). */
export type { WallboardHub } from './wallboard.socket';
export {
  computeAttainment,
  createTargetEvaluator,
  DESK_TIME_ZONE,
  readStoredTargets,
  type MetricTarget,
} from './metrics.service';
export { computeMonthStart, convertLocalMidnight } from './windows';
