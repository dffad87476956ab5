/** The health feature: `/healthz` and the Prometheus `/metrics` of this node. */
import type { AppContext } from '../../context';
import type { FeatureModule } from '../../modules';
import { createHealthRouter } from './health.routes';
import { healthApi } from './health.openapi';

export function createHealthModule(ctx: AppContext): FeatureModule {
  return {
    name: 'health',
    http: [{ path: '/', handler: createHealthRouter(ctx) }],
    openapi: healthApi,
  };
}
