/** What other features may use of the health feature (its module, health.module.ts, is composed by server.ts). */
export { createMetrics, type Metrics } from './metrics';
